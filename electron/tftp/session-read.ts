// RFC 1350 section 2 (read transfers), RFC 2347 (OACK, then DATA 1 waits for ACK 0), RFC 7440
// (windowed sending), RFC 1123 4.2.3.1 (Sorcerer's Apprentice: a duplicate ACK never triggers a
// resend; only a timeout does).
//
// The state machine of one download. No I/O: it is fed packets and the time, and asks its output
// to send blocks. The driver (transfer-read.ts) owns the socket and the file.
//
// Pacing: a window larger than the client's socket buffer (8192 x 32 on loopback) loses its tail
// every time, and both peers then wait on their timers. So a window goes out in bursts with a
// short pause between them (the driver's resumeLater); the burst halves on loss and grows by one
// per clean window up to just below the burst that last lost (probing above it now and then),
// settling under what the client can absorb, while the window itself (what the client
// acknowledges) stays as negotiated.
//
// Lock-step clients and their own timers: busybox never answers a repeated block, atftp answers one
// only once, and both restart their own timer on every packet they receive. When such a client's
// ACK is lost, each of our resends only postpones the ACK it sends when its timer fires, so after
// the quick resends that repair a lost block, the session goes quiet for longer than the client's
// timer (learned from the ACKs that came on it: ~100 ms for busybox, 5 s for atftp) and lets it
// speak. While quiet, a repeated ACK of the block before (the client's timer fired without the
// block) is answered with one resend: it proves the loss, and it comes at the pace of the client's
// timer, never of our sends, so it cannot start the Sorcerer's Apprentice. A client known to check
// the order (busybox, atftp: config.checksOrder) is also sent the next block with the first
// resend, which it takes and ACKs at once if it had the block (sendAhead): no wait for its timer.
//
//   negotiating --ACK 0--> sending --ACK of last block--> done
//        |                    |
//        +---- retries exhausted / client ERROR / local error ----> failed
import { TftpErrorCode } from '../../shared/tftp-types.js';
import { seqFromWire } from './block-window.js';
import { INITIAL_RTO_MS, RetransmitPolicy } from './retransmit.js';

/** Silence after which a proven client counts as deaf to repeated blocks. */
export const PROBE_AFTER_MS = 400;
/**
 * The earliest a block is resent for want of an ACK. Loopback and LAN round trips are well under a
 * millisecond, and the estimate rises above the floor when they grow (a busy event loop, a slow
 * device), so the floor only sets what a lost packet costs on a fast link: at 20 ms, the 5 % loss
 * run spent 4 of curl's 5.5 s waiting on it (200 losses a MiB at blksize 512). A resend that was
 * not needed costs one datagram: the ACK it draws is a duplicate, which draws nothing (RFC 1123).
 */
const RESEND_FLOOR_MS = 5;
/**
 * A repeated ACK during a quiet wait is answered at most this often (or every two round trips, if
 * longer): a storm of them, real or spoofed, draws 25 blocks a second at most, however low the
 * resend floor.
 */
const REPEATED_ACK_GAP_MS = 40;
/**
 * The client's own retransmission timer until one is measured: atftp, tftp-hpa, curl and U-Boot
 * wait 5 s by default.
 */
export const CLIENT_TIMER_GUESS_MS = 5000;
/** Quick resends (at the round trip, doubling) span at most this share of the client's timer. */
const QUICK_SHARE = 1 / 8;
/** A quiet wait outlasts the client's timer by this factor, then grows by QUIET_GROWTH each time. */
const QUIET_MARGIN = 1.25;
/** busybox lengthens its timer by half each time it fires in vain. */
const QUIET_GROWTH = 1.5;
/**
 * An ACK this long after our last send came on the client's timer (and times it), not as an answer
 * (busybox's is 100 ms; an event loop held up on a busy machine delivers a prompt ACK late).
 */
const MIN_CLIENT_TIMER_MS = 60;
/** Clean windows between probes above the burst that last lost. */
const PROBE_EVERY = 16;
/**
 * A request from the port of a client that has answered ends its session only after the client
 * has been silent this long: a live client ACKs within milliseconds, so a request while it talks is
 * a delayed or spoofed copy, not a new process on the port.
 */
export const STARTED_OVER_SILENCE_MS = 1000;
/**
 * A repeated request is answered only this long after our last answer to it (network copies of one
 * request come within a millisecond; busybox repeats its request after 100 ms, and a lost OACK
 * must not cost it the 1.3 s a one-second gap did)...
 */
