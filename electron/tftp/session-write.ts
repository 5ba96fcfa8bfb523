// RFC 1350 section 2 (write transfers), RFC 2347 (OACK instead of ACK 0), RFC 7440 (the receiver
// acknowledges each window, and on a gap acknowledges the last block received in order).
//
// The state machine of one upload. No I/O: it is fed packets and the time; it hands accepted
// payloads to its output in order and asks it to send ACKs. The final ACK goes out only after the
// output reports the file committed (synced and renamed); then the session dallies for two
// timeouts to re-acknowledge a repeated last DATA.
//
// The client resends a lost DATA on its own timer. busybox restarts that timer on every packet it
// receives and ignores a repeated ACK, so an ACK resent before its timer fires only postpones the
// DATA. Once a DATA has come on the client's timer (after silence from us), a lock-step upload
// waits that long, and a little more, before resending an ACK: the client speaks first.
//
//   awaiting-data --DATA 1--> receiving --short DATA--> committing --committed--> dallying --> done
//         |                       |                         |
//         +------ retries exhausted / client ERROR / oversize / write error ------> failed
import { TftpErrorCode } from '../../shared/tftp-types.js';
import { seqFromWire } from './block-window.js';
import { RetransmitPolicy } from './retransmit.js';

/**
 * The earliest an ACK is resent for want of the next DATA. At 100 ms, a curl upload at 5 % loss
 * spent 7 of its 8 s waiting on it (70 losses a MiB at blksize 1468); the estimate rises above
 * the floor when round trips grow.
 */
export const ACK_RESEND_FLOOR_MS = 10;
/** Unasked repeats of the final ACK while dallying. */
export const FINAL_ACK_RESENDS = 2;
/** A DATA this long after our last ACK came on the client's timer (and times it), not as an answer. */
const MIN_CLIENT_TIMER_MS = 60;
/** Our ACK resend waits out the client's timer by this factor. */
const CLIENT_TIMER_MARGIN = 1.25;
/** How long an OACK'd upload waits, silently, for its first DATA. */
export const FIRST_DATA_WAIT_MS = 80_000;

export type WriteState = 'awaiting-data' | 'receiving' | 'committing' | 'dallying' | 'done' | 'failed';

export interface WriteOutput {
  /** sends ACK for block seq (seq 0 = ACK 0) */
  sendAck(seq: number): void;
  sendOack(): void;
  /** an in-order payload; `last` marks the final block (the driver calls holdAcks() when it is full) */
  accept(data: Buffer, last: boolean): void;
  /** every block is written: sync, rename, then call committed() or localError() */
  commit(): void;
  finished(): void;
  failed(code: TftpErrorCode, message: string, by: 'server' | 'client' | 'timeout'): void;
}

export interface WriteSessionConfig {
  blksize: number;
  windowsize: number;
  timeoutMs: number;
  retries: number;
  withOack: boolean;
  maxBytes: number;
}

export class WriteSession {
  state: WriteState = 'awaiting-data';
  /** next block expected */
  expected = 1;
  bytes = 0;
  retransmits = 0;
  private lastAcked = 0;
  private gapAckedFor = -1;
  private deadline = 0;
  private readonly timer: RetransmitPolicy;
  /** ACKs held back while the writer catches up (flow control) */
  private ackHeld = false;
  private startedAt = 0;
  private dallyEnd = 0;
  private dallyResends = 0;
  /** when the last fresh ACK went out, for a round-trip sample on the next DATA (-1: none) */
  private ackSentAt = -1;
  /** when any ACK (or the OACK) last went out */
  private lastAckAt = 0;
  /** timer resends since the last new block */
  private stallResends = 0;
  /** the lock-step client's own retransmission timer, measured from a DATA that came on it */
  private clientTimerMs: number | undefined;

  constructor(
    private readonly config: WriteSessionConfig,
    private readonly out: WriteOutput,
  ) {
    // The client is the sender and keeps its own timer, often a long one (curl's is 72 s): our ACK
    // resent at the round trip is what recovers a lost DATA or ACK. curl resends its DATA on a
    // duplicate ACK and counts it as a retry, so the estimate (not less than the floor) keeps an
    // ACK from going out again while its answer is still on the way.
    this.timer = new RetransmitPolicy({
      ceilingMs: config.timeoutMs,
      retries: config.retries,
      floorMs: ACK_RESEND_FLOOR_MS,
    });
  }

