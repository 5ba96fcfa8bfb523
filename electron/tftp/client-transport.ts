// The client's thin socket layer: one UDP socket bound to an ephemeral port, datagrams from the
// server's address decoded and handed to the session with their source port (the session applies
// the TID rules), the session's one timer, cancellation. Everything protocol is in client-session.ts.
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { ClientNegotiated, TftpClientErrorCode } from '../../shared/tftp-client.js';
import { TftpClientError } from './client-errors.js';
import type { ClientOutput, ClientSession } from './client-session.js';
import { decodePacket, encodeError, type RequestOption } from './packet.js';

export interface ServerAddress {
  /** the address the request goes to, as resolved */
  address: string;
  port: number;
  family: 4 | 6;
}

/** Resolves a host name or literal address (IPv6 without brackets); NETWORK when it cannot. */
export async function resolveServer(host: string, port: number): Promise<ServerAddress> {
  const literal = isIP(host);
  if (literal !== 0) return { address: host, port, family: literal as 4 | 6 };
  try {
    const { address, family } = await lookup(host);
    return { address, port, family: family === 6 ? 6 : 4 };
  } catch {
    throw new TftpClientError('NETWORK', `cannot resolve the host name "${host}"`);
  }
}

/** Link-local IPv6 addresses may come back with their zone (%eth0) or without it. */
const sameAddress = (a: string, b: string) =>
  a.split('%')[0]?.toLowerCase() === b.split('%')[0]?.toLowerCase();

export class ClientTransport {
  private failure: TftpClientError | undefined;
  private negotiated: ClientNegotiated | undefined;

  private constructor(
    private readonly socket: Socket,
    readonly server: ServerAddress,
  ) {}

  static async open(server: ServerAddress): Promise<ClientTransport> {
    const socket = createSocket({ type: server.family === 6 ? 'udp6' : 'udp4' });
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind(0, () => {
          socket.off('error', reject);
          resolve();
        });
      });
    } catch (err) {
      socket.close();
      throw new TftpClientError(
        'NETWORK',
        `cannot open a UDP socket (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    return new ClientTransport(socket, server);
  }

  /** The parts of a session's output every transfer shares; `request` builds the RRQ or WRQ. */
  output(request: (options: readonly RequestOption[]) => Buffer): ClientOutput {
    return {
      sendRequest: (options) => this.send(this.server.port, request(options)),
      sendError: (port, code, message) => this.send(port, encodeError(code, message)),
      negotiated: (options) => (this.negotiated = options),
      finished: () => undefined,
      failed: (code: TftpClientErrorCode, message: string, server?: { code: number; message: string }) => {
        this.failure = new TftpClientError(code, message, server);
      },
    };
  }

  /** What the transfer ran with (the defaults until the server answered). */
  get options(): ClientNegotiated | undefined {
    return this.negotiated;
  }

  send(port: number, datagram: Buffer): void {
    this.pending++;
    this.socket.send(datagram, port, this.server.address, (err) => {
      this.pending--;
      if (this.pending === 0) this.drained?.();
      if (err && this.session && !this.session.waitingForDevice) {
        this.session.networkFailure(
          `cannot send to ${this.server.address} (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
        );
        this.settle?.();
      }
    });
  }

  private session: ClientSession | undefined;
  private pending = 0;
  private drained: (() => void) | undefined;
  private settle: (() => void) | undefined;

  /** Runs the session to its end; rejects with its TftpClientError when it fails. */
  run(
    session: ClientSession,
    signal?: AbortSignal,
    now: () => number = () => performance.now(),
  ): Promise<void> {
    this.session = session;
    return new Promise<void>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const after = () => {
        clearTimeout(timer);
        if (!session.live) {
          signal?.removeEventListener('abort', onAbort);
          this.socket.off('message', onMessage);
          this.socket.off('error', onError);
          if (session.state === 'done') resolve();
          else reject(this.failure ?? new TftpClientError('PROTOCOL', 'the transfer ended without a reason'));
          return;
        }
        if (session.deadline !== undefined) {
          timer = setTimeout(
            () => {
              session.tick(now());
              after();
            },
            Math.max(0, Math.ceil(session.deadline - now())),
          );
        }
      };
      this.settle = after;
      const onMessage = (msg: Buffer, rinfo: { address: string; port: number }) => {
        // Only the server's address takes part; anything else is not even answered.
        if (!sameAddress(rinfo.address, this.server.address)) return;
        session.receive(decodePacket(msg), rinfo.port, now());
        after();
      };
      const onError = (err: Error) => {
        session.networkFailure(`socket error (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
        after();
      };
      const onAbort = () => {
        session.abort();
        after();
      };
      this.socket.on('message', onMessage);
      this.socket.on('error', onError);
      if (signal?.aborted) return onAbort();
      signal?.addEventListener('abort', onAbort, { once: true });
      session.start(now());
      after();
    });
  }

  /** Closes the socket once the last datagrams (the final ACK, an ERROR) have left. */
  async close(): Promise<void> {
    if (this.pending > 0) {
      await new Promise<void>((resolve) => {
        const cap = setTimeout(resolve, 200);
        this.drained = () => {
          clearTimeout(cap);
          resolve();
        };
      });
    }
    return new Promise((resolve) => {
      try {
        this.socket.close(() => resolve());
      } catch {
        resolve();
      }
    });
  }
}
