import { describe, expect, it } from 'vitest';
import { createRing } from '../../electron/app/ring.js';
import { HISTORY_CAPACITY, LOG_CAPACITY, createSessionBook } from '../../electron/app/session-book.js';
import { finished, log, progress, started } from './app-fakes.js';

describe('ring', () => {
  it('keeps the newest items, oldest first', () => {
    const r = createRing<number>(3);
    expect(r.toArray()).toEqual([]);
    for (let i = 1; i <= 5; i++) r.push(i);
    expect(r.toArray()).toEqual([3, 4, 5]);
    expect(r.size).toBe(3);
    r.clear();
    expect(r.toArray()).toEqual([]);
    expect(() => createRing(0)).toThrow(RangeError);
  });
});

describe('session book', () => {
  it('tracks live sessions and moves them to history when they end', () => {
    const book = createSessionBook();
    book.apply([started('a', 100), progress('a', 500), started('b', 100)]);
    expect(book.activeSessions).toBe(2);
    expect(book.sessions().find((s) => s.started.id === 'a')).toMatchObject({ bytes: 500 });
    book.apply([
      finished('a'),
      {
        type: 'session-failed',
        time: 200,
        id: 'b',
        code: 1,
        message: 'File not found',
        by: 'server',
        bytes: 0,
        durationMs: 1,
      },
    ]);
    expect(book.activeSessions).toBe(0);
    expect(book.history().map((h) => [h.started.id, h.end.type])).toEqual([
      ['a', 'session-finished'],
      ['b', 'session-failed'],
    ]);
    // an end or progress for an unknown id changes nothing
    book.apply([finished('zzz'), progress('zzz', 1)]);
    expect(book.history()).toHaveLength(2);
  });

  it('is bounded: 1000 history entries and 100,000 log lines, the newest kept', () => {
    const book = createSessionBook();
    for (let i = 0; i < HISTORY_CAPACITY + 500; i++) book.apply([started(`s${i}`), finished(`s${i}`)]);
    const events = Array.from({ length: LOG_CAPACITY + 5000 }, (_, i) => log(`l${i}`));
    book.apply(events);
    expect(book.history()).toHaveLength(HISTORY_CAPACITY);
    expect(book.history()[0]!.started.id).toBe('s500');
    expect(book.log()).toHaveLength(LOG_CAPACITY);
    expect(book.log()[0]!.message).toBe('l5000');
  });

  it('follows the server state and names the sessions an engine left open', () => {
    const book = createSessionBook();
    book.apply([{ type: 'server', time: 1, server: { state: 'starting' } }]);
    expect(book.server).toEqual({ state: 'starting' });
    book.apply([started('x', 1000), progress('x', 42)]);
    expect(book.orphans(1500, 'Server stopped')).toEqual([
      {
        type: 'session-failed',
        time: 1500,
        id: 'x',
        code: 0,
        message: 'Server stopped',
        by: 'server',
        bytes: 42,
        durationMs: 500,
      },
    ]);
  });
});
