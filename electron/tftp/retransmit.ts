// RFC 1123 4.2.3.2: adaptive retransmission timeouts are a MUST for TFTP. The estimator follows
// RFC 6298 (SRTT/RTTVAR, Karn's rule: no samples from retransmitted packets), clamped between a
// small floor (loopback and LAN round trips are tens of microseconds, so a lost packet is resent
// within milliseconds) and the negotiated `timeout` option (RFC 2349), which is the ceiling.
//
// Two phases guard against reflection (E6): until the peer has answered once on the transfer port
// it is unproven, and we resend a few times only (the first after `unprovenFirstMs`, then at the
// negotiated timeout doubling: the count, not the spacing, bounds what a spoofed request draws). Once proven,
// timeouts back off exponentially from the estimate; only the ones that reach the ceiling count
// toward the retry limit, so a client that pauses for a second is not dropped after 300 ms.

export interface RetransmitConfig {
  /** negotiated timeout, ms: the ceiling of the estimate and the spacing of resends to an unproven peer */
  ceilingMs: number;
  /** how many resends at the ceiling before the session is abandoned */
  retries: number;
  /** floor of the estimate, ms */
  floorMs?: number;
  /**
   * The wait before the first resend to an unproven peer (default: the ceiling). A lost first
   * answer or first ACK is the likeliest loss of all; a client whose own timer is long (curl's is
   * several seconds) would otherwise wait out the whole negotiated timeout.
   */
  unprovenFirstMs?: number;
}

/** Sends to an unproven peer before giving up: the request could be spoofed. */
export const UNPROVEN_RETRIES = 2;
/** Loopback and LAN round trips are well under this; an event loop busy with 200 sessions is not. */
export const DEFAULT_FLOOR_MS = 20;
/**
 * The first wait for a proven peer before any round trip is measured (RFC 6298 2.1): when the first
 * exchange was resent (Karn), the next loss must not cost the whole ceiling.
 */
export const INITIAL_RTO_MS = 1000;

export class RetransmitPolicy {
  private srtt = -1;
  private rttvar = 0;
  private backoff = 0;
  private ceilingHits = 0;
  private proven = false;
  private readonly floorMs: number;

  constructor(private readonly config: RetransmitConfig) {
    this.floorMs = Math.min(config.floorMs ?? DEFAULT_FLOOR_MS, config.ceilingMs);
  }

  get peerProven(): boolean {
    return this.proven;
  }

  /** Timeouts in a row at (or past) the ceiling: the peer has been silent for seconds. */
  get silentAtCeiling(): number {
    return this.ceilingHits;
  }

  /** A valid packet arrived from the peer: it is real, and progress resets the backoff. */
  progress(): void {
    this.proven = true;
    this.backoff = 0;
    this.ceilingHits = 0;
  }

  /** Round-trip sample from a packet that was sent exactly once (Karn's rule is the caller's). */
  sample(rttMs: number): void {
    if (this.srtt < 0) {
      this.srtt = rttMs;
      this.rttvar = rttMs / 2;
    } else {
      this.rttvar = 0.75 * this.rttvar + 0.25 * Math.abs(this.srtt - rttMs);
      this.srtt = 0.875 * this.srtt + 0.125 * rttMs;
    }
  }

  /**
   * The answer to the first send of an exchange (OACK, ACK), sent once: a round-trip sample, unless
   * it came later than the first resend would have. That late, the client's own timer sent it (its
   * first packet lost, say; atftp's is 5 s), and taken as a round trip it would make every later
   * resend of the transfer wait the ceiling.
   */
  answered(rttMs: number): void {
    if (rttMs < INITIAL_RTO_MS) this.sample(rttMs);
  }

  /** The wait the round trip alone asks for, before any backoff (RFC 6298 2.2-2.3). */
  roundTripTimeoutMs(): number {
    return Math.max(this.floorMs, this.roundTripEstimateMs());
  }

  /** SRTT + 4 RTTVAR without the floor: the longest an answer to a send plausibly takes. */
  roundTripEstimateMs(): number {
    return this.srtt < 0 ? INITIAL_RTO_MS : this.srtt + 4 * this.rttvar;
  }

  /** Milliseconds to wait for an answer before resending. */
  currentTimeoutMs(): number {
    // Past the ceiling the wait keeps doubling (up to 4x): some clients (atftp) answer a repeated
    // block only once and then wait for their own timer, which our resends would keep resetting.
    // An unproven peer gets the same doubling (as tftpd-hpa's backoff does): its first ACK lost
    // twice must not end the session before the client's own timer resends it.
    if (!this.proven)
      return this.ceilingHits === 0
        ? (this.config.unprovenFirstMs ?? this.config.ceilingMs)
        : this.ceilingDoubled(this.ceilingHits);
    if (this.ceilingHits > 0) return this.ceilingDoubled(this.ceilingHits - 1);
    return Math.min(this.config.ceilingMs, this.roundTripTimeoutMs() * 2 ** this.backoff);
  }

  /** The ceiling doubled `times` times, at most twice (4x). */
  private ceilingDoubled(times: number): number {
    return this.config.ceilingMs * 2 ** Math.min(2, times);
  }

  /**
   * The timer fired with nothing heard. Returns false when the session should be abandoned.
   * `waitedMs`: what the caller actually waited, when it waited longer than currentTimeoutMs() (a
   * wait at or past the ceiling counts toward the retry limit however it came about).
   */
  timedOut(waitedMs = this.currentTimeoutMs()): boolean {
    // Every wait for an unproven peer counts: its resends are capped by number (reflection).
    const atCeiling = !this.proven || this.ceilingHits > 0 || waitedMs >= this.config.ceilingMs;
    if (atCeiling) this.ceilingHits++;
    else this.backoff++;
    const limit = this.proven ? this.config.retries : Math.min(this.config.retries, UNPROVEN_RETRIES);
    return this.ceilingHits <= limit;
  }
}
