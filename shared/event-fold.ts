// Events -> what a UI shows: the server state, live sessions with their history, and the log.
// One pure fold for the app (its book answers a new window's snapshot) and for the renderer (its
// stores draw it), so a snapshot plus the batches after it always give what a window open all
// along shows. The caps are the parts' own (HISTORY_CAPACITY, LOG_CAPACITY), the same on both sides.
//
// Each part folds the whole batch on its own and returns itself when the batch holds nothing for
// it, so a store that draws one part redraws only when that part changed. A further service (DHCP
// leases and decisions, syslog messages) adds its part to FoldState and its fold to PARTS; the
// type of PARTS makes a part without a fold a compile error.
import type { EngineEvent, ServerState } from './events.js';
import type { Snapshot } from './ipc-contract.js';
import { appendLog, emptyLog, logFromSnapshot, type LogSlice } from './log-fold.js';
import {
  applySessionEvents,
  emptySessions,
  sessionsFromSnapshot,
  type SessionsSlice,
} from './session-fold.js';

export { HISTORY_CAPACITY } from './session-fold.js';
export { LOG_CAPACITY } from './log-fold.js';

export interface FoldState {
  readonly server: ServerState;
  readonly sessions: SessionsSlice;
  readonly log: LogSlice;
}

export const emptyFold: FoldState = { server: { state: 'stopped' }, sessions: emptySessions, log: emptyLog };

/** The last `server` event of a batch wins; the others were already superseded. */
export function applyServerEvents(state: ServerState, events: readonly EngineEvent[]): ServerState {
  let next = state;
  for (const event of events) if (event.type === 'server') next = event.server;
  return next;
}

type PartFolds = {
  readonly [K in keyof FoldState]: (state: FoldState[K], events: readonly EngineEvent[]) => FoldState[K];
};

const PARTS: PartFolds = {
  server: applyServerEvents,
  sessions: (state, events) => applySessionEvents(state, events),
  log: (state, events) => appendLog(state, events),
};

const PART_NAMES = Object.keys(PARTS) as (keyof FoldState)[];

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function foldPart<K extends keyof FoldState>(
  next: Mutable<FoldState>,
  key: K,
  events: readonly EngineEvent[],
): boolean {
  const before = next[key];
  const after = PARTS[key](before, events);
  next[key] = after;
  return after !== before;
}

/** Folds one batch, in order; the same state when nothing in it changed anything. */
export function foldEvents(state: FoldState, events: readonly EngineEvent[]): FoldState {
  if (events.length === 0) return state;
  const next: Mutable<FoldState> = { ...state };
  let changed = false;
  for (const key of PART_NAMES) if (foldPart(next, key, events)) changed = true;
  return changed ? next : state;
}

/** The state a snapshot describes (a window that opens, a browser tab that reconnects). */
export function foldFromSnapshot(
  snapshot: Pick<Snapshot, 'server' | 'sessions' | 'history' | 'log'>,
): FoldState {
  return {
    server: snapshot.server,
    sessions: sessionsFromSnapshot(snapshot.sessions, snapshot.history),
    log: logFromSnapshot(snapshot.log),
  };
}
