// The log, folded from log events: bounded at LOG_CAPACITY lines, oldest dropped first. `dropped`
// counts every line that ever left the front, so `dropped + index` is a stable key for a line
// while a view scrolls. A batch without log lines returns the same state.
import type { EngineEvent, LogEvent } from './events.js';

/**
 * Lines kept: what the Log tab promises (README). The app keeps as many as the renderer so a
 * window opened later (or a browser tab that reconnects) starts with the log a window open all
 * along shows; the renderer draws only the rows in view, and the snapshot is sent once a window.
 */
export const LOG_CAPACITY = 100_000;

export interface LogSlice {
  lines: readonly LogEvent[];
  dropped: number;
}

export const emptyLog: LogSlice = { lines: [], dropped: 0 };

export function logFromSnapshot(lines: readonly LogEvent[], capacity = LOG_CAPACITY): LogSlice {
  const kept = lines.length > capacity ? lines.slice(lines.length - capacity) : [...lines];
  return { lines: kept, dropped: 0 };
}

export function appendLog(
  state: LogSlice,
  events: readonly EngineEvent[],
  capacity = LOG_CAPACITY,
): LogSlice {
  const incoming: LogEvent[] = [];
  for (const e of events) if (e.type === 'log') incoming.push(e);
  if (incoming.length === 0) return state;
  const merged = state.lines.concat(incoming);
  const excess = merged.length - capacity;
  if (excess <= 0) return { lines: merged, dropped: state.dropped };
  return { lines: merged.slice(excess), dropped: state.dropped + excess };
}
