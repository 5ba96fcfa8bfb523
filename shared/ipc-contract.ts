// The one typed contract between the main process (or the headless server) and the renderer.
// Adding a call: add it to TftpInvoke and to INVOKE_METHODS (the check below fails until both
// agree); the type checker then points at the app controller (electron/app/controller.ts), which
// must implement it, and at its argument check (electron/app/invoke-args.ts). The preload and the
// browser bridge build themselves from INVOKE_METHODS. Adding a pushed event: add it to
// EventChannels and EVENT_CHANNELS (checked the same way); the controller emits it, and the IPC
// forwarding, the browser UI server, the preload and the browser bridge carry every listed channel.
import type {
  EngineEvent,
  ServerState,
  SessionStartedEvent,
  SessionFailedEvent,
  SessionFinishedEvent,
  LogEvent,
} from './events.js';
import type { AppSettings, SettingsErrors } from './settings.js';
import type { SetSyslogSettingsResult, SyslogSnapshot } from './syslog-contract.js';
import type { SyslogDroppedEvent, SyslogMessage, SyslogSettings, SyslogState } from './syslog.js';
import type { DhcpLeaseView, DhcpServiceState, DhcpSettings } from './dhcp.js';
import type { DhcpView, SetDhcpSettingsResult } from './dhcp-view.js';
import type {
  ClientFileChoice,
  ClientSnapshot,
  ClientTransferRequest,
  ClientTransferState,
} from './client-contract.js';
import type { ThroughputSeries } from './throughput-series.js';
import type { NameMapProbe, NameMapProbeResult, SetNameMapResult } from './name-map-contract.js';
import type { PreflightReport, PreflightRequest } from './preflight.js';
import type { AddFirewallRuleResult, FirewallNotice } from './firewall.js';

export interface NetAddress {
  address: string;
  family: 'IPv4' | 'IPv6';
  /** prefix length, e.g. 24 */
  prefix: number;
}

export interface NetInterface {
  name: string;
  addresses: NetAddress[];
  internal: boolean;
  /** true when the OS lists at least one address (node:os shows only interfaces that are up) */
  up: boolean;
  /** holds the default route, when that can be told */
  isDefault: boolean;
}

export interface RootFile {
  /** path relative to the root, with forward slashes: what a device asks for */
  name: string;
  size: number;
  modified: number;
}

export interface FileChecksums {
  name: string;
  size: number;
  md5: string;
  sha256: string;
}

export interface LiveSession {
  started: SessionStartedEvent;
  bytes: number;
  rate: number;
  retransmits: number;
  /** throughput over time so far (a window opened mid-transfer charts it from the start) */
  series?: ThroughputSeries;
}

export interface HistoryEntry {
  started: SessionStartedEvent;
  end: SessionFinishedEvent | SessionFailedEvent;
  /** throughput over time, bounded; absent when no byte moved (a refused request) */
  series?: ThroughputSeries;
}

/** What a freshly opened window (or browser tab) needs to draw the current state at once. */
export interface Snapshot {
  server: ServerState;
  settings: AppSettings;
  sessions: LiveSession[];
  history: HistoryEntry[];
  log: LogEvent[];
  interfaces: NetInterface[];
  capabilities: Capabilities;
  /** Windows only: what the firewall probe after the last Start found in the way */
  firewall?: FirewallNotice;
}

export interface Capabilities {
  /** native folder picker, reveal in Finder/Explorer, save dialog (Electron only) */
  nativeDialogs: boolean;
  platform: string;
}

export type UpdateSettingsResult =
  { ok: true; settings: AppSettings } | { ok: false; errors: SettingsErrors };

export type Result<T> = { ok: true; value: T } | { ok: false; message: string };

/** Every call the renderer can make. Each returns a promise on the renderer side. */
export interface TftpInvoke {
  getSnapshot(): Snapshot;
  startServer(): ServerState;
  stopServer(): ServerState;
  updateSettings(patch: Partial<AppSettings>): UpdateSettingsResult;
  /** opens the native folder picker (Electron); resolves to the chosen root or null if cancelled */
  chooseRoot(): string | null;
  /** sets the root to a folder the user dropped or picked from the recent list */
  setRoot(path: string): Result<string>;
  /** opens the root folder in Finder/Explorer (Electron only) */
  openRoot(): Result<null>;
  listFiles(): Result<RootFile[]>;
  checksum(name: string): Result<FileChecksums>;
  listInterfaces(): NetInterface[];
  /** saves the given log text with a save dialog (Electron); resolves to the saved path or null */
  exportLog(text: string): string | null;
  /** the syslog receiver: its state, settings and the newest messages */
  getSyslogSnapshot(): SyslogSnapshot;
  /** saves syslog settings; a listening receiver restarts when its port or address changes */
  setSyslogSettings(patch: Partial<SyslogSettings>): SetSyslogSettingsResult;
  /** starts the receiver and remembers it is wanted (it starts with the app from then on) */
  startSyslog(): SyslogState;
  /** stops the receiver and remembers it is not wanted */
  stopSyslog(): SyslogState;
  /** forgets the kept messages (every window is told) */
  clearSyslog(): null;
  /** the boot services: settings, state and lease table */
  getDhcp(): DhcpView;
  /** checks and saves; a running service restarts with them */
  setDhcpSettings(settings: DhcpSettings): SetDhcpSettingsResult;
  /** resolves once running, or with the reason it is not (state 'error', or 'stopped' when mode is off) */
  startDhcp(): DhcpServiceState;
  stopDhcp(): DhcpServiceState;
  /** the "Send to device" transfer (running or the last one) and the device addresses used lately */
  getClientState(): ClientSnapshot;
  /** starts a push from, or a pull into, the served folder; refused while another one runs */
  startClientTransfer(request: ClientTransferRequest): Result<ClientTransferState>;
  /**
   * opens the desktop's file dialog for a put (a file to send) or a get (where to save); resolves to
   * the chosen path, which startClientTransfer then accepts as its `localPath`, or null (cancelled,
   * or the browser UI, which has no dialog)
   */
  chooseClientFile(choice: ClientFileChoice): string | null;
  /** cancels the running transfer; resolves once it has stopped */
  cancelClientTransfer(): ClientTransferState;
  /** replaces the name mapping rules (lines of the rule syntax, in order); the server uses them at once */
  setNameMap(rules: string[]): SetNameMapResult;
  /** a sample name through the rules and the path check, as a request's name would go */
  testNameMap(probe: NameMapProbe): NameMapProbeResult;
  /** "can the device reach us?": address, port holder, a test request, firewall, allow-list */
  runPreflight(request: PreflightRequest): PreflightReport;
  /** Windows: runs the firewall notice's netsh command elevated (the user is asked), then checks again */
  addFirewallRule(): AddFirewallRuleResult;
}

