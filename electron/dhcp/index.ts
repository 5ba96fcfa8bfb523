// The DHCP service's front door: what the CLI, the desktop app and the tests use. Everything else
// in electron/dhcp/ is an implementation detail. It composes the pure core (codec, lease table,
// responder) with the lease file, the check for another DHCP server, the sockets, the timers and
// the event stream; RFC 2131 lives in the core and in server.ts.
//
// Lifecycle: stopped -> (provision: checking) -> running -> stopped, or -> error with a message
// and a hint. start() never rejects. Proxy mode skips the check: it is meant to run beside a DHCP
// server.
import type {
  DhcpDecision,
  DhcpEvent,
  DhcpLeaseView,
  DhcpServiceState,
  DhcpSettings,
} from '../../shared/dhcp.js';
import { validateDhcpSettings } from '../../shared/dhcp.js';
import { DecisionLimiter, type SuppressedSummary } from './decision-limit.js';
import { LeaseFile, type LeaseFileNote } from './lease-file.js';
import { LeaseTable } from './leases.js';
import { createResponder, type Clock, type Responder } from './responder.js';
import { checkForRivals, type Rival } from './rival-check.js';
import { openDhcpServer, type DhcpServer } from './server.js';

export type { Clock } from './responder.js';
export { LEASE_FILE_NAME } from './lease-file.js';

export interface DhcpServiceOptions {
  settings: DhcpSettings;
  /** the lease file lives here */
  dataDir: string;
  clock?: Clock;
  serverPort?: number;
  clientPort?: number;
  proxyPort?: number;
  /** how long to listen for another DHCP server before provision mode starts */
  rivalCheckMs?: number;
}

export interface DhcpService {
  readonly state: DhcpServiceState;
  /** Resolves with 'running', 'stopped' (mode off, or stopped meanwhile) or 'error'; never rejects. */
  start(): Promise<DhcpServiceState>;
  /** Closes every socket and timer; leases are already on disk. */
  stop(): Promise<void>;
  /** Subscribes to the event stream; returns the unsubscribe function. */
  onEvent(listener: (event: DhcpEvent) => void): () => void;
  leases(): DhcpLeaseView[];
}

export function createDhcpService(options: DhcpServiceOptions): DhcpService {
  return new Service(options);
}

const TICK_MS = 1000;
/** lease events are coalesced: at most one per this interval */
const LEASES_EVENT_MS = 200;

class Service implements DhcpService {
  private current: DhcpServiceState;
  private readonly listeners = new Set<(event: DhcpEvent) => void>();
  private readonly clock: Clock;
  private responder: Responder | undefined;
  private server: DhcpServer | undefined;
  private starting: Promise<DhcpServiceState> | undefined;
  private checkAbort: AbortController | undefined;
  private readonly timers = new Set<NodeJS.Timeout>();
  private leasesTimer: NodeJS.Timeout | undefined;
  private limiter = new DecisionLimiter();
  private runningMessage = '';
  private sendErrorSaid = false;
  private generation = 0;

  constructor(private readonly options: DhcpServiceOptions) {
    this.clock = options.clock ?? { now: () => Date.now() };
    this.current = { status: 'stopped', mode: options.settings.mode };
  }

  get state(): DhcpServiceState {
    return this.current;
  }

