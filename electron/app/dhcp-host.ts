// The boot services (electron/dhcp) inside the app: one service at a time, started and stopped on
// request, never when the app opens; its state, lease table and decisions forwarded to the UIs and
// the log. Settings live in the app's settings store (AppSettings.dhcp); new settings for a running
// service mean a new service (the service's own rule), so saving restarts it.
import {
  validateDhcpSettings,
  type DhcpEvent,
  type DhcpLeaseView,
  type DhcpServiceState,
  type DhcpSettings,
} from '../../shared/dhcp.js';
import { readDhcpSettings, type DhcpView, type SetDhcpSettingsResult } from '../../shared/dhcp-view.js';
import type { LogEvent, ServerState } from '../../shared/events.js';
import type { NetInterface } from '../../shared/ipc-contract.js';
import type { AppSettings } from '../../shared/settings.js';
import { createDhcpService, type DhcpService, type DhcpServiceOptions } from '../dhcp/index.js';
import { dhcpDecisionLog, dhcpStateLog } from './dhcp-log.js';
import type { DhcpPorts } from './dhcp-ports.js';
import { preflightDhcp } from './dhcp-preflight.js';

export interface DhcpHostDeps {
  /** the lease file lives here */
  dataDir: string;
  settings(): AppSettings;
  saveDhcp(settings: DhcpSettings): void;
  interfaces(): readonly NetInterface[];
  tftpState(): ServerState;
  onState(state: DhcpServiceState): void;
  onLeases(leases: DhcpLeaseView[]): void;
  log(line: LogEvent): void;
  now(): number;
  ports?: DhcpPorts;
  rivalCheckMs?: number;
  createService?: (options: DhcpServiceOptions) => DhcpService;
  /** every state, decision and lease table, as the service tells them (the CLI prints them) */
  onEvent?: (event: DhcpEvent) => void;
}

export interface DhcpHost {
  view(): DhcpView;
  setSettings(raw: unknown): Promise<SetDhcpSettingsResult>;
  start(): Promise<DhcpServiceState>;
  stop(): Promise<DhcpServiceState>;
  /** settings saved another way (updateSettings): a running service takes them up */
  settingsChanged(): Promise<void>;
  /** the machine's interfaces changed: a service whose address went away stops */
  interfacesChanged(interfaces: readonly NetInterface[]): Promise<void>;
  dispose(): Promise<void>;
}

const active = (s: DhcpServiceState) => s.status === 'running' || s.status === 'checking';

export function createDhcpHost(deps: DhcpHostDeps): DhcpHost {
  const create = deps.createService ?? createDhcpService;
  let service: DhcpService | undefined;
  let unsubscribe: (() => void) | undefined;
  let state: DhcpServiceState = { status: 'stopped', mode: deps.settings().dhcp.mode };
  let leases: DhcpLeaseView[] = [];
  /** said after the service's own running message */
  let notes: string[] = [];
  // start, stop and restart run one after the other, so two services never share the ports
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task, task);
    queue = next.catch(() => undefined);
    return next;
  };

  function setState(next: DhcpServiceState): DhcpServiceState {
    state = next;
    deps.onState(next);
    deps.onEvent?.({ type: 'dhcp-state', state: next });
    const line = dhcpStateLog(next, deps.now());
    if (line) deps.log(line);
    return next;
  }

  function fromService(next: DhcpServiceState): void {
    const withNotes =
      next.status === 'running' && notes.length > 0
        ? { ...next, message: [next.message, ...notes].filter(Boolean).join(' ') }
        : next;
    setState(withNotes);
  }

  async function release(): Promise<void> {
    const s = service;
    service = undefined;
    if (!s) return;
    await s.stop();
    unsubscribe?.();
    unsubscribe = undefined;
  }

  async function startNow(): Promise<DhcpServiceState> {
    if (service && active(service.state)) return state;
    await release();
    const app = deps.settings();
    const s = app.dhcp;
    if (s.mode === 'off')
      return setState({
        status: 'stopped',
        mode: 'off',
        message: 'Choose provision or proxy mode first.',
      });
    const invalid = validateDhcpSettings(s);
    if (invalid.length > 0)
      return setState({
        status: 'error',
        mode: s.mode,
        message: 'Not started: the DHCP settings need attention.',
        hint: invalid.join(' '),
      });
    const checked = preflightDhcp(s, deps.interfaces(), app, deps.tftpState());
    if (checked.refusal) return setState({ status: 'error', mode: s.mode, ...checked.refusal });
    notes = checked.notes;

    const options: DhcpServiceOptions = { settings: s, dataDir: deps.dataDir };
    if (deps.ports) {
      options.serverPort = deps.ports.server;
      options.clientPort = deps.ports.client;
      options.proxyPort = deps.ports.proxy;
    }
    if (deps.rivalCheckMs !== undefined) options.rivalCheckMs = deps.rivalCheckMs;
    const created = create(options);
    service = created;
    unsubscribe = created.onEvent((e) => {
      if (service !== created) return;
      if (e.type === 'dhcp-state') return fromService(e.state);
      deps.onEvent?.(e);
      if (e.type === 'dhcp-leases') {
        leases = e.leases;
        deps.onLeases(e.leases);
      } else deps.log(dhcpDecisionLog(e.decision));
    });
    const result = await created.start();
    // a refusal leaves nothing open; the next start makes a new service
    if (result.status !== 'running' && service === created) await release();
    return state;
  }

  async function stopNow(): Promise<DhcpServiceState> {
    if (!service) return state;
    await release();
    if (state.status !== 'stopped') setState({ status: 'stopped', mode: deps.settings().dhcp.mode });
    return state;
  }

  async function restartIfRunning(): Promise<void> {
    if (!service || !active(service.state)) {
      if (state.status === 'stopped' || state.status === 'error')
        state = { ...state, mode: deps.settings().dhcp.mode };
      return;
    }
    await stopNow();
    await startNow();
  }

  return {
    view: () => ({ settings: deps.settings().dhcp, state, leases }),
    async setSettings(raw) {
      const read = readDhcpSettings(raw);
      if (!read.ok) return { ok: false, errors: [read.error] };
      const errors = validateDhcpSettings(read.settings);
      if (errors.length > 0) return { ok: false, errors };
      deps.saveDhcp(read.settings);
      await serial(restartIfRunning);
      return { ok: true, settings: deps.settings().dhcp };
    },
    start: () => serial(startNow),
    stop: () => serial(stopNow),
    settingsChanged: () => serial(restartIfRunning),
    interfacesChanged: (interfaces) =>
      serial(async () => {
        if (!service || !active(service.state)) return;
        const address = deps.settings().dhcp.interfaceAddress;
        const here = interfaces.some((i) =>
          i.addresses.some((a) => a.family === 'IPv4' && a.address === address),
        );
        if (here) return;
        await release();
        setState({
          status: 'stopped',
          mode: deps.settings().dhcp.mode,
          message: `Stopped: this machine no longer has the address ${address}, so replies could go nowhere or to another network.`,
          hint: 'Choose the interface the devices are on, then start again.',
        });
      }),
    dispose: () => serial(release),
  };
}
