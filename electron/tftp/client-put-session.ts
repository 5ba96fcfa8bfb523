// Sending a file (the client's WRQ): RFC 1350 section 2 (WRQ answered by ACK 0, then DATA n is
// answered by ACK n; a short block ends the transfer), RFC 2347 (an OACK stands for ACK 0),
// RFC 7440 (windowed sending: up to `windowsize` blocks before an ACK; an ACK short of the last
// block sent reports a gap and the window restarts after it), RFC 1123 4.2.3.1 (Sorcerer's
// Apprentice: a repeated ACK never causes a resend, only the timer does).
//
// Round trips are timed on blocks sent exactly once (Karn) to adapt the resend timer (retransmit.ts).
import { seqFromWire } from './block-window.js';
import {
  ClientSession,
  type ClientOutput,
  type ClientSessionConfig,
  type LocalFailure,
} from './client-session.js';
import type { Packet } from './packet.js';

export interface PutOutput extends ClientOutput {
  /** sends DATA for block seq (loaded by PutSource.load) */
  sendBlock(seq: number): void;
}

export interface PutSource {
  /** loads block seq (blocks are asked for in order); a failure ends the transfer */
  load(seq: number): LocalFailure | undefined;
  /** seq of the final (short, possibly empty) block, once it has been loaded */
  readonly lastSeq: number | undefined;
  /** every block up to and including seq is acknowledged */
  release(seq: number): void;
}

export class PutSession extends ClientSession {
  /** first block not yet acknowledged */
  base = 1;
  /** next block to send */
  next = 1;
  private loaded = 0;
  private highestSent = 0;
  private timedSeq = 0;
  private timedSentAt = 0;

  constructor(
    config: ClientSessionConfig,
    private readonly out: PutOutput,
    private readonly source: PutSource,
  ) {
    super(config, out);
  }

  protected isPlainStart(packet: Packet): boolean {
    return packet.kind === 'ack' && packet.block === 0;
  }

  protected begin(_first: Packet | undefined, now: number): void {
    this.pump(now);
  }

  protected onPacket(packet: Packet, now: number): void {
    if (packet.kind !== 'ack') return; // a repeated OACK: our DATA 1 is on its way or the timer resends it
    const acked = seqFromWire(packet.block, this.base - 1);
    if (acked < this.base || acked >= this.next) return; // repeated or never sent: no resend here (SAS)
    this.timer.progress();
    if (this.timedSeq > 0 && acked >= this.timedSeq) {
      this.timer.sample(now - this.timedSentAt);
      this.timedSeq = 0;
    }
    this.base = acked + 1;
    this.source.release(acked);
    const last = this.source.lastSeq;
    if (last !== undefined && acked >= last) return this.finish();
    if (this.next > this.base) this.next = this.base; // RFC 7440: a gap; resend from there
    this.pump(now);
  }

  protected onTimeout(now: number): void {
    this.next = this.base;
    this.timedSeq = 0; // Karn: no samples from a resent window
    this.pump(now);
  }

  private pump(now: number): void {
    const end = this.base + this.options.windowsize;
    while (this.next < end) {
      const last = this.source.lastSeq;
      if (last !== undefined && this.next > last) break;
      if (this.next > this.loaded) {
        const failure = this.source.load(this.next);
        if (failure !== undefined) return this.localFailure(failure);
        this.loaded = this.next;
      }
      this.out.sendBlock(this.next);
      if (this.next > this.highestSent) {
        this.highestSent = this.next;
        if (this.timedSeq === 0) {
          this.timedSeq = this.next;
          this.timedSentAt = now;
        }
      } else this.retransmits++;
      this.next++;
    }
    this.arm(now);
  }
}