export const REPEAT_ANSWER_GAP_MS = 50;
/** ...and this many times at most: the request may be spoofed (reflection). */
export const MAX_REPEAT_ANSWERS = 3;

export type ReadState = 'negotiating' | 'sending' | 'done' | 'failed';

export interface ReadOutput {
  sendOack(): void;
  /** call resume() soon (next turn of the event loop): the session paces a window in bursts */
  resumeLater(): void;
  /** sends the DATA packet of one block (the driver has it loaded: see ReadSource.has) */
  sendBlock(seq: number): void;
  /** every block up to and including seq is acknowledged: its buffers may be reused */
  released(seq: number): void;
  finished(): void;
  failed(code: TftpErrorCode, message: string, by: 'server' | 'client' | 'timeout'): void;
}

export interface ReadSource {
  /** is the DATA packet of block seq loaded and ready to send? */
  has(seq: number): boolean;
  /** seq of the final (short) block, once known */
  readonly lastSeq: number | undefined;
}

export interface ReadSessionConfig {
  windowsize: number;
  /** negotiated timeout, ms */
  timeoutMs: number;
  retries: number;
  withOack: boolean;
  /**
   * The client is one known to take only the block it expects (busybox and atftp compare each
   * block number with the next one they want): a lock-step session may then send the block after
   * the unacknowledged one with each resend (see sendAhead). Off for any other client.
   */
  checksOrder?: boolean;
  /**
   * The client may abort on a second OACK (atftp does): the OACK is resent only after the client's
   * own timer had its turn to resend ACK 0 (see waitMs).
   */
  refusesRepeatedOack?: boolean;
}

export class ReadSession {
  state: ReadState = 'negotiating';
  /** first block not yet acknowledged */
  base = 1;
  /** next block to send */
  next = 1;
  /** resends (blocks sent more than once), for the stats */
  retransmits = 0;
  private deadline = 0;
  /** the block whose ACK times a round trip (0: none yet); only a block sent once (Karn) */
  private timedSeq = 0;
  private timedSentAt = 0;
  /** the OACK went out once: ACK 0 times a round trip */
  private oackTimed = false;
  private highestSent = 0;
  /** blocks sent back to back before yielding */
  private burst: number;
  /** a resume is scheduled */
  private paused = false;
  /** the burst is cut at most once per window: not again before base passes this block */
  private cutUntil = 0;
  /** the burst that last lost packets: growth stops below it, probing above it now and then */
  private lossBurst = Number.POSITIVE_INFINITY;
  private cleanWindows = 0;
  private readonly timer: RetransmitPolicy;
  /** when an ACK last moved the window */
  private lastProgressAt = 0;
  /** when the OACK or DATA 1 last went out while the client had not answered yet */
  private lastAnswerAt = 0;
  private repeatAnswers = 0;
  /** when any ACK last came from the client */
  private lastHeardAt = 0;
  /** timeouts since the client has been silent for PROBE_AFTER_MS */
  private deafTimeouts = 0;
  /** while the client is deaf: resends reach this block, every block sent so far (0: just the window) */
  private resendThrough = 0;
  /** when a DATA packet last went out */
  private lastSentAt = 0;
  /** timer resends since the window last moved */
  private stallResends = 0;
  /** quiet waits since the window last moved (lock-step: the client's timer is to speak) */
  private quietWaits = 0;
  /** the lock-step client's own retransmission timer, measured from an ACK that came on it */
  private clientTimerMs: number | undefined;
  /** the wait armed last, ms */
  private armedMs = 0;

  constructor(
    private readonly config: ReadSessionConfig,
    private readonly source: ReadSource,
    private readonly out: ReadOutput,
  ) {
    this.timer = new RetransmitPolicy({
      ceilingMs: config.timeoutMs,
      retries: config.retries,
      floorMs: RESEND_FLOOR_MS,
      // The OACK or DATA 1 is resent after a second, not the whole timeout: curl asks for 6 s and
      // does not resend its ACK 0 within it, so one lost ACK 0 cost it 6 s.
      unprovenFirstMs: Math.min(config.timeoutMs, INITIAL_RTO_MS),
    });
    this.burst = config.windowsize;
  }

  start(now: number): void {
    this.lastProgressAt = now;
    this.lastAnswerAt = now;
    if (this.config.withOack) {
      this.oackTimed = true;
      this.timedSentAt = now;
      this.out.sendOack();
      this.arm(now);
    } else {
      this.state = 'sending';
      this.pump(now);
    }
  }