  start(now: number): void {
    this.startedAt = now;
    this.lastAckAt = now;
    this.sendFirst();
    this.ackSentAt = now;
    this.arm(now);
  }

  private sendFirst(): void {
    if (this.config.withOack) this.out.sendOack();
    else this.out.sendAck(0);
  }

  data(wire: number, payload: Buffer, now: number): void {
    if (this.state === 'dallying') {
      // The final ACK was lost: the client repeats the last DATA.
      if (seqFromWire(wire, this.expected - 1) === this.expected - 1) this.out.sendAck(this.expected - 1);
      return;
    }
    if (this.state !== 'awaiting-data' && this.state !== 'receiving') return;
    const seq = seqFromWire(wire, this.expected - 1);
    if (seq <= this.expected) this.measureClientTimer(now);
    if (seq !== this.expected) {
      if (seq < this.expected) {
        // A repeat: our ACK was lost. Re-acknowledge what we have (lockstep clients wait for it).
        if (this.config.windowsize === 1 || seq === this.lastAcked) {
          this.lastAckAt = now;
          this.out.sendAck(this.expected - 1);
        }
      } else if (this.gapAckedFor !== this.expected) {
        // A gap inside a window: report the last block in order, once per gap (RFC 7440).
        this.gapAckedFor = this.expected;
        this.ackNow(now);
      }
      return;
    }
    if (payload.length > this.config.blksize) {
      this.fail(TftpErrorCode.IllegalOperation, 'DATA larger than the block size', 'server');
      return;
    }
    if (this.bytes + payload.length > this.config.maxBytes) {
      this.fail(TftpErrorCode.DiskFull, 'Upload exceeds the maximum size', 'server');
      return;
    }
    this.timer.progress();
    this.stallResends = 0;
    if (this.ackSentAt >= 0) {
      this.timer.answered(now - this.ackSentAt); // a late DATA came on the client's timer
      this.ackSentAt = -1;
    }
    if (this.state === 'awaiting-data') this.state = 'receiving';
    this.bytes += payload.length;
    this.expected++;
    const last = payload.length < this.config.blksize;
    this.out.accept(payload, last);
    if (last) {
      this.state = 'committing';
      this.out.commit();
      return;
    }
    if (this.expected - 1 - this.lastAcked >= this.config.windowsize) this.ackNow(now);
    else this.arm(now);
  }

  /**
   * A DATA after timer resends and after silence from us longer than any answer takes: no ACK of
   * ours drew it, the client's own timer did, and that silence is how long the client waits.
   */
  private measureClientTimer(now: number): void {
    if (this.config.windowsize > 1 || this.stallResends === 0) return;
    const silence = now - this.lastAckAt;
    if (silence >= Math.max(MIN_CLIENT_TIMER_MS, 2 * this.timer.roundTripEstimateMs())) {
      // The longest seen: a DATA held up on a busy machine must not shorten it.
      this.clientTimerMs = Math.max(this.clientTimerMs ?? 0, silence);
    }
  }

  /** The client repeated its WRQ (our OACK or ACK 0 was lost): answer it again. */
  requestRepeated(now: number): void {
    if (this.state !== 'awaiting-data') return;
    this.retransmits++;
    this.sendFirst();
    // Karn: DATA 1 now answers the resend, not the first send (the first OACK's time would make
    // the round trip the client's 5 s timer, and every later lost block wait seconds).
    this.ackSentAt = -1;
    this.arm(now);
  }

  /** The writer has room again after holdAcks(): send the ACK that was held back. */
  resume(now: number): void {
    if (!this.ackHeld) return;
    this.ackHeld = false;
    if (this.state === 'receiving' || this.state === 'awaiting-data') this.ackNow(now);
  }

  /** The writer is full: hold the next ACK so the client waits (flow control). */
  holdAcks(): void {
    this.ackHeld = true;
  }

  private ackNow(now: number): void {
    if (this.ackHeld) return;
    this.lastAcked = this.expected - 1;
    this.lastAckAt = now;
    this.out.sendAck(this.lastAcked);
    this.ackSentAt = now;
    this.arm(now);
  }

  /** The file is synced and in place: acknowledge the last block and dally. */
  committed(now: number): void {
    if (this.state !== 'committing') return;
    this.state = 'dallying';
    this.lastAcked = this.expected - 1;
    this.out.sendAck(this.lastAcked);
    this.dallyEnd = now + 2 * this.config.timeoutMs;
    this.dallyResends = FINAL_ACK_RESENDS;
    this.deadline = Math.min(this.dallyEnd, now + this.timer.currentTimeoutMs());
    this.out.finished();
  }

