// Live transfers and the history of finished ones. Events come in batches (~10 a second, up to
// hundreds of events each); applySessionEvents folds a whole batch into one new state so the UI
// renders once per batch, and only the sessions that changed get new objects (rows are memoised).
import { create } from 'zustand';
import type { EngineEvent, SessionStartedEvent } from '../../shared/events';
import type { HistoryEntry, LiveSession } from '../../shared/ipc-contract';

export const HISTORY_LIMIT = 1000;

export interface SessionView {
  id: string;
  started: SessionStartedEvent;
  bytes: number;
  /** bytes per second over the engine's last interval */
  rate: number;
  retransmits: number;
  /** true when the last progress report counted new retransmissions */
  retrying: boolean;
  updated: number;
}

export interface SessionsSlice {
  live: Readonly<Record<string, SessionView>>;
  /** live session ids, oldest first */
  order: readonly string[];
  /** finished and failed transfers, newest first, at most HISTORY_LIMIT */
  history: readonly HistoryEntry[];
}

export const emptySessions: SessionsSlice = { live: {}, order: [], history: [] };

function fromLive(s: LiveSession): SessionView {
  return {
    id: s.started.id,
    started: s.started,
    bytes: s.bytes,
    rate: s.rate,
    retransmits: s.retransmits,
    retrying: false,
    updated: s.started.time,
  };
}

export function sessionsFromSnapshot(
  sessions: readonly LiveSession[],
  history: readonly HistoryEntry[],
  limit = HISTORY_LIMIT,
): SessionsSlice {
  const live: Record<string, SessionView> = {};
  const order: string[] = [];
  for (const s of [...sessions].sort((a, b) => a.started.time - b.started.time)) {
    live[s.started.id] = fromLive(s);
    order.push(s.started.id);
  }
  const sorted = [...history].sort((a, b) => b.end.time - a.end.time).slice(0, limit);
  return { live, order, history: sorted };
}

export function applySessionEvents(
  state: SessionsSlice,
  events: readonly EngineEvent[],
  limit = HISTORY_LIMIT,
): SessionsSlice {
  let live: Record<string, SessionView> | undefined;
  let ended: HistoryEntry[] | undefined;
  let removed: Set<string> | undefined;
  let added: string[] | undefined;
  const current = (): Record<string, SessionView> => (live ??= { ...state.live });

  for (const event of events) {
    switch (event.type) {
      case 'session-started': {
        const map = current();
        if (map[event.id] === undefined) (added ??= []).push(event.id);
        map[event.id] = {
          id: event.id,
          started: event,
          bytes: 0,
          rate: 0,
          retransmits: 0,
          retrying: false,
          updated: event.time,
        };
        break;
      }
      case 'session-progress': {
        const map = current();
        const prev = map[event.id];
        if (prev === undefined) break; // started before our snapshot and already gone
        map[event.id] = {
          ...prev,
          bytes: event.bytes,
          rate: event.rate,
          retransmits: event.retransmits,
          retrying: event.retransmits > prev.retransmits,
          updated: event.time,
        };
        break;
      }
      case 'session-finished':
      case 'session-failed': {
        const map = current();
        const prev = map[event.id];
        if (prev === undefined) break;
        delete map[event.id];
        (removed ??= new Set()).add(event.id);
        (ended ??= []).push({ started: prev.started, end: event });
        break;
      }
      default:
        break;
    }
  }

  if (live === undefined) return state;
  let order: readonly string[] = state.order;
  if (added !== undefined) order = [...order, ...added];
  if (removed !== undefined) {
    const gone = removed;
    order = order.filter((id) => !gone.has(id));
  }
  let history = state.history;
  if (ended !== undefined) {
    history = [...ended.reverse(), ...history];
    if (history.length > limit) history = history.slice(0, limit);
  }
  return { live, order, history };
}

export function isFailure(entry: HistoryEntry): boolean {
  return entry.end.type === 'session-failed';
}

export function clearHistory(state: SessionsSlice): SessionsSlice {
  return { ...state, history: [] };
}

export const useSessionsStore = create<SessionsSlice>()(() => emptySessions);
