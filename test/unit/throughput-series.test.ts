// The bounded throughput series the transfer detail charts: merging neighbours keeps every total
// and the time span, and the cap holds however long a transfer runs.
import { describe, expect, it } from 'vitest';
import {
  addSample,
  emptySeries,
  SERIES_CAPACITY,
  seriesEnd,
  seriesTotals,
  type ThroughputSeries,
} from '../../shared/throughput-series.js';
import { applySessionEvents, emptySessions, type SessionsSlice } from '../../shared/session-fold.js';
import type { EngineEvent, SessionStartedEvent } from '../../shared/events.js';

const START = 1_700_000_000_000;

/** Feeds `count` samples 100 ms apart; bytes grow by a varying amount, a resend every 7th sample. */
function feed(
  count: number,
  capacity = SERIES_CAPACITY,
): { series: ThroughputSeries; bytes: number; resends: number } {
  let series = emptySeries(START);
  let bytes = 0;
  let resends = 0;
  for (let i = 1; i <= count; i++) {
    bytes += 1000 + (i % 13) * 97;
    if (i % 7 === 0) resends++;
    series = addSample(series, { time: START + i * 100, bytes, resends }, capacity);
  }
  return { series, bytes, resends };
}

describe('throughput series', () => {
  it('keeps one point per sample until it is full', () => {
    const { series, bytes, resends } = feed(50);
    expect(series.points).toHaveLength(50);
    expect(series.points[0]).toEqual([100, 1000 + 97, 0]);
    expect(seriesTotals(series)).toEqual({ bytes, resends });
    expect(seriesEnd(series)).toBe(5000);
  });

  it('merges neighbours when full, keeping totals and the time span', () => {
    const { series, bytes, resends } = feed(SERIES_CAPACITY + 1);
    expect(series.points.length).toBeLessThanOrEqual(SERIES_CAPACITY);
    expect(series.points.length).toBeGreaterThan(SERIES_CAPACITY / 2 - 1);
    expect(seriesTotals(series)).toEqual({ bytes, resends });
    expect(seriesEnd(series)).toBe((SERIES_CAPACITY + 1) * 100);
    expect(series.step).toBe(200);
    // Each merged point holds exactly its two samples: the first covers 0..200 ms.
    expect(series.points[0]).toEqual([200, 1000 + 97 + 1000 + 2 * 97, 0]);
  });

  it('holds the cap under 10,000 progress events, totals and span exact', () => {
    const { series, bytes, resends } = feed(10_000);
    expect(series.points.length).toBeLessThanOrEqual(SERIES_CAPACITY);
    expect(series.points.length).toBeGreaterThanOrEqual(SERIES_CAPACITY / 4);
    expect(seriesTotals(series)).toEqual({ bytes, resends });
    expect(series.bytes).toBe(bytes);
    expect(series.resends).toBe(resends);
    expect(seriesEnd(series)).toBe(1_000_000);
    // Intervals are contiguous and never run backwards.
    let prev = 0;
    for (const [end] of series.points) {
      expect(end).toBeGreaterThanOrEqual(prev);
      prev = end;
    }
  });

  it('keeps the points evenly spaced after merging (no fine tail beside coarse history)', () => {
    const { series } = feed(5000, 40);
    const widths = series.points.map(([end], i) => end - (series.points[i - 1]?.[0] ?? 0));
    const inner = widths.slice(0, -1); // the last point may still be filling
    expect(Math.max(...inner) / Math.min(...inner)).toBeLessThanOrEqual(2);
  });

  it('never runs the time axis backwards and ignores counts that go down', () => {
    let s = emptySeries(START);
    s = addSample(s, { time: START + 500, bytes: 5000, resends: 1 });
    s = addSample(s, { time: START + 400, bytes: 6000, resends: 1 });
    s = addSample(s, { time: START + 600, bytes: 3000, resends: 0 });
    s = addSample(s, { time: START + 700, bytes: 7000, resends: 2 });
    expect(s.points).toEqual([
      [500, 6000, 1],
      [600, 0, 0],
      [700, 1000, 1],
    ]);
    expect(seriesTotals(s)).toEqual({ bytes: 7000, resends: 2 });
  });
});

describe('the session fold keeps the series', () => {
  const started: SessionStartedEvent = {
    type: 'session-started',
    time: START,
    id: 's1',
    peer: '127.0.0.1:5000',
    file: 'big.bin',
    direction: 'download',
    mode: 'octet',
    options: { blksize: 512, windowsize: 1, timeout: 1 },
  };

  it('in history once a transfer ends, capped, its totals the final stats', () => {
    let state: SessionsSlice = applySessionEvents(emptySessions, [started]);
    for (let i = 1; i <= 10_000; i++) {
      const events: EngineEvent[] = [
        {
          type: 'session-progress',
          time: START + i * 100,
          id: 's1',
          bytes: i * 512,
          rate: 5120,
          retransmits: i >> 9,
        },
      ];
      state = applySessionEvents(state, events);
    }
    expect(state.live.s1?.series.points.length).toBeLessThanOrEqual(SERIES_CAPACITY);
    state = applySessionEvents(state, [
      {
        type: 'session-finished',
        time: START + 1_000_050,
        id: 's1',
        stats: {
          bytes: 10_000 * 512 + 300,
          durationMs: 1_000_050,
          averageRate: 5120,
          retransmits: 20,
          sha256: 'ab',
        },
      },
    ]);
    const entry = state.history[0];
    expect(entry?.series).toBeDefined();
    const series = entry?.series as ThroughputSeries;
    expect(series.points.length).toBeLessThanOrEqual(SERIES_CAPACITY);
    expect(seriesTotals(series)).toEqual({ bytes: 10_000 * 512 + 300, resends: 20 });
    expect(seriesEnd(series)).toBe(1_000_050);
  });

  it('leaves the series out of a refused request (nothing moved)', () => {
    const state = applySessionEvents(emptySessions, [
      started,
      {
        type: 'session-failed',
        time: START,
        id: 's1',
        code: 1,
        message: 'File not found',
        by: 'server',
        bytes: 0,
        durationMs: 0,
      },
    ]);
    expect(state.history[0]).not.toHaveProperty('series');
  });
});
