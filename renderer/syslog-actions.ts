// What the Syslog tab asks of the server, and the pushes that keep its store current. Components
// reach these through renderer/actions.ts, which re-exports them and hands over the bridge.
import type { Result } from '../shared/ipc-contract';
import type { SyslogSettings, SyslogSettingsErrors, SyslogState } from '../shared/syslog';
import type { RendererBridge } from './bridge';
import {
  addSyslogDrop,
  appendSyslogMessages,
  clearSyslogMessages,
  syslogFromSnapshot,
  useSyslogStore,
  withSyslogSettings,
} from './store/syslog-store';

let bridge: RendererBridge | undefined;

function syslogBridge(): RendererBridge {
  if (bridge === undefined) throw new Error('The UI is not connected to a server yet.');
  return bridge;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Subscribes the syslog store to the bridge's pushes; returns the unsubscribe. */
export function connectSyslog(b: RendererBridge): () => void {
  bridge = b;
  const offs = [
    b.on('syslog-state', (state) => useSyslogStore.setState({ state })),
    b.on('syslog-messages', (batch) => useSyslogStore.setState((s) => appendSyslogMessages(s, batch))),
    b.on('syslog-dropped', (e) => useSyslogStore.setState((s) => addSyslogDrop(s, e))),
    b.on('syslog-cleared', () => useSyslogStore.setState((s) => clearSyslogMessages(s))),
  ];
  return () => offs.forEach((off) => off());
}

export async function loadSyslogSnapshot(): Promise<void> {
  try {
    useSyslogStore.setState(syslogFromSnapshot(await syslogBridge().getSyslogSnapshot()), true);
  } catch (error) {
    console.warn('syslog snapshot failed:', messageOf(error));
  }
}

const failed = (error: unknown): SyslogState => ({
  state: 'error',
  code: 'INTERNAL',
  message: messageOf(error),
});

export async function startSyslog(): Promise<void> {
  useSyslogStore.setState({ state: { state: 'starting' } });
  try {
    const state = await syslogBridge().startSyslog();
    useSyslogStore.setState((s) => ({ state, settings: { ...s.settings, enabled: true } }));
  } catch (error) {
    useSyslogStore.setState({ state: failed(error) });
  }
}

export async function stopSyslog(): Promise<void> {
  try {
    const state = await syslogBridge().stopSyslog();
    useSyslogStore.setState((s) => ({ state, settings: { ...s.settings, enabled: false } }));
  } catch (error) {
    useSyslogStore.setState({ state: failed(error) });
  }
}

/** Saves syslog settings: null when saved, else a message per bad field. */
export async function setSyslogSettings(
  patch: Partial<SyslogSettings>,
): Promise<SyslogSettingsErrors | null> {
  try {
    const result = await syslogBridge().setSyslogSettings(patch);
    if (!result.ok) return result.errors;
    useSyslogStore.setState((s) => ({ ...withSyslogSettings(s, result.settings), state: result.state }));
    return null;
  } catch (error) {
    return { port: messageOf(error) };
  }
}

/** Saves another port and starts the receiver on it (the way out of a refused or taken 514). */
export async function startSyslogOnPort(port: number): Promise<string | null> {
  const errors = await setSyslogSettings({ port });
  if (errors !== null) return errors.port ?? Object.values(errors)[0] ?? 'Could not save the port.';
  await startSyslog();
  return null;
}

export async function clearSyslog(): Promise<Result<null>> {
  try {
    await syslogBridge().clearSyslog();
    useSyslogStore.setState((s) => clearSyslogMessages(s));
    return { ok: true, value: null };
  } catch (error) {
    return { ok: false, message: messageOf(error) };
  }
}
