// Live transfers and the history of ended ones, as the window draws them. The fold is the app's
// own (shared/session-fold.ts), so a snapshot and the batches after it agree with this store.
import { create } from 'zustand';
import type { HistoryEntry } from '../../shared/ipc-contract';
import { emptySessions, type SessionsSlice } from '../../shared/session-fold';

export {
  HISTORY_CAPACITY,
  applySessionEvents,
  emptySessions,
  sessionsFromSnapshot,
  type SessionView,
  type SessionsSlice,
} from '../../shared/session-fold';

export function isFailure(entry: HistoryEntry): boolean {
  return entry.end.type === 'session-failed';
}

export function clearHistory(state: SessionsSlice): SessionsSlice {
  return { ...state, history: [] };
}

export const useSessionsStore = create<SessionsSlice>()(() => emptySessions);
