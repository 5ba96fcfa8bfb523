// The one fold from events to what a UI shows, as both the app's book and the renderer's stores use it.
import { describe, expect, it } from 'vitest';
import { failedSessionEvent, type EngineEvent } from '../../shared/events.js';
import {
  HISTORY_CAPACITY,
  LOG_CAPACITY,
  emptyFold,
  foldEvents,
  foldFromSnapshot,
  type FoldState,
} from '../../shared/event-fold.js';
import { liveSessions, orphanedSessionEvents } from '../../shared/session-fold.js';
import { createSessionBook } from '../../electron/app/session-book.js';
import { finished, log, progress, started } from './app-fakes.js';

const fold = (events: EngineEvent[], state: FoldState = emptyFold) => foldEvents(state, events);
const failed = (id: string, time = 3) =>
  failedSessionEvent({ time, id, code: 1, message: 'File not found', bytes: 10, durationMs: 5 });

describe('foldEvents', () => {
  it('returns the same state for an empty batch and for one nothing in it applies to', () => {
    const s = fold([started('a')]);
    expect(foldEvents(s, [])).toBe(s);
    expect(
      foldEvents(s, [{ type: 'session-progress', time: 1, id: 'a', bytes: 0, rate: 0, retransmits: 0 }]),
    ).not.toBe(s); // a progress report is news even when its numbers are not
    const ghost = foldEvents(s, [progress('ghost', 1), finished('ghost')]);
    expect(ghost.sessions).toEqual(s.sessions);
    expect(ghost.log).toBe(s.log);
  });

  it('gives a new object only to the parts a batch changed', () => {
    const s1 = fold([started('a'), log('one')]);
    const s2 = foldEvents(s1, [log('two')]);
    expect(s2.sessions).toBe(s1.sessions);
    expect(s2.server).toBe(s1.server);
    expect(s2.log).not.toBe(s1.log);
    const s3 = foldEvents(s2, [progress('a', 5)]);
    expect(s3.log).toBe(s2.log);
    expect(s3.sessions).not.toBe(s2.sessions);
    const s4 = foldEvents(s3, [{ type: 'server', time: 9, server: { state: 'starting' } }]);
    expect(s4.server).toEqual({ state: 'starting' });
    expect(s4.sessions).toBe(s3.sessions);
    expect(s4.log).toBe(s3.log);
  });

  it('keeps arrival order: live oldest first, history newest first, log oldest first', () => {
    let s = fold([started('a'), started('b'), log('l1'), started('c')]);
    expect(s.sessions.order).toEqual(['a', 'b', 'c']);
    s = foldEvents(s, [finished('b', 1000, 10), log('l2'), failed('a', 11), started('a2')]);
    expect(s.sessions.order).toEqual(['c', 'a2']);
    expect(s.sessions.history.map((h) => [h.started.id, h.end.type])).toEqual([
      ['a', 'session-failed'],
      ['b', 'session-finished'],
    ]);
    s = foldEvents(s, [finished('c', 1000, 12)]);
    expect(s.sessions.history.map((h) => h.started.id)).toEqual(['c', 'a', 'b']);
    expect(s.log.lines.map((l) => l.message)).toEqual(['l1', 'l2']);
  });

  it('applies a batch in order: a session that starts and ends in one batch lands in history', () => {
    const s = fold([started('x'), progress('x', 700), finished('x')]);
    expect(s.sessions.order).toEqual([]);
    expect(s.sessions.history).toHaveLength(1);
    // an end before its start is an end for a session the fold never saw: the start then stays live
    const t = fold([finished('y'), started('y')]);
    expect(t.sessions.order).toEqual(['y']);
    expect(t.sessions.history).toEqual([]);
  });

  it('a repeated start replaces the live session without listing it twice', () => {
    const s = fold([started('a', 1), progress('a', 50), started('a', 2)]);
    expect(s.sessions.order).toEqual(['a']);
    expect(s.sessions.live.a).toMatchObject({ bytes: 0, updated: 2 });
  });

  it(`keeps the newest ${HISTORY_CAPACITY} ended transfers`, () => {
    const events: EngineEvent[] = [];
    for (let i = 0; i < HISTORY_CAPACITY + 25; i++)
      events.push(started(`s${i}`), finished(`s${i}`, 1000, 100 + i));
    const s = fold(events);
    expect(s.sessions.history).toHaveLength(HISTORY_CAPACITY);
    expect(s.sessions.history[0]!.started.id).toBe(`s${HISTORY_CAPACITY + 24}`);
    expect(s.sessions.history.at(-1)!.started.id).toBe('s25');
  });

  it(`keeps the newest ${LOG_CAPACITY.toLocaleString('en')} log lines and counts the dropped ones`, () => {
    expect(LOG_CAPACITY).toBe(100_000); // what the README promises for the Log tab
    let s = fold(Array.from({ length: LOG_CAPACITY - 10 }, (_, i) => log(`l${i}`)));
    expect(s.log.dropped).toBe(0);
    s = foldEvents(
      s,
      Array.from({ length: 30 }, (_, i) => log(`l${LOG_CAPACITY - 10 + i}`)),
    );
    expect(s.log.lines).toHaveLength(LOG_CAPACITY);
    expect(s.log.dropped).toBe(20);
    expect(s.log.lines[0]!.message).toBe('l20');
    expect(s.log.lines.at(-1)!.message).toBe(`l${LOG_CAPACITY + 19}`);
  });

  it('a snapshot of the book plus the batches after it gives what folding everything gives', () => {
    const before: EngineEvent[] = [
      { type: 'server', time: 1, server: { state: 'listening', addresses: [], root: '/srv' } },
      started('a', 10),
      started('b', 11),
      progress('a', 100),
      finished('b', 1000, 20),
      log('one'),
      started('c', 21),
    ];
    const after: EngineEvent[] = [progress('c', 40), finished('a', 1000, 30), log('two'), failed('c', 31)];
    const book = createSessionBook();
    book.apply(before);
    const hydrated = foldFromSnapshot({
      server: book.server,
      sessions: book.sessions(),
      history: book.history(),
      log: book.log(),
    });
    const late = foldEvents(hydrated, after);
    const whole = fold([...before, ...after]);
    expect(late.server).toEqual(whole.server);
    expect(liveSessions(late.sessions)).toEqual(liveSessions(whole.sessions));
    expect(late.sessions.history).toEqual(whole.sessions.history);
    expect(late.log.lines).toEqual(whole.log.lines);
  });
});