  peerError(code: number, message: string): void {
    if (this.state === 'done' || this.state === 'failed' || this.state === 'dallying') return;
    this.state = 'failed';
    this.out.failed(code as TftpErrorCode, message, 'client');
  }

  localError(code: TftpErrorCode, message: string): void {
    this.fail(code, message, 'server');
  }

  private fail(code: TftpErrorCode, message: string, by: 'server' | 'client' | 'timeout'): void {
    // Once the file is committed and acknowledged the upload has succeeded: nothing can fail it.
    if (this.state === 'done' || this.state === 'failed' || this.state === 'dallying') return;
    this.state = 'failed';
    this.out.failed(code, message, by);
  }

  tick(now: number): void {
    if (now < this.deadline) return;
    if (this.state === 'dallying') {
      // A lost final ACK costs curl 72 s before it repeats its last DATA: send the final ACK a
      // couple more times unasked (a duplicate is harmless to a client that already finished).
      if (this.dallyResends > 0 && now < this.dallyEnd) {
        this.dallyResends--;
        this.out.sendAck(this.lastAcked);
        this.deadline = Math.min(this.dallyEnd, now + 4 * this.timer.currentTimeoutMs());
        return;
      }
      if (now >= this.dallyEnd) this.state = 'done';
      else this.deadline = this.dallyEnd;
      return;
    }
    if (this.state !== 'awaiting-data' && this.state !== 'receiving') return;
    if (this.ackHeld) {
      this.arm(now); // waiting on our own disk, not on the client
      return;
    }
    if (this.state === 'awaiting-data' && this.config.withOack && !this.framingIsDefault()) {
      // An OACK is never resent on our timer: curl takes a second OACK as the ACK of its DATA 1
      // and shifts the whole file by a block. A client whose OACK was lost repeats its WRQ
      // (requestRepeated answers it); one whose DATA 1 was lost resends it on its own timer,
      // which for curl is 72 s. So wait silently, long enough for that, sending nothing.
      // (With default framing the timer sends ACK 0 instead: see below.)
      const limit = Math.max(this.config.timeoutMs * (this.config.retries + 1), FIRST_DATA_WAIT_MS);
      if (now - this.startedAt >= limit)
        this.fail(TftpErrorCode.NotDefined, 'Timed out waiting for the client', 'timeout');
      else this.arm(now);
      return;
    }
    if (!this.timer.timedOut()) {
      this.fail(TftpErrorCode.NotDefined, 'Timed out waiting for the client', 'timeout');
      return;
    }
    this.retransmits++;
    this.stallResends++;
    this.lastAckAt = now;
    this.ackSentAt = -1; // Karn: no sample across a resend
    // Waiting for DATA 1, the timer sends ACK 0, also after an OACK when the framing is the
    // default (blksize 512, no window, as curl asks): curl resends DATA 1 at once on an ACK that
    // does not match, and a client whose OACK was lost and falls back to defaults still frames
    // its blocks as we expect.
    if (this.state === 'awaiting-data') this.out.sendAck(0);
    else {
      this.lastAcked = this.expected - 1;
      this.out.sendAck(this.lastAcked);
    }
    this.arm(now);
  }

  private framingIsDefault(): boolean {
    return this.config.blksize === 512 && this.config.windowsize === 1;
  }

  private arm(now: number): void {
    this.deadline = now + this.waitMs();
  }

  /**
   * The timer's wait, but for a lock-step client whose own timer is known, never less than it,
   * except the first resend for a block: when our ACK was lost, that resend is what the client
   * waits for and it moves on at once; when its DATA was lost, it only restarts the client's
   * timer (busybox) for a round trip's worth. Half of the losses then cost a round trip, not 100 ms.
   */
  private waitMs(): number {
    const normal = this.timer.currentTimeoutMs();
    if (
      this.config.windowsize > 1 ||
      this.clientTimerMs === undefined ||
      this.state !== 'receiving' ||
      this.stallResends === 0
    ) {
      return normal;
    }
    return Math.max(normal, Math.min(this.clientTimerMs * CLIENT_TIMER_MARGIN, this.config.timeoutMs));
  }
}
