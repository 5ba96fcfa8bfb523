// Keeps a flood of requests from becoming a flood of decision events (every request is still
// answered; only the telling is limited). Two caps: per client MAC over a longer window (a client
// in a boot loop) and for everyone over a short one (thousands of made-up MACs). Memory is bounded:
// at most `maxTrackedMacs` MACs are counted; past that, new MACs meet only the global cap. What
// was held back is told once, in one summary, when the flood has been quiet for a moment (or every
// `summaryEveryMs` while it lasts). Time is passed in: no clock, no timers here.

export interface DecisionLimitOptions {
  perMac: number;
  perMacWindowMs: number;
  global: number;
  globalWindowMs: number;
  maxTrackedMacs: number;
  /** a summary is due once nothing was held back for this long */
  quietMs: number;
  /** ... or at the latest this long after the first decision it counts */
  summaryEveryMs: number;
}

export const DECISION_LIMITS: DecisionLimitOptions = {
  perMac: 12,
  perMacWindowMs: 10_000,
  global: 40,
  globalWindowMs: 1000,
  maxTrackedMacs: 1024,
  quietMs: 1000,
  summaryEveryMs: 10_000,
};

export interface SuppressedSummary {
  suppressed: number;
  /** distinct MACs among them (counted up to maxTrackedMacs; `macsCapped` when there were more) */
  macs: number;
  macsCapped: boolean;
  from: number;
  to: number;
}

export class DecisionLimiter {
  private readonly perMac = new Map<string, number>();
  private perMacWindowStart = -Infinity;
  private globalCount = 0;
  private globalWindowStart = -Infinity;
  private held = 0;
  private readonly heldMacs = new Set<string>();
  private heldMacsCapped = false;
  private firstHeldAt = 0;
  private lastHeldAt = 0;

  constructor(private readonly options: DecisionLimitOptions = DECISION_LIMITS) {}

  /** Whether this decision may be told; counts it either way. */
  admit(mac: string, now: number): boolean {
    const o = this.options;
    if (now - this.perMacWindowStart >= o.perMacWindowMs) {
      this.perMac.clear();
      this.perMacWindowStart = now;
    }
    if (now - this.globalWindowStart >= o.globalWindowMs) {
      this.globalCount = 0;
      this.globalWindowStart = now;
    }
    let macCount = this.perMac.get(mac);
    if (macCount === undefined && this.perMac.size < o.maxTrackedMacs) macCount = 0;
    const macOk = macCount === undefined || macCount < o.perMac;
    if (macCount !== undefined) this.perMac.set(mac, macCount + 1);
    if (macOk && this.globalCount < o.global) {
      this.globalCount++;
      return true;
    }
    this.hold(mac, now);
    return false;
  }

  /** The summary of what was held back, once it is due; undefined otherwise. */
  summaryDue(now: number): SuppressedSummary | undefined {
    if (this.held === 0) return undefined;
    const quiet = now - this.lastHeldAt >= this.options.quietMs;
    const long = now - this.firstHeldAt >= this.options.summaryEveryMs;
    return quiet || long ? this.takeSummary(now) : undefined;
  }

  /** Whatever was held back, due or not (when the service stops). */
  takeSummary(now: number): SuppressedSummary | undefined {
    if (this.held === 0) return undefined;
    const summary: SuppressedSummary = {
      suppressed: this.held,
      macs: this.heldMacs.size,
      macsCapped: this.heldMacsCapped,
      from: this.firstHeldAt,
      to: now,
    };
    this.held = 0;
    this.heldMacs.clear();
    this.heldMacsCapped = false;
    return summary;
  }

  /** MACs being counted right now (for tests of the memory bound). */
  get trackedMacs(): number {
    return this.perMac.size + this.heldMacs.size;
  }

  private hold(mac: string, now: number): void {
    if (this.held === 0) this.firstHeldAt = now;
    this.held++;
    this.lastHeldAt = now;
    if (this.heldMacs.has(mac)) return;
    if (this.heldMacs.size < this.options.maxTrackedMacs) this.heldMacs.add(mac);
    else this.heldMacsCapped = true;
  }
}
