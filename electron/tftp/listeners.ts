// The listening sockets: one per local address (the ones asked for, or every address of the
// machine, kept in step with its adapters), each handing every datagram to the request router.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { ListenAddress, LogLevel, ServerState } from '../../shared/events.js';
import type { TftpErrorCode } from '../../shared/tftp-types.js';
import { familyOf, localAddresses, type LocalAddress } from './local-addresses.js';
import { encodeError } from './packet.js';
import { bindErrorState } from './server-errors.js';

const INTERFACE_POLL_MS = 3000;

export type RequestHandler = (msg: Buffer, rinfo: RemoteInfo, local: LocalAddress, listener: Socket) => void;

export interface ListenerEvents {
  request: RequestHandler;
  log(level: LogLevel, message: string): void;
  /** an adapter came or went while listening: the addresses changed */
  addressesChanged(): void;
  /** whether the server still listens (an await may have outlived a stop) */
  listening(): boolean;
}

/** An ERROR from the listening socket a request came in on (a refusal: no transfer socket exists). */
export function answerError(
  listener: Socket,
  to: { address: string; port: number },
  code: TftpErrorCode,
  message: string,
): void {
  const buf = encodeError(code, message);
  try {
    listener.send(buf, 0, buf.length, to.port, to.address);
  } catch {
    // listener closed meanwhile
  }
}

export class Listeners {
  private readonly sockets = new Map<string, { socket: Socket; local: LocalAddress }>();
  private interfacePoll: NodeJS.Timeout | undefined;
  private port = 0;

  constructor(private readonly events: ListenerEvents) {}

  /**
   * Binds `hosts` (every one must bind), or, with none, every local address (any one will do, and
   * the set follows the machine's adapters from then on). Resolves with an error state on failure,
   * with everything closed again.
   */
  async open(hosts: readonly string[], port: number): Promise<ServerState | undefined> {
    this.port = port;
    const explicit = hosts.length > 0;
    const wanted: LocalAddress[] = explicit
      ? hosts.map((h) => ({ address: h, family: familyOf(h), interface: '' }))
      : localAddresses();
    let firstError: ServerState | undefined;
    for (const local of wanted) {
      const err = await this.listenOn(local);
      if (err && !firstError) firstError = err;
      if (err && explicit) break;
    }
    if (firstError && (explicit || this.sockets.size === 0)) {
      this.close();
      return firstError;
    }
    if (!explicit) {
      this.interfacePoll = setInterval(() => void this.syncInterfaces(), INTERFACE_POLL_MS);
      this.interfacePoll.unref();
    }
    return undefined;
  }

  close(): void {
    if (this.interfacePoll) clearInterval(this.interfacePoll);
    this.interfacePoll = undefined;
    for (const { socket } of this.sockets.values()) {
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
    this.sockets.clear();
  }

  /** Whether `socket` still listens on `local` (a request held for later came in on it). */
  has(local: LocalAddress, socket: Socket): boolean {
    return this.sockets.get(local.address)?.socket === socket;
  }

  addresses(): ListenAddress[] {
    return [...this.sockets.values()].map(({ socket, local }) => {
      const a: ListenAddress = { address: local.address, port: socket.address().port, family: local.family };
      if (local.interface) a.interface = local.interface;
      return a;
    });
  }

  /** Binds one listening socket; resolves with an error state on failure. */
  private listenOn(local: LocalAddress): Promise<ServerState | undefined> {
    const port = this.port;
    return new Promise((resolve) => {
      const socket = createSocket({
        type: local.family === 'IPv6' ? 'udp6' : 'udp4',
        ipv6Only: local.family === 'IPv6',
      });
      const onBindError = (err: NodeJS.ErrnoException) => {
        try {
          socket.close();
        } catch {
          // never bound
        }
        resolve(bindErrorState(err, local.address, port));
      };
      socket.once('error', onBindError);
      socket.bind({ address: local.address, port, exclusive: true }, () => {
        socket.off('error', onBindError);
        socket.on('error', (err: NodeJS.ErrnoException) =>
          this.events.log('warn', `listening socket on ${local.address}: ${err.code ?? 'error'}`),
        );
        socket.on('message', (msg: Buffer, rinfo: RemoteInfo) =>
          this.events.request(msg, rinfo, local, socket),
        );
        this.sockets.set(local.address, { socket, local });
        resolve(undefined);
      });
    });
  }

  /** Keeps "all interfaces" in step with the machine: an adapter plugged in after Start works. */
  private async syncInterfaces(): Promise<void> {
    if (!this.events.listening()) return;
    const now = localAddresses();
    const wanted = new Set(now.map((a) => a.address));
    let changed = false;
    for (const [address, l] of this.sockets) {
      if (!wanted.has(address)) {
        try {
          l.socket.close();
        } catch {
          // gone already
        }
        this.sockets.delete(address);
        this.events.log('info', `stopped listening on ${address} (address removed)`);
        changed = true;
      }
    }
    for (const local of now) {
      if (this.sockets.has(local.address)) continue;
      const err = await this.listenOn(local);
      if (!this.events.listening()) {
        this.close();
        return;
      }
      if (!err) {
        this.events.log('info', `now listening on ${local.address} (${local.interface})`);
        changed = true;
      }
    }
    if (changed) this.events.addressesChanged();
  }
}