  /** ACK from the peer (already checked to come from the session's TID). */
  ack(wire: number, now: number): void {
    this.lastHeardAt = now;
    if (this.state === 'negotiating') {
      if (wire !== 0) return; // only ACK 0 accepts the OACK
      this.timer.progress();
      // A late ACK 0 came on the client's timer (atftp's, whose OACK resend is held back): see answered().
      if (this.oackTimed) this.timer.answered(now - this.timedSentAt);
      this.state = 'sending';
      this.pump(now);
      return;
    }
    if (this.state !== 'sending') return;
    const acked = seqFromWire(wire, this.base - 1);
    if (acked === this.base - 1) {
      this.repeatedAck(now);
      return;
    }
    // Stale/duplicate (acked < base) or for a block never sent: ignore. No resend here (SAS).
    if (acked < this.base || acked > this.highestSent) return;
    if (this.stallResends > 0) this.measureClientTimer(now);
    this.stallResends = 0;
    this.quietWaits = 0;
    this.timer.progress();
    this.lastProgressAt = now;
    this.deafTimeouts = 0;
    this.resendThrough = 0;
    if (this.timedSeq > 0 && acked >= this.timedSeq) {
      this.timer.sample(now - this.timedSentAt);
      this.timedSeq = 0;
    }
    this.base = acked + 1;
    this.out.released(acked);
    const last = this.source.lastSeq;
    if (last !== undefined && acked >= last) {
      this.state = 'done';
      this.out.finished();
      return;
    }
    // RFC 7440: an ACK short of what was sent reports a gap; the next window starts after it.
    if (this.next > this.base) {
      this.next = this.base;
      this.lost();
    } else if (this.next < this.base) {
      this.next = this.base; // a resend cut short by pacing: what is acknowledged is never sent again
    } else if (this.burst < this.config.windowsize && acked >= this.cutUntil) {
      this.cleanWindows++;
      if (this.burst + 1 < this.lossBurst || this.cleanWindows % PROBE_EVERY === 0) this.burst++;
    }
    this.arm(now);
    this.pump(now);
  }

  /**
   * The ACK of the block before the first unacknowledged one, again. Ignored (RFC 1123 4.2.3.1),
   * except while a lock-step session waits quietly for the client's timer and has sent nothing
   * for two round trips: then it is the client's timer firing without the block, and the block
   * goes out once more at once instead of at the end of the quiet wait.
   */
  private repeatedAck(now: number): void {
    if (this.quietWaits === 0 || this.config.windowsize > 1 || !this.source.has(this.base)) return;
    if (now - this.lastSentAt < Math.max(REPEATED_ACK_GAP_MS, 2 * this.timer.roundTripTimeoutMs())) return;
    this.timedSeq = 0; // Karn: what answers it times nothing
    this.next = this.base;
    this.pump(now);
  }

  /**
   * The window moved after timer resends. If nothing was sent for a while before this ACK, no
   * send of ours drew it: the client's own timer did, and that silence is how long it waits.
   */
  private measureClientTimer(now: number): void {
    if (this.config.windowsize > 1) return;
    const silence = now - this.lastSentAt;
    if (silence >= Math.max(MIN_CLIENT_TIMER_MS, 2 * this.timer.roundTripTimeoutMs())) {
      // The longest seen: too short a timer restarts the client's with every quiet resend, too
      // long only lengthens the quick resends (an eighth of it) a little.
      this.clientTimerMs = Math.max(this.clientTimerMs ?? 0, silence);
    }
  }

  /** New blocks were loaded: send what the window allows. */
  dataReady(now: number): void {
    if (this.state === 'sending') this.pump(now);
  }

  /** The peer sent ERROR: stop at once, never answer it (RFC 1350 section 7). */
  peerError(code: number, message: string): void {
    if (!this.live) return;
    this.state = 'failed';
    // ERROR 8 from the client means it refused our OACK: a quiet end, reported as the client's.
    this.out.failed(code as TftpErrorCode, message, 'client');
  }

  /** A local failure (file read error): the driver sends the ERROR. */
  localError(code: TftpErrorCode, message: string): void {
    if (!this.live) return;
    this.state = 'failed';
    this.out.failed(code, message, 'server');
  }

  /** Not yet done or failed. */
  private get live(): boolean {
    return this.state === 'negotiating' || this.state === 'sending';
  }

  /** The client has answered us at least once (it is real, and it has heard from us). */
  get clientAnswered(): boolean {
    return this.timer.peerProven;
  }

