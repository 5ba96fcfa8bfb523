import { describe, expect, it } from 'vitest';
import { RetransmitPolicy, UNPROVEN_RETRIES } from '../../electron/tftp/retransmit.js';

describe('RetransmitPolicy', () => {
  it('waits from the ceiling, doubling, for an unproven peer and gives up after a few resends (reflection)', () => {
    const p = new RetransmitPolicy({ ceilingMs: 3000, retries: 5 });
    const waits: number[] = [];
    for (;;) {
      waits.push(p.currentTimeoutMs());
      if (!p.timedOut()) break;
    }
    // 21 s in all: longer than a client's own retry (atftp 5 s) after a resend restarted it.
    expect(waits).toEqual([3000, 6000, 12000]);
    expect(waits).toHaveLength(UNPROVEN_RETRIES + 1);
  });

  it('resends to an unproven peer first after unprovenFirstMs, then from the ceiling doubling, as few times', () => {
    const p = new RetransmitPolicy({ ceilingMs: 6000, retries: 5, unprovenFirstMs: 1000 });
    const waits: number[] = [];
    for (;;) {
      waits.push(p.currentTimeoutMs());
      if (!p.timedOut()) break;
    }
    expect(waits).toEqual([1000, 12000, 24000]);
  });

  it('takes an answer as a round trip only when it came before the first resend would have (1 s)', () => {
    const late = new RetransmitPolicy({ ceilingMs: 3000, retries: 5, floorMs: 5 });
    late.progress();
    late.answered(5000); // the client's own timer sent it
    expect(late.currentTimeoutMs()).toBe(1000); // nothing measured yet
    const prompt = new RetransmitPolicy({ ceilingMs: 3000, retries: 5, floorMs: 5 });
    prompt.progress();
    prompt.answered(2);
    expect(prompt.currentTimeoutMs()).toBe(6); // 2 + 4 x 1
  });

  it('follows the round trip once proven, never below the floor', () => {
    const p = new RetransmitPolicy({ ceilingMs: 3000, retries: 5, floorMs: 20 });
    p.progress();
    for (let i = 0; i < 10; i++) p.sample(1);
    expect(p.currentTimeoutMs()).toBe(20);
    for (let i = 0; i < 50; i++) p.sample(100);
    expect(p.currentTimeoutMs()).toBeGreaterThan(100);
    expect(p.currentTimeoutMs()).toBeLessThan(3000);
  });

  it('backs off to the ceiling, then doubles past it up to 4x so a client timer can fire, then gives up', () => {
    const p = new RetransmitPolicy({ ceilingMs: 1000, retries: 5, floorMs: 100 });
    p.progress();
    p.sample(10);
    const waits: number[] = [];
    for (;;) {
      waits.push(p.currentTimeoutMs());
      if (!p.timedOut()) break;
    }
    expect(waits).toEqual([100, 200, 400, 800, 1000, 1000, 2000, 4000, 4000, 4000]);
  });

  it('starts a proven peer with no round trip measured at 1 s (RFC 6298), doubling to the ceiling', () => {
    const p = new RetransmitPolicy({ ceilingMs: 3000, retries: 2 });
    p.progress(); // the peer answered, but only after a resend: nothing timed
    const waits: number[] = [];
    for (;;) {
      waits.push(p.currentTimeoutMs());
      if (!p.timedOut()) break;
    }
    expect(waits).toEqual([1000, 2000, 3000, 3000, 6000]);
  });

  it('starts over after progress', () => {
    const p = new RetransmitPolicy({ ceilingMs: 1000, retries: 1, floorMs: 100 });
    p.progress();
    p.sample(10);
    for (let i = 0; i < 4; i++) p.timedOut();
    p.progress();
    expect(p.currentTimeoutMs()).toBe(100);
  });
});
