import { describe, expect, it } from 'vitest';
import type { EngineEvent, SessionStartedEvent } from '../../shared/events';
import {
  applySessionEvents,
  emptySessions,
  sessionsFromSnapshot,
  type SessionsSlice,
} from '../../renderer/store/sessions-store';
import { batchChangedFiles } from '../../renderer/store/sync';
import { applyServerEvents } from '../../renderer/store/server-store';

const started = (
  id: string,
  time = 1,
  direction: 'download' | 'upload' = 'download',
): SessionStartedEvent => ({
  type: 'session-started',
  time,
  id,
  peer: '192.168.1.20:50000',
  file: `${id}.bin`,
  direction,
  mode: 'octet',
  options: { blksize: 1468, windowsize: 1, timeout: 3 },
  size: 1000,
});
const progress = (id: string, bytes: number, retransmits = 0): EngineEvent => ({
  type: 'session-progress',
  time: 2,
  id,
  bytes,
  rate: 500,
  retransmits,
});
const finished = (id: string, time = 3): EngineEvent => ({
  type: 'session-finished',
  time,
  id,
  stats: { bytes: 1000, durationMs: 2000, averageRate: 500, retransmits: 0, sha256: 'ab'.repeat(32) },
});
const failed = (id: string, time = 3): EngineEvent => ({
  type: 'session-failed',
  time,
  id,
  code: 1,
  message: 'File not found',
  by: 'server',
  bytes: 0,
  durationMs: 0,
});

describe('applySessionEvents', () => {
  it('starts, updates and finishes sessions, newest history first', () => {
    let s: SessionsSlice = applySessionEvents(emptySessions, [
      started('a'),
      started('b'),
      progress('a', 400),
    ]);
    expect(s.order).toEqual(['a', 'b']);
    expect(s.live.a).toMatchObject({ bytes: 400, rate: 500, retrying: false });
    s = applySessionEvents(s, [finished('a', 5), failed('b', 6)]);
    expect(s.order).toEqual([]);
    expect(s.live).toEqual({});
    expect(s.history.map((h) => [h.started.id, h.end.type])).toEqual([
      ['b', 'session-failed'],
      ['a', 'session-finished'],
    ]);
  });

  it('handles a session that starts and ends within one batch', () => {
    const s = applySessionEvents(emptySessions, [started('x'), progress('x', 1000), finished('x')]);
    expect(s.order).toEqual([]);
    expect(s.history).toHaveLength(1);
  });

  it('keeps untouched sessions as the same objects (memoised rows do not re-render)', () => {
    const s1 = applySessionEvents(emptySessions, [started('a'), started('b')]);
    const s2 = applySessionEvents(s1, [progress('a', 10)]);
    expect(s2.live.b).toBe(s1.live.b);
    expect(s2.live.a).not.toBe(s1.live.a);
    expect(s2.order).toBe(s1.order);
  });

  it('returns the same state for a batch with no session events', () => {
    const s1 = applySessionEvents(emptySessions, [started('a')]);
    const log: EngineEvent = { type: 'log', time: 1, level: 'info', message: 'hello' };
    expect(applySessionEvents(s1, [log])).toBe(s1);
  });

  it('flags retrying when the retransmission count grows', () => {
    let s = applySessionEvents(emptySessions, [started('a'), progress('a', 10, 0)]);
    s = applySessionEvents(s, [progress('a', 20, 2)]);
    expect(s.live.a?.retrying).toBe(true);
    s = applySessionEvents(s, [progress('a', 30, 2)]);
    expect(s.live.a?.retrying).toBe(false);
  });

  it('ignores progress and endings for sessions it never saw start', () => {
    const s = applySessionEvents(emptySessions, [progress('ghost', 5), finished('ghost')]);
    expect(s.order).toEqual([]);
    expect(s.history).toEqual([]);
  });

  it('bounds the history', () => {
    const events: EngineEvent[] = [];
    for (let i = 0; i < 30; i++) events.push(started(`s${i}`), finished(`s${i}`, 100 + i));
    const s = applySessionEvents(emptySessions, events, 10);
    expect(s.history).toHaveLength(10);
    expect(s.history[0]?.started.id).toBe('s29');
  });

  it('folds 200 concurrent sessions x 50 batches quickly', () => {
    let s = applySessionEvents(
      emptySessions,
      Array.from({ length: 200 }, (_, i) => started(`s${i}`)),
    );
    const t0 = performance.now();
    for (let b = 1; b <= 50; b++) {
      s = applySessionEvents(
        s,
        Array.from({ length: 200 }, (_, i) => progress(`s${i}`, b * 10)),
      );
    }
    expect(performance.now() - t0).toBeLessThan(500);
    expect(s.live.s199?.bytes).toBe(500);
  });

  it('builds state from a snapshot, oldest live first, newest history first', () => {
    const s = sessionsFromSnapshot(
      [
        { started: started('late', 9), bytes: 5, rate: 1, retransmits: 0 },
        { started: started('early', 2), bytes: 7, rate: 1, retransmits: 0 },
      ],
      [
        {
          started: started('h1'),
          end: { ...(finished('h1', 10) as Extract<EngineEvent, { type: 'session-finished' }>) },
        },
        {
          started: started('h2'),
          end: { ...(failed('h2', 20) as Extract<EngineEvent, { type: 'session-failed' }>) },
        },
      ],
    );
    expect(s.order).toEqual(['early', 'late']);
    expect(s.history.map((h) => h.started.id)).toEqual(['h2', 'h1']);
  });
});

describe('server events and file refresh', () => {
  it('takes the last server state of a batch', () => {
    const next = applyServerEvents({ state: 'stopped' }, [
      { type: 'server', time: 1, server: { state: 'starting' } },
      { type: 'server', time: 2, server: { state: 'listening', addresses: [], root: '/srv' } },
    ]);
    expect(next.state).toBe('listening');
    const same = { state: 'stopped' } as const;
    expect(applyServerEvents(same, [progress('a', 1)])).toBe(same);
  });

  it('asks for a file refresh only when an upload finished', () => {
    const live = applySessionEvents(emptySessions, [started('u', 1, 'upload'), started('d')]).live;
    expect(batchChangedFiles([finished('d')], live)).toBe(false);
    expect(batchChangedFiles([failed('u')], live)).toBe(false);
    expect(batchChangedFiles([finished('u')], live)).toBe(true);
    expect(batchChangedFiles([started('n', 1, 'upload'), finished('n')], {})).toBe(true);
  });
});