describe('session events built in one place', () => {
  it('failedSessionEvent fills the defaults and never reports a negative duration', () => {
    expect(failedSessionEvent({ time: 5, id: 'r', code: 2, message: 'Access violation' })).toEqual({
      type: 'session-failed',
      time: 5,
      id: 'r',
      code: 2,
      message: 'Access violation',
      by: 'server',
      bytes: 0,
      durationMs: 0,
    });
    const e = failedSessionEvent({ time: 5, id: 'r', code: 0, message: 'x', by: 'timeout', durationMs: -40 });
    expect(e).toMatchObject({ by: 'timeout', durationMs: 0 });
  });

  it('orphanedSessionEvents ends every live session, oldest first, with its bytes and age', () => {
    const s = fold([started('a', 1000), started('b', 1200), progress('b', 64), finished('a')]);
    const ends = orphanedSessionEvents(s.sessions, 1500, 'Server stopped');
    expect(ends).toEqual([
      {
        type: 'session-failed',
        time: 1500,
        id: 'b',
        code: 0,
        message: 'Server stopped',
        by: 'server',
        bytes: 64,
        durationMs: 300,
      },
    ]);
    expect(foldEvents(s, ends).sessions.order).toEqual([]);
  });
});

describe('client transfers in the same fold', () => {
  const ours = (id: string, time: number, size?: number): EngineEvent => {
    const e = started(id, time, 'flash.bin');
    if (e.type !== 'session-started') throw new Error('not a start');
    const { size: _ignored, ...rest } = e;
    return { ...rest, role: 'client', ...(size !== undefined ? { size } : {}) };
  };

  it('lists a client transfer beside the server ones and ends it into the same history', () => {
    const s = fold([started('srv', 1000), ours('cli', 1100), progress('cli', 10), finished('cli')]);
    expect(s.sessions.order).toEqual(['srv']);
    expect(s.sessions.history[0]?.started).toMatchObject({ id: 'cli', role: 'client' });
  });

  it('learns the size of a get from a later progress report', () => {
    const s = fold([ours('cli', 1000)]);
    expect(s.sessions.live.cli?.started.size).toBeUndefined();
    const withTotal: EngineEvent = {
      type: 'session-progress',
      time: 1,
      id: 'cli',
      bytes: 5,
      rate: 5,
      retransmits: 0,
      total: 4096,
    };
    const next = foldEvents(s, [withTotal]);
    expect(next.sessions.live.cli?.started.size).toBe(4096);
    expect(next.sessions.live.cli?.bytes).toBe(5);
  });

  it('a server that stops does not end the transfers we started ourselves', () => {
    const s = fold([started('srv', 1000), ours('cli', 1100)]);
    const ends = orphanedSessionEvents(s.sessions, 1500, 'Server stopped');
    expect(ends.map((e) => e.id)).toEqual(['srv']);
    expect(foldEvents(s, ends).sessions.order).toEqual(['cli']);
  });
});
