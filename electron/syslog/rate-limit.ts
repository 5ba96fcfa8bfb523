// Per-sender limits and the count of what they dropped. A device stuck in a loop can send tens of
// thousands of lines a second; one token bucket per sender address keeps it from crowding out the
// others (and the UI), and every datagram it loses is counted for the next summary, never lost
// silently. Time is passed in, so the policy is tested on a fake clock.
import type { SyslogDropCounts, SyslogDropReason } from '../../shared/syslog.js';

/** A sender may burst this many seconds' worth at once (a booting device prints in bursts). */
const BURST_SECONDS = 2;
/** Senders remembered at most; past it, idle ones are forgotten first, then new ones share a bucket. */
const MAX_SENDERS = 10_000;
const OVERFLOW_KEY = '(other senders)';

interface Bucket {
  tokens: number;
  at: number;
}

export class SenderLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly capacity: number;
  private lastForget = -Infinity;

  constructor(private readonly perSecond: number) {
    this.capacity = Math.max(1, perSecond * BURST_SECONDS);
  }

  /** Takes one token for `address` at `nowMs`; false when it has none left. */
  take(address: string, nowMs: number): boolean {
    const b = this.bucket(address, nowMs);
    b.tokens = Math.min(this.capacity, b.tokens + ((nowMs - b.at) / 1000) * this.perSecond);
    b.at = nowMs;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private bucket(address: string, nowMs: number): Bucket {
    let b = this.buckets.get(address);
    if (b) return b;
    // At most once a second: a scan per datagram would let spoofed sources cost a full scan each.
    if (this.buckets.size >= MAX_SENDERS && nowMs - this.lastForget >= 1000) this.forgetIdle(nowMs);
    // Spoofed sources could fill the map; past the cap they share one bucket (and its limit).
    const key = this.buckets.size >= MAX_SENDERS ? OVERFLOW_KEY : address;
    b = this.buckets.get(key);
    if (!b) {
      b = { tokens: this.capacity, at: nowMs };
      this.buckets.set(key, b);
    }
    return b;
  }

  /** A full bucket carries no state worth keeping. */
  private forgetIdle(nowMs: number): void {
    this.lastForget = nowMs;
    const fullAfterMs = (this.capacity / this.perSecond) * 1000;
    for (const [k, b] of this.buckets) if (nowMs - b.at >= fullAfterMs) this.buckets.delete(k);
  }
}

export const noDrops = (): SyslogDropCounts => ({ rateLimited: 0, notAllowed: 0 });

export interface DropSummary {
  since: number;
  dropped: SyslogDropCounts;
  senders: Array<{ address: string } & SyslogDropCounts>;
  otherSenders: number;
}

/** Listed senders in a summary; the rest are only counted. */
const LISTED_SENDERS = 20;

/** Counts drops per sender over one period; `summary()` hands them over and starts the next. */
export class DropTally {
  private bySender = new Map<string, SyslogDropCounts>();
  private dropped = noDrops();
  private readonly everDropped = noDrops();

  constructor(private since: number) {}

  get pending(): boolean {
    return this.dropped.rateLimited + this.dropped.notAllowed > 0;
  }

  get total(): SyslogDropCounts {
    return { ...this.everDropped };
  }

  add(address: string, reason: SyslogDropReason): void {
    this.dropped[reason]++;
    this.everDropped[reason]++;
    let c = this.bySender.get(address);
    if (!c) {
      // Counted above; past this many senders in one period they are only not told apart.
      if (this.bySender.size >= MAX_SENDERS) return;
      c = noDrops();
      this.bySender.set(address, c);
    }
    c[reason]++;
  }

  /** What was dropped since the last summary (undefined when nothing), and starts a new period. */
  summary(now: number): DropSummary | undefined {
    if (!this.pending) {
      this.since = now;
      return undefined;
    }
    const all = [...this.bySender].map(([address, c]) => ({ address, ...c }));
    all.sort((a, b) => b.rateLimited + b.notAllowed - (a.rateLimited + a.notAllowed));
    const senders = all.slice(0, LISTED_SENDERS);
    const result: DropSummary = {
      since: this.since,
      dropped: this.dropped,
      senders,
      otherSenders: all.length - senders.length,
    };
    this.bySender = new Map();
    this.dropped = noDrops();
    this.since = now;
    return result;
  }
}
