// The log as the window shows it: the fold is the app's own (shared/log-fold.ts), bounded at
// LOG_CAPACITY lines; here are what the Log tab adds (clearing, filters, text for copy and export).
import { create } from 'zustand';
import type { LogEvent, LogLevel } from '../../shared/events';
import { emptyLog, type LogSlice } from '../../shared/log-fold';

export { LOG_CAPACITY, appendLog, emptyLog, logFromSnapshot, type LogSlice } from '../../shared/log-fold';

/** `dropped` keeps counting, so the keys of lines that arrive later stay new. */
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
