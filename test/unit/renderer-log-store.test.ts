import { describe, expect, it } from 'vitest';
import type { EngineEvent, LogEvent } from '../../shared/events';
import { displayText } from '../../renderer/lib/display-text';
import {
  appendLog,
  clearLog,
  emptyLog,
  filterLog,
  formatLogLine,
  logFromSnapshot,
} from '../../renderer/store/log-store';

const line = (i: number, level: LogEvent['level'] = 'info', message = `line ${i}`): LogEvent => ({
  type: 'log',
  time: 1_700_000_000_000 + i,
  level,
  message,
  peer: i % 2 === 0 ? '10.0.0.2:1000' : undefined,
});

describe('log store', () => {
  it('appends only log events and keeps the same state for batches without any', () => {
    const progress: EngineEvent = {
      type: 'session-progress',
      time: 1,
      id: 'a',
      bytes: 1,
      rate: 1,
      retransmits: 0,
    };
    const s = appendLog(emptyLog, [line(1), progress, line(2)]);
    expect(s.lines.map((l) => l.message)).toEqual(['line 1', 'line 2']);
    expect(appendLog(s, [progress])).toBe(s);
  });

  it('drops the oldest lines past the limit and counts them for stable keys', () => {
    let s = emptyLog;
    for (let b = 0; b < 10; b++)
      s = appendLog(
        s,
        Array.from({ length: 30 }, (_, i) => line(b * 30 + i)),
        100,
      );
    expect(s.lines).toHaveLength(100);
    expect(s.dropped).toBe(200);
    expect(s.lines[0]?.message).toBe('line 200');
    const cleared = clearLog(s);
    expect(cleared).toEqual({ lines: [], dropped: 300 });
  });

  it('holds 100,000 lines and appends a batch quickly', () => {
    let s = logFromSnapshot(Array.from({ length: 100_000 }, (_, i) => line(i)));
    const t0 = performance.now();
    for (let b = 0; b < 10; b++)
      s = appendLog(
        s,
        Array.from({ length: 500 }, (_, i) => line(i)),
      );
    expect(s.lines).toHaveLength(100_000);
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('filters by lowest level and by text in message or peer', () => {
    const lines = [
      line(1, 'debug'),
      line(2, 'info'),
      line(3, 'warn', 'RRQ refused: file not found'),
      line(4, 'error'),
    ];
    expect(filterLog(lines, { level: 'debug', search: '' })).toBe(lines);
    expect(filterLog(lines, { level: 'warn', search: '' }).map((l) => l.level)).toEqual(['warn', 'error']);
    expect(filterLog(lines, { level: 'debug', search: 'NOT FOUND' })).toHaveLength(1);
    expect(filterLog(lines, { level: 'debug', search: '10.0.0.2' }).map((l) => l.message)).toEqual([
      'line 2',
      'line 4',
    ]);
  });

  it('formats a line for copy and export with controls escaped', () => {
    const text = formatLogLine(line(2, 'warn', 'bad\nname\u001b[2J'), (t) => displayText(t));
    expect(text).toBe('2023-11-14T22:13:20.002Z WARN  10.0.0.2:1000 bad\\nname\\x1b[2J');
  });
});
