// Routes what the server sends into the per-domain stores: a snapshot replaces everything, an
// event batch is folded in with one set() per store (and none for a store it does not touch).
import type { EngineEvent } from '../../shared/events';
import type { NetInterface, Snapshot } from '../../shared/ipc-contract';
import { useInterfacesStore } from './interfaces-store';
import { appendLog, logFromSnapshot, useLogStore } from './log-store';
import { applyServerEvents, useServerStore } from './server-store';
import {
  applySessionEvents,
  sessionsFromSnapshot,
  useSessionsStore,
  type SessionView,
} from './sessions-store';
import { useSettingsStore } from './settings-store';

export function hydrate(snapshot: Snapshot): void {
  useServerStore.setState({ server: snapshot.server, capabilities: snapshot.capabilities, ready: true });
  useSettingsStore.setState({ settings: snapshot.settings });
  useSessionsStore.setState(sessionsFromSnapshot(snapshot.sessions, snapshot.history));
  useLogStore.setState(logFromSnapshot(snapshot.log));
  useInterfacesStore.setState({ interfaces: snapshot.interfaces });
}

export function applyBatch(events: readonly EngineEvent[]): void {
  if (events.length === 0) return;
  useServerStore.setState((s) => {
    const server = applyServerEvents(s.server, events);
    return server === s.server ? s : { server };
  });
  useSessionsStore.setState((s) => applySessionEvents(s, events));
  useLogStore.setState((s) => appendLog(s, events));
}

export function applyInterfaces(interfaces: readonly NetInterface[]): void {
  useInterfacesStore.setState({ interfaces });
}

/**
 * True when the batch finished an upload, so the file list has a new or changed file. `live` is
 * the session state before the batch; uploads that start and end within the batch count too.
 */
export function batchChangedFiles(
  events: readonly EngineEvent[],
  live: Readonly<Record<string, SessionView>>,
): boolean {
  const uploads = new Set<string>();
  for (const e of events) {
    if (e.type === 'session-started' && e.direction === 'upload') uploads.add(e.id);
    if (e.type !== 'session-finished') continue;
    if (uploads.has(e.id) || live[e.id]?.started.direction === 'upload') return true;
  }
  return false;
}