  onEvent(listener: (event: DhcpEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  leases(): DhcpLeaseView[] {
    return this.responder?.leases() ?? [];
  }

  start(): Promise<DhcpServiceState> {
    if (this.starting) return this.starting;
    if (this.current.status === 'running') return Promise.resolve(this.current);
    this.starting = this.run().finally(() => (this.starting = undefined));
    return this.starting;
  }

  async stop(): Promise<void> {
    this.generation++;
    this.checkAbort?.abort();
    await this.starting?.catch(() => undefined);
    await this.shutDown({ status: 'stopped', mode: this.options.settings.mode });
  }

  private async run(): Promise<DhcpServiceState> {
    const generation = ++this.generation;
    const s = this.options.settings;
    if (s.mode === 'off') return this.setState({ status: 'stopped', mode: 'off', message: 'DHCP is off.' });
    const invalid = validateDhcpSettings(s);
    if (invalid.length > 0) {
      return this.setState({
        status: 'error',
        mode: s.mode,
        message: 'The DHCP settings need attention.',
        hint: invalid.join(' '),
      });
    }
    const notes: string[] = [];
    const store = new LeaseFile(this.options.dataDir, (note) => this.leaseFileNote(note, notes));
    const table = new LeaseTable({ start: s.rangeStart, end: s.rangeEnd }, s.reservations, store, this.clock);
    const responder = createResponder(s, table, this.clock);

    let rival: Rival | undefined;
    if (s.mode === 'provision') {
      const seconds = Math.round(this.rivalCheckMs / 100) / 10;
      this.setState({
        status: 'checking',
        mode: s.mode,
        message: `Checking for another DHCP server on ${s.interfaceAddress}'s network (${seconds} s)...`,
      });
      this.checkAbort = new AbortController();
      const check = await checkForRivals({
        interfaceAddress: s.interfaceAddress,
        clientPort: this.options.clientPort ?? 68,
        serverPort: this.options.serverPort ?? 67,
        durationMs: this.rivalCheckMs,
        signal: this.checkAbort.signal,
      });
      this.checkAbort = undefined;
      if (generation !== this.generation) return this.current; // stopped meanwhile
      if (!check.ok) {
        if (!s.force) return this.setState({ status: 'error', mode: s.mode, ...check.problem });
        notes.push(
          `The check for another DHCP server could not run (${check.problem.message}); started anyway, as forced.`,
        );
      } else if (check.rivals.length > 0) {
        rival = check.rivals[0] as Rival;
        const named = check.rivals.map((r) => `${r.address} (offered ${r.offered})`).join(', ');
        if (!s.force) {
          return this.setState({
            status: 'error',
            mode: s.mode,
            message: `Another DHCP server answers on this network: ${named}. Not started, so clients do not get two conflicting answers.`,
            hint: 'Use proxy mode to hand out boot files beside that server, stop that server, or turn on "start anyway" (force) if you are sure.',
            rival: { address: rival.address, offered: rival.offered },
          });
        }
        notes.push(`Started although another DHCP server answers on this network (forced): ${named}.`);
      }
    }

    const opened = await openDhcpServer({
      mode: s.mode,
      interfaceAddress: s.interfaceAddress,
      prefixLength: s.prefixLength,
      serverPort: this.options.serverPort ?? 67,
      proxyPort: this.options.proxyPort ?? 4011,
      responder,
      now: () => this.clock.now(),
      onDecision: (d) => this.decision(d),
      onSendError: (err, to) => this.sendError(err, to),
    });
    if (generation !== this.generation) {
      if (opened.ok) await opened.server.close();
      return this.current;
    }
    if (!opened.ok) return this.setState({ status: 'error', mode: s.mode, ...opened.problem });

    this.server = opened.server;
    this.responder = responder;
    this.limiter = new DecisionLimiter();
    this.sendErrorSaid = false;
    this.startTimers();
    this.runningMessage = [this.describe(), ...notes].join(' ');
    const running: DhcpServiceState = { status: 'running', mode: s.mode, message: this.runningMessage };
    if (rival) running.rival = { address: rival.address, offered: rival.offered };
    this.setState(running);
    this.emit({ type: 'dhcp-leases', leases: responder.leases() });
    return this.current;
  }

  private get rivalCheckMs(): number {
    return this.options.rivalCheckMs ?? 3000;
  }

  private describe(): string {
    const s = this.options.settings;
    const what =
      s.mode === 'proxy'
        ? `Proxy DHCP: boot files for PXE clients on ${s.interfaceAddress}/${s.prefixLength}, beside the network's own DHCP server.`
        : `Handing out ${s.rangeStart} - ${s.rangeEnd} on ${s.interfaceAddress}/${s.prefixLength}.`;
    const stopAfter = s.stopAfterMinutes
      ? ` Stops by itself after ${s.stopAfterMinutes} minute${s.stopAfterMinutes === 1 ? '' : 's'}.`
      : '';
    return what + stopAfter;
  }

  private startTimers(): void {
    const tick = setInterval(() => this.tick(), TICK_MS);
    tick.unref();
    this.timers.add(tick);
    const minutes = this.options.settings.stopAfterMinutes;
    if (minutes !== undefined && minutes > 0) {
      const auto = setTimeout(() => void this.autoStop(minutes), minutes * 60_000);
      auto.unref();
      this.timers.add(auto);
    }
  }

  private tick(): void {
    if (this.responder?.tick()) this.leasesChanged();
    const summary = this.limiter.summaryDue(this.clock.now());
    if (summary) this.emitSummary(summary);
  }

  private async autoStop(minutes: number): Promise<void> {
    this.generation++;
    await this.shutDown({
      status: 'stopped',
      mode: this.options.settings.mode,
      message: `Stopped by itself after ${minutes} minute${minutes === 1 ? '' : 's'}, as set.`,
    });
  }

  private async shutDown(final: DhcpServiceState): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    if (this.leasesTimer) clearTimeout(this.leasesTimer);
    this.leasesTimer = undefined;
    const server = this.server;
    this.server = undefined;
    await server?.close();
    const summary = this.limiter.takeSummary(this.clock.now());
    if (summary) this.emitSummary(summary);
    const already = this.current.status === 'stopped' && final.message === undefined;
    if (!already) this.setState(final);
  }

  private decision(d: DhcpDecision): void {
    if (d.outcome !== 'ignored' && d.outcome !== 'informed') this.leasesChanged();
    if (this.limiter.admit(d.mac, this.clock.now())) this.emit({ type: 'dhcp-decision', decision: d });
  }

  private emitSummary(summary: SuppressedSummary): void {
    const clients = `${summary.macs}${summary.macsCapped ? ' or more' : ''} client${summary.macs === 1 ? '' : 's'}`;
    const seconds = Math.max(1, Math.round((summary.to - summary.from) / 1000));
    this.emit({
      type: 'dhcp-decision',
      decision: {
        at: summary.to,
        mac: '',
        xid: 0,
        kind: 'SUMMARY',
        outcome: 'ignored',
        reason: `${summary.suppressed} more decision${summary.suppressed === 1 ? '' : 's'} (from ${clients}, over ${seconds} s) not shown: too many requests at once. Every request was still answered or ignored as usual.`,
        via: this.options.settings.mode === 'proxy' ? 'proxy-67' : 'dhcp',
      },
    });
  }

  /** Lease events are coalesced, so a flood of requests makes a few of them, not one per request. */
  private leasesChanged(): void {
    if (this.leasesTimer) return;
    this.leasesTimer = setTimeout(() => {
      this.leasesTimer = undefined;
      if (this.responder && this.server) this.emit({ type: 'dhcp-leases', leases: this.responder.leases() });
    }, LEASES_EVENT_MS);
    this.leasesTimer.unref();
  }

  private leaseFileNote(note: LeaseFileNote, atStart: string[]): void {
    if (this.current.status !== 'running') {
      atStart.push(note.message);
      return;
    }
    this.setState({ ...this.current, message: `${this.runningMessage} ${note.message}` });
  }

  private sendError(err: Error, to: { address: string; port: number }): void {
    if (this.sendErrorSaid || this.current.status !== 'running') return;
    this.sendErrorSaid = true;
    const code = (err as NodeJS.ErrnoException).code ?? err.message;
    this.setState({
      ...this.current,
      message: `${this.runningMessage} A reply to ${to.address}:${to.port} could not be sent (${code}): is the interface still up?`,
    });
  }

  private setState(state: DhcpServiceState): DhcpServiceState {
    this.current = state;
    this.emit({ type: 'dhcp-state', state });
    return state;
  }

  private emit(event: DhcpEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // a listener's failure is its own; the service carries on
      }
    }
  }
}
