// The app controller: everything between the TFTP engine and a UI (Electron window or browser tab).
// It owns the engine's lifecycle, the session book, the settings and the served folder, and
// implements every call of the IPC contract. Pushes leave here already batched.
import { writeFile } from 'node:fs/promises';
import { basename, isAbsolute, join } from 'node:path';
import type { ClientFileChoice } from '../../shared/client-contract.js';
import { createEventHub } from '../../shared/event-hub.js';
import type { DhcpEvent } from '../../shared/dhcp.js';
import type { EventChannels, TftpInvoke } from '../../shared/ipc-contract.js';
import type { ServerState } from '../../shared/events.js';
import {
  APP_DEFAULTS,
  pushRecentRoot,
  validateSettings,
  type AppSettings,
  type SettingsErrors,
} from '../../shared/settings.js';
import { createClientHost } from './client-host.js';
import { createDhcpHost } from './dhcp-host.js';
import type { DhcpPorts } from './dhcp-ports.js';
import { createEventBatcher } from './event-batcher.js';
import { canonicalRules, createNameMapCalls } from './name-map-calls.js';
import { createInterfaceWatcher, type InterfaceWatcher } from './interface-watcher.js';
import { listInterfaces } from './interfaces.js';
import { NOT_IN_BROWSER, type NativeDialogs } from './native-dialogs.js';
import { checkRoot, checksumInRoot, listRootFiles } from './root-files.js';
import { createServerRunner, type EngineFactory } from './server-runner.js';
import { createPreflightHost } from './preflight/host.js';
import { createExec, type Exec } from './preflight/exec.js';
import { createFirewallHost } from './firewall-host.js';
import { createSessionBook } from './session-book.js';
import type { SettingsStore } from './settings-store.js';
import { realTimer, type Timer } from './timer.js';
import type { SyslogState } from '../../shared/syslog.js';
import { createSyslogHost, type SyslogReceiverFactory } from './syslog-host.js';
import { createMemorySyslogSettingsStore, type SyslogSettingsStore } from './syslog-settings-store.js';

/** Every contract call, returning a promise (what IPC and the WebSocket bridge await). */
export type AppInvoke = {
  [K in keyof TftpInvoke]: (...args: Parameters<TftpInvoke[K]>) => Promise<ReturnType<TftpInvoke[K]>>;
};

export interface AppController extends AppInvoke {
  on<K extends keyof EventChannels>(channel: K, listener: (payload: EventChannels[K]) => void): () => void;
  /** live sessions as of the last batch (tray icon) */
  readonly activeSessions: number;
  readonly serverState: ServerState;
  /** stops the engine (awaiting its clean-up) and the timers */
  dispose(): Promise<void>;
  /** starts the syslog receiver when the user left it on (at launch) */
  startSyslogIfEnabled(): Promise<SyslogState>;
}

export interface ControllerDeps {
  settings: SettingsStore;
  createEngine: EngineFactory;
  dialogs?: NativeDialogs;
  platform: NodeJS.Platform;
  /** taken over by the controller (disposed with it); one is created when absent */
  interfaces?: InterfaceWatcher;
  timer?: Timer;
  /** the syslog receiver's settings; in memory with the defaults (off) when absent */
  syslogSettings?: SyslogSettingsStore;
  /** tests pass their own; the real receiver otherwise */
  createSyslogReceiver?: SyslogReceiverFactory;
  /** what must outlive a run (the DHCP lease file) */
  dataDir: string;
  /** the boot services' ports when not the standard ones (tests) */
  dhcpPorts?: DhcpPorts;
  /** how long provision mode listens for another DHCP server before it starts */
  dhcpRivalCheckMs?: number;
  /** hears every boot services event as the service tells it (the CLI prints them) */
  onDhcpEvent?: (event: DhcpEvent) => void;
  /** runs the OS commands of the firewall probe and its elevated fix (tests: recorded outputs) */
  exec?: Exec;
  /** the running program, as firewall rules name it (process.execPath when absent) */
  program?: string;
}

const SETTINGS_KEYS = new Set<string>(['root', ...Object.keys(APP_DEFAULTS)]);

