import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/events.js';
import { createEventBatcher } from '../../electron/app/event-batcher.js';
import { finished, log, manualTimer, progress, started } from './app-fakes.js';

function setup(maxLogs = 500) {
  const timer = manualTimer();
  const batches: EngineEvent[][] = [];
  const batcher = createEventBatcher({ timer, maxLogs, onBatch: (b) => batches.push(b) });
  return { timer, batches, batcher };
}

describe('event batcher', () => {
  it('sends a burst as one batch, then at most one batch per 100 ms', () => {
    const { timer, batches, batcher } = setup();
    batcher.push(started('a'));
    batcher.push(progress('a', 10));
    expect(batches).toHaveLength(0);
    timer.advance(0);
    expect(batches).toHaveLength(1);
    // a steady stream over one second: no more than ~10 batches
    for (let t = 0; t < 1000; t += 5) {
      batcher.push(progress('a', t));
      timer.advance(5);
    }
    timer.advance(200);
    expect(batches.length).toBeGreaterThanOrEqual(9);
    expect(batches.length).toBeLessThanOrEqual(12);
  });

  it('keeps only the latest progress per session, in place and before its end', () => {
    const { timer, batches, batcher } = setup();
    batcher.push(started('a'));
    batcher.push(started('b'));
    for (let i = 1; i <= 1000; i++) {
      batcher.push(progress('a', i));
      batcher.push(progress('b', i * 2));
    }
    batcher.push(finished('a'));
    batcher.push(progress('b', 5000));
    timer.advance(0);
    expect(batches).toHaveLength(1);
    const batch = batches[0]!;
    expect(batch.map((e) => `${e.type}:${'id' in e ? e.id : ''}`)).toEqual([
      'session-started:a',
      'session-started:b',
      'session-progress:a',
      'session-progress:b',
      'session-finished:a',
    ]);
    expect(batch[2]).toMatchObject({ bytes: 1000 });
    expect(batch[3]).toMatchObject({ bytes: 5000 });
  });

  it('never drops starts and ends, whatever the number of sessions', () => {
    const { timer, batches, batcher } = setup();
    for (let i = 0; i < 5000; i++) {
      batcher.push(started(`s${i}`));
      batcher.push(progress(`s${i}`, 1));
      batcher.push(finished(`s${i}`));
    }
    timer.advance(0);
    const all = batches.flat();
    expect(all.filter((e) => e.type === 'session-started')).toHaveLength(5000);
    expect(all.filter((e) => e.type === 'session-finished')).toHaveLength(5000);
  });

  it('caps log lines per batch, keeps the newest and says how many were dropped', () => {
    const { timer, batches, batcher } = setup(500);
    batcher.push(started('a'));
    for (let i = 0; i < 50_000; i++) batcher.push(log(`line ${i}`));
    batcher.push(finished('a'));
    timer.advance(0);
    const batch = batches[0]!;
    const logs = batch.filter((e) => e.type === 'log');
    expect(logs).toHaveLength(501);
    expect(logs[0]).toMatchObject({
      level: 'warn',
      message: '49500 log lines dropped (too many in a short time)',
    });
    expect(logs[1]).toMatchObject({ message: 'line 49500' });
    expect(logs[500]).toMatchObject({ message: 'line 49999' });
    expect(batch[0]?.type).toBe('session-started');
    expect(batch.at(-1)?.type).toBe('session-finished');
  });

  it('keeps logs and session events in arrival order', () => {
    const { timer, batches, batcher } = setup();
    batcher.push(log('one'));
    batcher.push(started('a'));
    batcher.push(log('two'));
    batcher.push(finished('a'));
    batcher.push(log('three'));
    timer.advance(0);
    expect(batches[0]!.map((e) => (e.type === 'log' ? e.message : e.type))).toEqual([
      'one',
      'session-started',
      'two',
      'session-finished',
      'three',
    ]);
  });

  it('flush() sends at once; nothing pending sends nothing; dispose stops the timer', () => {
    const { timer, batches, batcher } = setup();
    batcher.flush();
    expect(batches).toHaveLength(0);
    batcher.push(log('x'));
    batcher.flush();
    expect(batches).toHaveLength(1);
    batcher.push(log('y'));
    batcher.dispose();
    timer.advance(1000);
    expect(batches).toHaveLength(1);
    expect(timer.pending()).toBe(0);
  });
});
