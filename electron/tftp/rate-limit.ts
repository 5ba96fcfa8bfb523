// Per-client request limiting (E1): a token bucket per source address, and a limiter for log
// lines so a flood of bad packets cannot flood the log. Time is passed in (testable, no clock).

export class RequestRateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly perSecond: number) {}

  /** Takes one token for this address; false when it has none left. */
  take(address: string, nowMs: number): boolean {
    let b = this.buckets.get(address);
    if (!b) {
      if (this.buckets.size > 10_000) this.prune(nowMs);
      b = { tokens: this.perSecond, at: nowMs };
      this.buckets.set(address, b);
    }
    b.tokens = Math.min(this.perSecond, b.tokens + ((nowMs - b.at) / 1000) * this.perSecond);
    b.at = nowMs;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  private prune(nowMs: number): void {
    for (const [k, b] of this.buckets) if (nowMs - b.at > 1000) this.buckets.delete(k);
  }
}

/** Lets a given log key through at most `perInterval` times per interval; reports what it held back. */
export class LogThrottle {
  private readonly counts = new Map<string, { at: number; shown: number; held: number }>();

  constructor(
    private readonly perInterval = 5,
    private readonly intervalMs = 10_000,
  ) {}

  /** Returns undefined to suppress, or the number of lines suppressed since the last one shown. */
  admit(key: string, nowMs: number): number | undefined {
    let c = this.counts.get(key);
    if (!c || nowMs - c.at >= this.intervalMs) {
      if (this.counts.size > 1000) this.counts.clear();
      const held = c?.held ?? 0;
      c = { at: nowMs, shown: 0, held: 0 };
      this.counts.set(key, c);
      c.shown++;
      return held;
    }
    if (c.shown < this.perInterval) {
      c.shown++;
      return 0;
    }
    c.held++;
    return undefined;
  }
}