/** The method names, at run time: the preload and the browser bridge build the bridge from this. */
export const INVOKE_METHODS = [
  'getSnapshot',
  'startServer',
  'stopServer',
  'updateSettings',
  'chooseRoot',
  'setRoot',
  'openRoot',
  'listFiles',
  'checksum',
  'listInterfaces',
  'exportLog',
  'getSyslogSnapshot',
  'setSyslogSettings',
  'startSyslog',
  'stopSyslog',
  'clearSyslog',
  'getDhcp',
  'setDhcpSettings',
  'startDhcp',
  'stopDhcp',
  'getClientState',
  'startClientTransfer',
  'cancelClientTransfer',
  'setNameMap',
  'testNameMap',
  'runPreflight',
  'chooseClientFile',
  'addFirewallRule',
] as const satisfies readonly (keyof TftpInvoke)[];

// A compile-time check that INVOKE_METHODS lists every method of TftpInvoke.
type Missing = Exclude<keyof TftpInvoke, (typeof INVOKE_METHODS)[number]>;
const _everyMethodListed: Missing extends never ? true : Missing = true;
void _everyMethodListed;

/** Pushed from the main process to the renderer. */
export interface EventChannels {
  /** engine events, batched: at most ~10 messages a second whatever the number of sessions */
  events: EngineEvent[];
  interfaces: NetInterface[];
  'syslog-state': SyslogState;
  /** received syslog messages, oldest first, batched like `events` */
  'syslog-messages': SyslogMessage[];
  /** what the receiver dropped (rate limit, allow-list) since its previous summary */
  'syslog-dropped': SyslogDroppedEvent;
  /** the kept messages were cleared */
  'syslog-cleared': null;
  /** the boot services' state, on every change */
  'dhcp-state': DhcpServiceState;
  /** the whole lease table, at most a few times a second */
  'dhcp-leases': DhcpLeaseView[];
  /** the "Send to device" transfer: started, its progress (at most ~10 a second), its outcome */
  'client-transfer': ClientTransferState;
  /** Windows: the firewall stops devices on the listening port (null: it no longer does) */
  firewall: FirewallNotice | null;
}

export type EventChannel = keyof EventChannels;

/** The channel names, at run time: every place that carries pushes iterates this list. */
export const EVENT_CHANNELS = [
  'events',
  'interfaces',
  'syslog-state',
  'syslog-messages',
  'syslog-dropped',
  'syslog-cleared',
  'dhcp-state',
  'dhcp-leases',
  'client-transfer',
  'firewall',
] as const satisfies readonly EventChannel[];

// A compile-time check that EVENT_CHANNELS lists every channel of EventChannels.
type MissingChannel = Exclude<EventChannel, (typeof EVENT_CHANNELS)[number]>;
const _everyChannelListed: MissingChannel extends never ? true : MissingChannel = true;
void _everyChannelListed;

export function isEventChannel(name: unknown): name is EventChannel {
  return typeof name === 'string' && (EVENT_CHANNELS as readonly string[]).includes(name);
}

export type InvokeChannel = `tftp:${keyof TftpInvoke}`;
export const invokeChannel = (method: keyof TftpInvoke): InvokeChannel => `tftp:${method}`;
export const eventChannel = (name: EventChannel): string => `tftp-event:${name}`;

type Promised<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;

/** What the preload exposes as `window.tftp`, and what the browser bridge implements. */
export type TftpBridge = { [K in keyof TftpInvoke]: Promised<TftpInvoke[K]> } & {
  on<K extends keyof EventChannels>(channel: K, listener: (payload: EventChannels[K]) => void): () => void;
  /** Electron only: the filesystem path of a file or folder dropped on the window ('' when unknown). */
  pathForFile?(file: File): string;
};