  /**
   * A request came from the port of a client that has answered us: not a repeat (it has heard
   * from us). Once the client has been silent for STARTED_OVER_SILENCE_MS, it is a new client
   * process that got the same port, the old one gone; before, a copy to ignore.
   */
  mayHaveStartedOver(now: number): boolean {
    return this.live && this.timer.peerProven && now - this.lastHeardAt >= STARTED_OVER_SILENCE_MS;
  }

  /** The client started over (see mayHaveStartedOver): end quietly, an ERROR would reach the new process. */
  clientStartedOver(): void {
    if (!this.live) return;
    this.state = 'failed';
    this.out.failed(
      TftpErrorCode.NotDefined,
      'The client started a new transfer from the same port',
      'client',
    );
  }

  /**
   * The client repeated its request before its first ACK: it has heard nothing from us (our OACK
   * or DATA 1 was lost), so answer now rather than on our timer, which may run seconds longer
   * (atftp repeats an RRQ every 5 s; three OACKs lost in a row otherwise cost it the transfer).
   * At most one answer per REPEAT_ANSWER_GAP_MS (a burst of copies draws none) and
   * MAX_REPEAT_ANSWERS in all, so spoofed repeats cannot draw a stream of packets.
   */
  requestRepeated(now: number): void {
    if (now - this.lastAnswerAt < REPEAT_ANSWER_GAP_MS || this.repeatAnswers >= MAX_REPEAT_ANSWERS) return;
    if (this.timer.peerProven) return;
    if (this.state === 'negotiating') this.out.sendOack();
    else if (this.state === 'sending' && this.base === 1 && this.source.has(1)) {
      this.lastSentAt = now;
      this.out.sendBlock(1);
    } else return;
    this.oackTimed = false; // Karn: an ACK after a resend times nothing
    this.timedSeq = 0;
    this.retransmits++;
    this.repeatAnswers++;
    this.lastAnswerAt = now;
    this.arm(now);
  }

  /** Called periodically; resends from the first unacknowledged block when the timer expired. */
  tick(now: number): void {
    if (!this.live || now < this.deadline) return;
    if (now - this.lastProgressAt >= PROBE_AFTER_MS) this.deafTimeouts++;
    if (!this.timer.timedOut(this.armedMs)) {
      this.state = 'failed';
      this.out.failed(TftpErrorCode.NotDefined, 'Timed out waiting for the client', 'timeout');
      return;
    }
    // Karn: an ACK after a resend times nothing; the next new block starts a fresh sample (after
    // a resent OACK, that is DATA 1: the first window is timed even though ACK 0 was not).
    this.oackTimed = false;
    this.timedSeq = 0;
    if (!this.timer.peerProven) this.lastAnswerAt = now;
    if (this.state === 'negotiating') {
      this.retransmits++;
      this.out.sendOack();
      this.arm(now);
      return;
    }
    this.next = this.base;
    this.stallResends++;
    this.lost();
    // Only to a windowed client: it negotiated RFC 7440 and must drop a block it does not expect.
    // A lock-step client may not check the order: old U-Boot stores a block at its offset and
    // ACKs it, barebox appends it to the stream, so a block past the window would leave a hole
    // or swap two blocks in the image. Lock-step clients known to check it get sendAhead.
    if (this.deafTimeouts > 0 && this.timer.peerProven && this.config.windowsize > 1) this.probe(now);
    this.pump(now);
    this.sendAhead(now);
  }

  /**
   * Lock-step, to a proven client that checks the order (config.checksOrder): with the resend of
   * block n goes block n+1, once. When the client's ACK of n was lost, nothing else makes it speak
   * before its own timer: busybox ignores a repeated block and restarts its 100 ms timer on it,
   * atftp answers one repeat only and then waits 5 s. Block n+1 is the one it waits for, so it
   * takes it and ACKs it at once. A client that lacks n takes n from the resend and then n+1, or
   * drops n+1 (not the block it expects) and asks for n again with its timer. Never before the
   * client has answered (reflection, E6), never past the last block, and one block at most.
   */
  private sendAhead(now: number): void {
    if (!this.config.checksOrder || this.config.windowsize > 1 || !this.timer.peerProven) return;
    if (this.highestSent !== this.base) return; // already one ahead: the resend above repeats it
    const seq = this.base + 1;
    const last = this.source.lastSeq;
    if ((last !== undefined && seq > last) || !this.source.has(seq)) return;
    this.highestSent = seq;
    this.resendThrough = seq; // later resends repeat both blocks
    this.next = seq + 1;
    this.lastSentAt = now;
    this.out.sendBlock(seq);
  }

