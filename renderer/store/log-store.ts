// The log: bounded at LOG_LIMIT lines (oldest dropped first). `dropped` counts every line that
// ever left the front, so `dropped + index` is a stable key for a line while the view scrolls.
import { create } from 'zustand';
import type { EngineEvent, LogEvent, LogLevel } from '../../shared/events';

export const LOG_LIMIT = 100_000;

export interface LogSlice {
  lines: readonly LogEvent[];
  dropped: number;
}

export const emptyLog: LogSlice = { lines: [], dropped: 0 };

export function logFromSnapshot(lines: readonly LogEvent[], limit = LOG_LIMIT): LogSlice {
  const kept = lines.length > limit ? lines.slice(lines.length - limit) : [...lines];
  return { lines: kept, dropped: 0 };
}

export function appendLog(state: LogSlice, events: readonly EngineEvent[], limit = LOG_LIMIT): LogSlice {
  const incoming: LogEvent[] = [];
  for (const e of events) if (e.type === 'log') incoming.push(e);
  if (incoming.length === 0) return state;
  const merged = state.lines.concat(incoming);
  const excess = merged.length - limit;
  if (excess <= 0) return { lines: merged, dropped: state.dropped };
  return { lines: merged.slice(excess), dropped: state.dropped + excess };
}

export function clearLog(state: LogSlice): LogSlice {
  return { lines: [], dropped: state.dropped + state.lines.length };
}

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

const RANK: Readonly<Record<LogLevel, number>> = { debug: 0, info: 1, warn: 2, error: 3 };

export interface LogFilter {
  /** lowest level shown */
  level: LogLevel;
  /** case-insensitive text to find in the message, peer or session id */
  search: string;
}

export function matchesFilter(line: LogEvent, filter: LogFilter): boolean {
  if (RANK[line.level] < RANK[filter.level]) return false;
  if (filter.search === '') return true;
  const needle = filter.search.toLowerCase();
  return (
    line.message.toLowerCase().includes(needle) ||
    (line.peer?.toLowerCase().includes(needle) ?? false) ||
    (line.sessionId?.toLowerCase().includes(needle) ?? false)
  );
}

/** The lines that pass the filter; the same array when nothing is filtered out. */
export function filterLog(lines: readonly LogEvent[], filter: LogFilter): readonly LogEvent[] {
  if (filter.level === 'debug' && filter.search === '') return lines;
  return lines.filter((line) => matchesFilter(line, filter));
}

/** One line of text per entry, for copy and export. Messages keep their text; controls are escaped. */
export function formatLogLine(line: LogEvent, escape: (text: string) => string): string {
  const time = new Date(line.time).toISOString();
  const peer = line.peer !== undefined ? ` ${line.peer}` : '';
  return `${time} ${line.level.toUpperCase().padEnd(5)}${peer} ${escape(line.message)}`;
}

export const useLogStore = create<LogSlice>()(() => emptyLog);