/** Unknown keys are never stored: the settings file holds only what the app understands. */
function knownKeys(patch: Partial<AppSettings>): Partial<AppSettings> {
  return Object.fromEntries(
    Object.entries(patch).filter(([k]) => SETTINGS_KEYS.has(k)),
  ) as Partial<AppSettings>;
}

export function createAppController(deps: ControllerDeps): AppController {
  const { settings: store, dialogs, platform } = deps;
  const timer = deps.timer ?? realTimer;
  const watcher = deps.interfaces ?? createInterfaceWatcher({ read: () => listInterfaces(platform) });
  const book = createSessionBook();
  // one broken subscriber (a closed window) must not stop the others: the hub drops what it throws
  const hub = createEventHub();

  const firewall = createFirewallHost({
    platform,
    program: deps.program ?? process.execPath,
    exec: deps.exec ?? createExec(),
    // the elevated run waits while the user reads the administrator prompt
    elevate: deps.exec ?? createExec(120_000),
    interfaces: () => watcher.current(),
    emit: (notice) => hub.emit('firewall', notice),
    timer,
  });
  // the book sees exactly the batches the UIs see, so snapshot + later batches never double count
  const batcher = createEventBatcher({
    timer,
    onBatch: (events) => {
      book.apply(events);
      hub.emit('events', events);
      for (const e of events) if (e.type === 'server') firewall.serverChanged(e.server);
    },
  });
  const runner = createServerRunner({
    createEngine: deps.createEngine,
    settings: () => store.get(),
    push: (e) => batcher.push(e),
    flush: () => batcher.flush(),
    orphans: (time) => book.orphans(time, 'Server stopped'),
    now: () => timer.now(),
  });
  const syslog = createSyslogHost({
    store: deps.syslogSettings ?? createMemorySyslogSettingsStore(),
    emit: (channel, payload) => hub.emit(channel, payload),
    timer,
    ...(deps.createSyslogReceiver ? { createReceiver: deps.createSyslogReceiver } : {}),
  });
  const dhcp = createDhcpHost({
    dataDir: deps.dataDir,
    settings: () => store.get(),
    saveDhcp: (settings) => store.set({ dhcp: settings }),
    interfaces: () => watcher.current(),
    tftpState: () => book.server,
    onState: (state) => hub.emit('dhcp-state', state),
    onLeases: (leases) => hub.emit('dhcp-leases', leases),
    log: (line) => batcher.push(line),
    now: () => timer.now(),
    ...(deps.dhcpPorts ? { ports: deps.dhcpPorts } : {}),
    ...(deps.dhcpRivalCheckMs !== undefined ? { rivalCheckMs: deps.dhcpRivalCheckMs } : {}),
    ...(deps.onDhcpEvent ? { onEvent: deps.onDhcpEvent } : {}),
  });
  const client = createClientHost({
    root: () => store.get().root,
    emit: (state) => hub.emit('client-transfer', state),
    session: (event) => batcher.push(event),
    now: () => timer.now(),
    recentDevices: {
      get: () => store.get().recentDevices,
      set: (recentDevices) => store.set({ recentDevices }),
    },
    ...(dialogs
      ? {
          // both start in the served folder: the usual place, and the default for a get
          chooseFile: ({ direction, suggestedName }: ClientFileChoice) => {
            const root = store.get().root;
            if (direction === 'put') return dialogs.chooseOpenFile(root || undefined);
            const name = basename(suggestedName ?? '') || 'from-device.bin';
            return dialogs.chooseSaveFile(root ? join(root, name) : name);
          },
        }
      : {}),
  });
  const preflight = createPreflightHost({
    platform,
    settings: () => store.get(),
    interfaces: () => watcher.current(),
    server: () => book.server,
    sessions: () => book.sessions(),
    now: () => timer.now(),
  });
  const stopWatching = watcher.onChange((list) => {
    hub.emit('interfaces', list);
    void dhcp.interfacesChanged(list);
  });

  async function updateSettings(patch: Partial<AppSettings>) {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      return { ok: false as const, errors: { root: 'Settings must be an object.' } as SettingsErrors };
    }
    patch = knownKeys(patch);
    const errors = validateSettings(patch);
    if (patch.nameMap !== undefined && !errors.nameMap) {
      const rules = canonicalRules(patch.nameMap);
      if (typeof rules === 'string') errors.nameMap = rules;
      else patch = { ...patch, nameMap: rules };
    }
    if (patch.root !== undefined && !errors.root) {
      const checked = await checkRoot(patch.root);
      if (!checked.ok) errors.root = checked.message;
      else patch = { ...patch, root: checked.value };
    }
    if (Object.keys(errors).length > 0) return { ok: false as const, errors };
    const prev = store.get();
    if (patch.root !== undefined && patch.root !== prev.root && patch.recentRoots === undefined) {
      patch = { ...patch, recentRoots: pushRecentRoot(prev.recentRoots, patch.root) };
    }
    store.set(patch);
    const next = store.get();
    await runner.apply(prev, next);
    if (JSON.stringify(prev.dhcp) !== JSON.stringify(next.dhcp)) await dhcp.settingsChanged();
    return { ok: true as const, settings: next };
  }

  async function setRoot(path: string) {
    const checked = await checkRoot(path);
    if (!checked.ok) return checked;
    const result = await updateSettings({ root: checked.value });
    if (!result.ok)
      return { ok: false as const, message: result.errors.root ?? 'That folder cannot be served.' };
    return { ok: true as const, value: checked.value };
  }

  return {
    async getSnapshot() {
      return {
        server: book.server,
        settings: store.get(),
        sessions: book.sessions(),
        history: book.history(),
        log: book.log(),
        interfaces: watcher.current(),
        capabilities: { nativeDialogs: dialogs !== undefined, platform },
        ...(firewall.current() !== null ? { firewall: firewall.current()! } : {}),
      };
    },
    startServer: () => runner.start(),
    stopServer: () => runner.stop(),
    updateSettings,
    setRoot,
    async chooseRoot() {
      if (!dialogs) return null;
      const current = store.get().root;
      const picked = await dialogs.chooseFolder(current || undefined);
      if (picked === null) return null;
      const result = await setRoot(picked);
      if (!result.ok) throw new Error(result.message);
      return result.value;
    },
    async openRoot() {
      if (!dialogs) return { ok: false, message: NOT_IN_BROWSER };
      const checked = await checkRoot(store.get().root);
      if (!checked.ok) return checked;
      const error = await dialogs.openFolder(checked.value);
      return error ? { ok: false, message: error } : { ok: true, value: null };
    },
    async listFiles() {
      const root = store.get().root;
      if (!root) return { ok: false, message: 'Choose a folder to serve first.' };
      return listRootFiles(root);
    },
    async checksum(name: string) {
      const root = store.get().root;
      if (!root) return { ok: false, message: 'Choose a folder to serve first.' };
      return checksumInRoot(root, name);
    },
    async listInterfaces() {
      return listInterfaces(platform);
    },
    async exportLog(text: string) {
      if (!dialogs) return null;
      if (typeof text !== 'string') throw new Error('The log must be text.');
      const stamp = new Date(timer.now()).toISOString().slice(0, 19).replace(/[:T]/g, '-');
      const path = await dialogs.chooseSavePath(`tftp-desk-log-${stamp}.txt`);
      if (path === null) return null;
      if (!isAbsolute(path) || path.includes('\0')) throw new Error('The chosen file path is not valid.');
      try {
        await writeFile(path, text, 'utf8');
      } catch {
        throw new Error(`The log could not be saved to ${path}.`);
      }
      return path;
    },
    ...syslog.calls,
    startSyslogIfEnabled: () => syslog.startIfEnabled(),
    getDhcp: async () => dhcp.view(),
    setDhcpSettings: (settings) => dhcp.setSettings(settings),
    startDhcp: () => dhcp.start(),
    stopDhcp: () => dhcp.stop(),
    ...client.calls,
    ...createNameMapCalls({ settings: () => store.get(), update: updateSettings }),
    runPreflight: (request) => preflight.run(request),
    addFirewallRule: () => firewall.addRule(),
    on: (channel, listener) => hub.on(channel, listener),
    get activeSessions() {
      return book.activeSessions;
    },
    get serverState() {
      return book.server;
    },
    async dispose() {
      await client.dispose();
      await dhcp.dispose();
      await runner.dispose();
      await syslog.dispose();
      batcher.flush();
      firewall.dispose();
      batcher.dispose();
      stopWatching();
      watcher.dispose();
      hub.clear();
    },
  };
}