  /**
   * A proven client has been silent for PROBE_AFTER_MS and the timer fired again: send the block
   * after the highest one sent, then resend everything from the first unacknowledged block.
   * A client that has every block sent but whose ACKs were lost (atftp answers a repeated block
   * only once, then waits on its own timer, which each resend restarts) takes the new block in
   * order, and the repeated blocks after it draw its ACK at once. A client that lacks blocks
   * takes them from the resend as usual. It goes past the window by one block per such timeout.
   * Before that, for an unproven peer (reflection) and for a lock-step client, nothing goes past
   * the window (except sendAhead's one block to a client known to check the order).
   */
  private probe(now: number): void {
    this.resendThrough = this.highestSent;
    const seq = this.highestSent + 1;
    const last = this.source.lastSeq;
    // Inside the window (its sending was cut short) the block simply follows the resend.
    if (seq < this.base + this.config.windowsize) return;
    if ((last !== undefined && seq > last) || !this.source.has(seq)) return;
    this.highestSent = seq;
    if (this.timedSeq === 0) {
      this.timedSeq = seq; // a new block: its ACK times a round trip
      this.timedSentAt = now;
    }
    this.lastSentAt = now;
    this.out.sendBlock(seq);
  }

  /** The paced continuation of a window. */
  resume(now: number): void {
    this.paused = false;
    if (this.state === 'sending') this.pump(now);
  }

  private lost(): void {
    if (this.base <= this.cutUntil) return;
    this.lossBurst = this.burst;
    this.burst = Math.max(1, this.burst >> 1);
    this.cutUntil = this.highestSent;
  }

  /** Sends every loaded block the window allows, then arms the timer. */
  private pump(now: number): void {
    const limit = Math.max(this.base + this.config.windowsize, this.resendThrough + 1);
    const last = this.source.lastSeq;
    let sent = false;
    let inBurst = 0;
    while (this.next < limit && (last === undefined || this.next <= last) && this.source.has(this.next)) {
      if (inBurst === this.burst) {
        if (!this.paused) {
          this.paused = true;
          this.out.resumeLater();
        }
        break;
      }
      inBurst++;
      if (this.next <= this.highestSent) this.retransmits++;
      else {
        this.highestSent = this.next;
        if (this.timedSeq === 0) {
          this.timedSeq = this.next;
          this.timedSentAt = now;
        }
      }
      this.out.sendBlock(this.next);
      this.next++;
      sent = true;
    }
    if (sent) this.lastSentAt = now;
    if (sent || this.deadline <= now) this.arm(now);
  }

  private arm(now: number): void {
    this.armedMs = this.waitMs(now);
    this.deadline = now + this.armedMs;
  }

  /**
   * The next wait: the retransmission timer's, except for a proven lock-step client that did not
   * answer our quick resends. Resending within its own timer only restarts that timer, so the
   * session then waits it out (see the top of this file); those waits count toward the retry limit
   * as waits at the ceiling do.
   */
  private waitMs(now: number): number {
    const normal = this.timer.currentTimeoutMs();
    // The OACK is unanswered. A client that refuses a second OACK resends its own ACK 0 (or its
    // request, answered at once by requestRepeated) when its timer fires: every resend waits that
    // out. Three sends at most all the same (the retry count, not the spacing, bounds reflection).
    if (this.state === 'negotiating' && this.config.refusesRepeatedOack)
      return Math.max(normal, Math.max(this.config.timeoutMs, CLIENT_TIMER_GUESS_MS) * QUIET_MARGIN);
    if (this.config.windowsize > 1 || !this.timer.peerProven || this.stallResends === 0) return normal;
    const clientTimer = this.clientTimerMs ?? CLIENT_TIMER_GUESS_MS;
    if (this.quietWaits === 0 && now - this.lastProgressAt + normal <= clientTimer * QUICK_SHARE)
      return normal;
    this.quietWaits++;
    const first = clientTimer * QUIET_MARGIN;
    const grown = first * QUIET_GROWTH ** (this.quietWaits - 1);
    // Past the ceiling the timer's own doubling (up to 4x) takes over, at least the client's timer:
    // each wait counts toward the retry limit, and a client timer measured too short (a late ACK
    // on a busy machine) still gets a wait longer than atftp's 5 s before the session gives up.
    if (grown < this.config.timeoutMs) return Math.max(normal, grown);
    return Math.max(normal, Math.min(first, 4 * this.config.timeoutMs));
  }
}
