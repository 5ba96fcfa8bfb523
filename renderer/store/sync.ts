// Routes what the server sends into the per-domain stores: a snapshot replaces everything, an
// event batch goes through the app's fold (shared/event-fold.ts) and each store whose part changed
// gets one set() (a store the batch does not touch gets none).
import type { EngineEvent } from '../../shared/events';
import { foldEvents, foldFromSnapshot, type FoldState } from '../../shared/event-fold';
import type { NetInterface, Snapshot } from '../../shared/ipc-contract';
import type { SessionView } from '../../shared/session-fold';
import { useInterfacesStore } from './interfaces-store';
import { useLogStore } from './log-store';
import { useServerStore } from './server-store';
import { useSessionsStore } from './sessions-store';
import { useSettingsStore } from './settings-store';

export function hydrate(snapshot: Snapshot): void {
  const fold = foldFromSnapshot(snapshot);
  useServerStore.setState({ server: fold.server, capabilities: snapshot.capabilities, ready: true });
  useSettingsStore.setState({ settings: snapshot.settings });
  useSessionsStore.setState(fold.sessions, true);
  useLogStore.setState(fold.log, true);
  useInterfacesStore.setState({ interfaces: snapshot.interfaces });
}

export function applyBatch(events: readonly EngineEvent[]): void {
  const before: FoldState = {
    server: useServerStore.getState().server,
    sessions: useSessionsStore.getState(),
    log: useLogStore.getState(),
  };
  const after = foldEvents(before, events);
  if (after === before) return;
  if (after.server !== before.server) useServerStore.setState({ server: after.server });
  if (after.sessions !== before.sessions) useSessionsStore.setState(after.sessions, true);
  if (after.log !== before.log) useLogStore.setState(after.log, true);
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
