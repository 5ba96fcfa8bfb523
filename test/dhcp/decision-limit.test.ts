// The decision event limits with time passed in: a normal client is always told; a boot loop and
// a flood of made-up MACs are capped; memory stays bounded however many MACs come; what was held
// back is told once, in one summary, when the flood has passed (or every 10 s while it lasts).
import { describe, expect, it } from 'vitest';
import { DECISION_LIMITS, DecisionLimiter } from '../../electron/dhcp/decision-limit.js';

const mac = (n: number) =>
  `02:${[n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255, 1].map((b) => b.toString(16).padStart(2, '0')).join(':')}`;

describe('decision limits', () => {
  it('tells every decision of a few ordinary clients', () => {
    const limiter = new DecisionLimiter();
    let t = 0;
    for (let round = 0; round < 3; round++) {
      for (let client = 0; client < 5; client++) {
        // DISCOVER, REQUEST, and a PXE boot server REQUEST: three decisions per boot
        for (let i = 0; i < 3; i++) expect(limiter.admit(mac(client), (t += 10))).toBe(true);
      }
      t += 30_000;
    }
    expect(limiter.summaryDue(t)).toBeUndefined();
  });

  it('caps one client in a boot loop, and sums up what it held back once it is quiet', () => {
    const limiter = new DecisionLimiter();
    let told = 0;
    for (let i = 0; i < 100; i++) if (limiter.admit(mac(1), i * 50)) told++;
    expect(told).toBe(DECISION_LIMITS.perMac);
    expect(limiter.summaryDue(5000)).toBeUndefined(); // still going 50 ms ago
    const summary = limiter.summaryDue(4950 + DECISION_LIMITS.quietMs);
    expect(summary).toMatchObject({ suppressed: 100 - DECISION_LIMITS.perMac, macs: 1, macsCapped: false });
    expect(limiter.summaryDue(20_000)).toBeUndefined(); // told once
  });

  it('a flood of made-up MACs: global cap per window, bounded memory, one summary per 10 s at most', () => {
    const limiter = new DecisionLimiter();
    let told = 0;
    const n = 50_000;
    const summaries = [];
    for (let i = 0; i < n; i++) {
      const now = Math.floor(i / 5); // 5000 requests a second for 10 s
      if (limiter.admit(mac(i), now)) told++;
      if (i % 97 === 0) expect(limiter.trackedMacs).toBeLessThanOrEqual(2 * DECISION_LIMITS.maxTrackedMacs);
      const s = limiter.summaryDue(now);
      if (s) summaries.push(s);
    }
    // 10 s of flood in 1 s windows
    expect(told).toBeLessThanOrEqual(11 * DECISION_LIMITS.global);
    expect(told).toBeGreaterThanOrEqual(9 * DECISION_LIMITS.global);
    const last = limiter.takeSummary(10_000);
    const all = last ? [...summaries, last] : summaries;
    expect(all.length).toBeLessThanOrEqual(2);
    expect(all.reduce((sum, s) => sum + s.suppressed, 0)).toBe(n - told);
    expect(all[0]?.macsCapped).toBe(true);
  });

  it('a real client during a flood is told again once the flood has passed', () => {
    const limiter = new DecisionLimiter();
    for (let i = 0; i < 1000; i++) limiter.admit(mac(i), 0);
    expect(limiter.admit(mac(5000), 1)).toBe(false);
    expect(limiter.admit(mac(5000), 2000)).toBe(true);
  });
});
