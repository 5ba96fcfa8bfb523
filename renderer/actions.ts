// What the UI asks of the server: components reach the bridge only through these (lint-enforced).
// Each action calls the bridge and folds the answer into the stores; errors come back as plain
// messages for the UI to show (never thrown at a component).
import type { EngineEvent } from '../shared/events';
import { pushRecentRoot, type AppSettings, type SettingsErrors } from '../shared/settings';
import type { FileChecksums, Result, UpdateSettingsResult } from '../shared/ipc-contract';
import type { RendererBridge } from './bridge';
import { connectClient, loadClientState } from './client-actions';
import { connectDhcp, loadDhcp } from './dhcp-actions';
import { applyFirewallNotice, connectFirewall } from './firewall-actions';
import { connectNameMap } from './name-map-actions';
import { connectPreflight } from './preflight-actions';
import { keepSelection, useFilesStore } from './store/files-store';
import { useServerStore } from './store/server-store';
import { useSessionsStore } from './store/sessions-store';
import { useSettingsStore } from './store/settings-store';
import { applyBatch, applyInterfaces, batchChangedFiles, hydrate } from './store/sync';
import { connectSyslog, loadSyslogSnapshot } from './syslog-actions';

export { cancelClientTransfer, chooseClientFile, startClientTransfer } from './client-actions';
export { saveNameMap, testNameMap } from './name-map-actions';
export { closePreflight, openPreflight, runPreflight } from './preflight-actions';
export { addFirewallRule, dismissFirewallResult } from './firewall-actions';
export { clearSyslog, setSyslogSettings, startSyslog, startSyslogOnPort, stopSyslog } from './syslog-actions';

let bridge: RendererBridge | undefined;

function currentBridge(): RendererBridge {
  if (bridge === undefined) throw new Error('The UI is not connected to a server yet.');
  return bridge;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export async function loadSnapshot(): Promise<void> {
  try {
    const snapshot = await currentBridge().getSnapshot();
    hydrate(snapshot);
    applyFirewallNotice(snapshot.firewall ?? null);
    await loadSyslogSnapshot();
    await Promise.all([refreshFiles(), loadDhcp(), loadClientState()]);
  } catch (error) {
    useServerStore.setState({ ready: false });
    console.warn('snapshot failed:', errorMessage(error));
  }
}

/** Subscribes the stores to the bridge and loads the first snapshot; returns the unsubscribe. */
export function connectStores(b: RendererBridge): () => void {
  bridge = b;
  connectNameMap(b);
  const offEvents = b.on('events', (events: EngineEvent[]) => {
    const before = useSessionsStore.getState().live;
    applyBatch(events);
    if (batchChangedFiles(events, before)) void refreshFiles();
  });
  const offInterfaces = b.on('interfaces', applyInterfaces);
  const offSyslog = connectSyslog(b);
  const offDhcp = connectDhcp(b);
  const offClient = connectClient(b, () => void refreshFiles());
  connectPreflight(b);
  const offFirewall = connectFirewall(b);
  let offConnection: (() => void) | undefined;
  if (b.onConnection !== undefined) {
    offConnection = b.onConnection((connection) => {
      useServerStore.setState({ connection });
      if (connection === 'open') void loadSnapshot();
    });
  } else {
    useServerStore.setState({ connection: 'open' });
    void loadSnapshot();
  }
  return () => {
    offEvents();
    offInterfaces();
    offSyslog();
    offDhcp();
    offClient();
    offFirewall();
    offConnection?.();
  };
}

export async function startServer(): Promise<void> {
  useServerStore.setState({ server: { state: 'starting' } });
  try {
    useServerStore.setState({ server: await currentBridge().startServer() });
  } catch (error) {
    useServerStore.setState({
      server: { state: 'error', code: 'INTERNAL', message: errorMessage(error) },
    });
  }
}

export async function stopServer(): Promise<void> {
  try {
    useServerStore.setState({ server: await currentBridge().stopServer() });
  } catch (error) {
    useServerStore.setState({ server: { state: 'error', code: 'INTERNAL', message: errorMessage(error) } });
  }
}

export async function refreshFiles(): Promise<void> {
  useFilesStore.setState({ loading: true });
  try {
    const result = await currentBridge().listFiles();
    if (result.ok) {
      const files = [...result.value].sort((a, b) => a.name.localeCompare(b.name));
      useFilesStore.setState((s) => ({
        files,
        error: null,
        loading: false,
        selected: keepSelection(files, s.selected),
      }));
    } else {
      useFilesStore.setState({ files: [], error: result.message, loading: false, selected: null });
    }
  } catch (error) {
    useFilesStore.setState({ error: errorMessage(error), loading: false });
  }
}

function rootChanged(root: string): void {
  useSettingsStore.setState((s) =>
    s.settings === null
      ? s
      : { settings: { ...s.settings, root, recentRoots: pushRecentRoot(s.settings.recentRoots, root) } },
  );
  void refreshFiles();
}

/** Resolves to an error message, or null when the root was set. */
export async function setRoot(path: string): Promise<string | null> {
  try {
    const result = await currentBridge().setRoot(path);
    if (!result.ok) return result.message;
    rootChanged(result.value);
    return null;
  } catch (error) {
    return errorMessage(error);
  }
}

export async function chooseRoot(): Promise<string | null> {
  try {
    const root = await currentBridge().chooseRoot();
    if (root !== null) rootChanged(root);
    return null;
  } catch (error) {
    return errorMessage(error);
  }
}

export async function openRoot(): Promise<string | null> {
  try {
    const result = await currentBridge().openRoot();
    return result.ok ? null : result.message;
  } catch (error) {
    return errorMessage(error);
  }
}

export async function fileChecksums(name: string): Promise<Result<FileChecksums>> {
  try {
    return await currentBridge().checksum(name);
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  }
}

/** Saves the log with the desktop app's save dialog: the path saved to, or null when cancelled. */
export async function saveLog(text: string): Promise<Result<string | null>> {
  try {
    return { ok: true, value: await currentBridge().exportLog(text) };
  } catch (error) {
    return { ok: false, message: errorMessage(error) };
  }
}

/** Where a dropped file or folder lives; only the desktop app can tell (a browser never reveals it). */
export function droppedPath(file: File): string | undefined {
  const viaBridge = currentBridge().pathForFile?.(file);
  if (viaBridge !== undefined && viaBridge !== '') return viaBridge;
  // Older Electron versions put the path on the File itself.
  const legacy = (file as File & { path?: string }).path;
  return legacy !== undefined && legacy !== '' ? legacy : undefined;
}

export type SaveOutcome = UpdateSettingsResult | { ok: false; errors: SettingsErrors; message: string };

export async function updateSettings(patch: Partial<AppSettings>): Promise<SaveOutcome> {
  try {
    const result = await currentBridge().updateSettings(patch);
    if (result.ok) {
      const rootMoved = useSettingsStore.getState().settings?.root !== result.settings.root;
      useSettingsStore.setState({ settings: result.settings });
      if (rootMoved) void refreshFiles();
    }
    return result;
  } catch (error) {
    return { ok: false, errors: {}, message: errorMessage(error) };
  }
}

/**
 * Saves another port and starts the server on it (after a failed start no engine is running,
 * so the new port alone would not restart anything). Resolves to an error message, or null;
 * a second failure to listen shows in the server state like any other.
 */
export async function startOnPort(port: number, beforeStart?: () => void): Promise<string | null> {
  const saved = await updateSettings({ port });
  if (!saved.ok)
    return saved.errors.port ?? ('message' in saved ? saved.message : 'Could not save the port.');
  beforeStart?.();
  await startServer();
  return null;
}
