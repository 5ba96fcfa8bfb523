// A bare UDP socket that speaks TFTP one packet at a time: for cases no real client can produce
// (hand-made requests, duplicate ACKs, a stranger's packet, an ERROR mid-transfer) and for
// looking at exactly what the server put on the wire.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import type { LoopbackHost } from './ports.js';
import { packetSummary, parse, type WirePacket } from './tftp-wire.js';

export interface Received {
  raw: Buffer;
  packet: WirePacket;
  from: { address: string; port: number };
}

/** Packets kept while nobody is waiting; a flood beyond this is a bug worth seeing, not buffering. */
const QUEUE_LIMIT = 100_000;

export class RawClient {
  private readonly queue: Received[] = [];
  private waiter: ((r: Received) => void) | undefined;
  private closed = false;
  private pending = 0;
  private flushed: (() => void) | undefined;
  private closing: Promise<void> | undefined;

  private constructor(
    private readonly socket: Socket,
    readonly host: LoopbackHost,
  ) {
    socket.on('message', (raw: Buffer, rinfo: RemoteInfo) => {
      const r: Received = { raw, packet: parse(raw), from: { address: rinfo.address, port: rinfo.port } };
      const w = this.waiter;
      if (w) {
        this.waiter = undefined;
        w(r);
      } else if (this.queue.length < QUEUE_LIMIT) {
        this.queue.push(r);
      }
    });
    socket.on('error', () => undefined); // ICMP unreachable after the server closed: not our concern
  }

  /** A client socket on `host` (an ephemeral port: its TID). */
  static async open(host: LoopbackHost = '127.0.0.1'): Promise<RawClient> {
    const socket = createSocket({ type: isIPv6(host) ? 'udp6' : 'udp4', ipv6Only: isIPv6(host) });
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, () => resolve());
    });
    return new RawClient(socket, host);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Sends one datagram; close() waits for it to leave (dgram sends are asynchronous). */
  send(buf: Buffer, port: number, address: string = this.host): void {
    if (this.closed) throw new Error('send on a closed RawClient');
    this.pending++;
    this.socket.send(buf, port, address, () => {
      this.pending--;
      if (this.pending === 0) this.flushed?.();
    });
  }

  /** The next packet; rejects when none arrives within timeoutMs. */
  next(timeoutMs = 3000): Promise<Received> {
    const queued = this.queue.shift();
    if (queued) return Promise.resolve(queued);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new Error(`no packet within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = (r) => {
        clearTimeout(timer);
        resolve(r);
      };
    });
  }

  /**
   * The first packet that matches, dropping others on the way (a timer resend of the previous
   * packet, say); rejects when none matches within timeoutMs.
   */
  async nextWhere(match: (r: Received) => boolean, timeoutMs = 3000): Promise<Received> {
    const end = Date.now() + timeoutMs;
    for (let left = timeoutMs; left > 0; left = end - Date.now()) {
      const r = await this.next(left);
      if (match(r)) return r;
    }
    throw new Error(`no matching packet within ${timeoutMs} ms`);
  }

  /** The next packet, or undefined after timeoutMs of silence. */
  async maybeNext(timeoutMs: number): Promise<Received | undefined> {
    try {
      return await this.next(timeoutMs);
    } catch {
      return undefined;
    }
  }

  /** Everything that arrives within `ms` (already queued packets included). */
  async collect(ms: number): Promise<Received[]> {
    const out: Received[] = [];
    const end = Date.now() + ms;
    for (let left = ms; left > 0; left = end - Date.now()) {
      const r = await this.maybeNext(left);
      if (!r) break;
      out.push(r);
    }
    return out;
  }

  /** Closes the socket once every datagram passed to send() has gone out (a final ACK must not be lost). */
  close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      this.closing = new Promise<void>((resolve) => {
        const done = () => this.socket.close(() => resolve());
        if (this.pending === 0) done();
        else this.flushed = done;
      });
    }
    return this.closing ?? Promise.resolve();
  }
}

/** Fails with the packet that arrived instead of the expected kind. */
export function expectPacket<K extends WirePacket['op']>(r: Received, op: K): Extract<WirePacket, { op: K }> {
  if (r.packet.op !== op) throw new Error(`expected ${op.toUpperCase()}, got ${packetSummary(r.packet)}`);
  return r.packet as Extract<WirePacket, { op: K }>;
}
