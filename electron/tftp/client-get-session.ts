// Receiving a file (the client's RRQ): RFC 1350 section 2 (lock-step DATA/ACK, a short block ends
// the transfer), RFC 2347 (after an OACK the client sends ACK 0), RFC 7440 section 4 (windowed
// receiving: ACK after every `windowsize` blocks in order; on a gap or a repeated window, ACK the
// last block received in order so the server resends from there).
//
// Block numbers roll over 65535 -> 0 (block-window.ts): blocks are counted by sequence number.
// Repeated DATA is answered with an ACK once per stretch of progress (every time in lock-step, as
// RFC 1350 peers expect): a whole window resent must not draw a window of ACKs.
import { seqFromWire } from './block-window.js';
import {
  ClientSession,
  type ClientOutput,
  type ClientSessionConfig,
  type LocalFailure,
} from './client-session.js';
import type { Packet } from './packet.js';

export interface GetOutput extends ClientOutput {
  sendAck(wire: number): void;
  /** the payload of the next block in order; a failure (disk full...) ends the transfer */
  deliver(data: Buffer): LocalFailure | undefined;
}

export class GetSession extends ClientSession {
  /** the next block wanted */
  expected = 1;
  private sinceAck = 0;
  private reAcked = false;

  constructor(
    config: ClientSessionConfig,
    private readonly out: GetOutput,
  ) {
    super(config, out);
  }

  protected isPlainStart(packet: Packet): boolean {
    return packet.kind === 'data' && packet.block === 1;
  }

  protected begin(first: Packet | undefined, now: number): void {
    if (first === undefined) {
      this.out.sendAck(0); // RFC 2347: ACK 0 accepts the OACK
      this.arm(now);
      return;
    }
    this.onPacket(first, now);
  }

  protected onPacket(packet: Packet, now: number): void {
    if (packet.kind === 'oack') {
      // Our ACK 0 was lost and the server repeats its OACK.
      if (this.expected === 1) this.ackNow(0, now);
      return;
    }
    if (packet.kind !== 'data') return;
    // Blocks may arrive from a window behind or ahead of `expected`: read the wire number around it.
    const seq = seqFromWire(packet.block, Math.max(0, this.expected - 32768));
    if (seq !== this.expected) {
      if (this.options.windowsize === 1 || !this.reAcked) {
        this.reAcked = true;
        this.sinceAck = 0;
        this.ackNow(this.expected - 1, now);
      }
      return;
    }
    if (packet.data.length > this.options.blksize) return this.protocolError('block larger than blksize');
    const failure = this.out.deliver(packet.data);
    if (failure !== undefined) return this.localFailure(failure);
    this.timer.progress();
    this.expected++;
    this.sinceAck++;
    this.reAcked = false;
    if (packet.data.length < this.options.blksize) {
      this.out.sendAck(seq & 0xffff);
      return this.finish();
    }
    if (this.sinceAck >= this.options.windowsize) {
      this.sinceAck = 0;
      this.out.sendAck(seq & 0xffff);
    }
    this.arm(now);
  }

  protected onTimeout(now: number): void {
    // The server resends on its own timer; our ACK of what we have covers a lost ACK or window tail.
    this.sinceAck = 0;
    this.retransmits++;
    this.ackNow(this.expected - 1, now);
  }

  private ackNow(seq: number, now: number): void {
    this.out.sendAck(seq & 0xffff);
    this.arm(now);
  }
}
