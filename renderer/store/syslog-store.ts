// The Syslog tab's state: the receiver's state and settings, the newest messages (a ring: at most
// `capacity`, the app's own cap, so a window open for days holds no more than a new one) and what
// was dropped. The reducers are pure, for the tests; sync is in renderer/syslog-actions.ts.
import { create } from 'zustand';
import type { SyslogSnapshot } from '../../shared/syslog-contract';
import {
  SYSLOG_DEFAULTS,
  type SyslogDropCounts,
  type SyslogDroppedEvent,
  type SyslogMessage,
  type SyslogSettings,
  type SyslogState,
} from '../../shared/syslog';

export interface SyslogSlice {
  /** false until the first snapshot arrived */
  ready: boolean;
  state: SyslogState;
  settings: SyslogSettings;
  /** oldest first, at most `settings.maxMessages` */
  messages: readonly SyslogMessage[];
  /** every drop since the app started (or the last Clear) */
  dropped: SyslogDropCounts;
  lastDrop: SyslogDroppedEvent | null;
}

export const initialSyslogSlice: SyslogSlice = {
  ready: false,
  state: { state: 'stopped' },
  settings: SYSLOG_DEFAULTS,
  messages: [],
  dropped: { rateLimited: 0, notAllowed: 0 },
  lastDrop: null,
};

export function syslogFromSnapshot(snapshot: SyslogSnapshot): SyslogSlice {
  return {
    ready: true,
    state: snapshot.state,
    settings: snapshot.settings,
    messages: snapshot.messages.slice(-snapshot.settings.maxMessages),
    dropped: snapshot.dropped,
    lastDrop: snapshot.lastDrop,
  };
}

/** Adds a batch, keeping the newest `settings.maxMessages`. */
export function appendSyslogMessages(state: SyslogSlice, batch: readonly SyslogMessage[]): SyslogSlice {
  if (batch.length === 0) return state;
  const cap = state.settings.maxMessages;
  const keep = Math.max(0, cap - batch.length);
  const older = keep === 0 ? [] : state.messages.slice(-keep);
  return { ...state, messages: [...older, ...batch.slice(-cap)] };
}

export function addSyslogDrop(state: SyslogSlice, e: SyslogDroppedEvent): SyslogSlice {
  return {
    ...state,
    lastDrop: e,
    dropped: {
      rateLimited: state.dropped.rateLimited + e.dropped.rateLimited,
      notAllowed: state.dropped.notAllowed + e.dropped.notAllowed,
    },
  };
}

export function clearSyslogMessages(state: SyslogSlice): SyslogSlice {
  return { ...state, messages: [], dropped: { rateLimited: 0, notAllowed: 0 }, lastDrop: null };
}

/** New settings; a smaller cap trims the oldest messages at once. */
export function withSyslogSettings(state: SyslogSlice, settings: SyslogSettings): SyslogSlice {
  const messages =
    state.messages.length > settings.maxMessages
      ? state.messages.slice(-settings.maxMessages)
      : state.messages;
  return { ...state, settings, messages };
}

export const useSyslogStore = create<SyslogSlice>()(() => initialSyslogSlice);
