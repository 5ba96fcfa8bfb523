// What the app remembers of the transfers: the server state, live sessions, a bounded history and
// a bounded log, folded by the same code as the renderer's stores (shared/event-fold.ts). It is
// fed the same batches the UI receives, so a snapshot plus the batches that follow it always
// describe the same state (nothing counted twice, nothing missed).
import type { EngineEvent, LogEvent, ServerState, SessionFailedEvent } from '../../shared/events.js';
import { emptyFold, foldEvents, type FoldState } from '../../shared/event-fold.js';
import type { HistoryEntry, LiveSession } from '../../shared/ipc-contract.js';
import { liveSessions, orphanedSessionEvents } from '../../shared/session-fold.js';

export { HISTORY_CAPACITY, LOG_CAPACITY } from '../../shared/event-fold.js';

export interface SessionBook {
  apply(events: readonly EngineEvent[]): void;
  readonly server: ServerState;
  /** oldest first */
  sessions(): LiveSession[];
  /** oldest first, as the snapshot has always carried it */
  history(): HistoryEntry[];
  log(): LogEvent[];
  readonly activeSessions: number;
  /** failure events for sessions still live: used when an engine goes away without ending them */
  orphans(time: number, message: string): SessionFailedEvent[];
}

export function createSessionBook(): SessionBook {
  let state: FoldState = emptyFold;
  return {
    apply(events) {
      state = foldEvents(state, events);
    },
    get server() {
      return state.server;
    },
    sessions: () => liveSessions(state.sessions),
    history: () => [...state.sessions.history].reverse(),
    log: () => [...state.log.lines],
    get activeSessions() {
      return state.sessions.order.length;
    },
    orphans: (time, message) => orphanedSessionEvents(state.sessions, time, message),
  };
}
