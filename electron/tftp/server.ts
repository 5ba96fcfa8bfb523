// The TFTP server: the engine's lifecycle (start, stop, settings, the event stream) around four
// parts with one job each: the listening sockets (listeners.ts), what becomes of each datagram on
// them (request-router.ts), from an admitted request to a running session (session-start.ts), and
// who is being served (session-table.ts). Each transfer runs on its own ephemeral socket (RFC 1350
// section 4: a new TID per transfer), on this thread or a download thread (transfer-runner.ts).
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { EngineEvent, LogLevel, ServerState } from '../../shared/events.js';
import { validateSettings, type EngineSettings } from '../../shared/settings.js';
import { DownloadThreads, defaultThreadCount, defaultThreadScript } from './download-threads.js';
import type { EngineListener, TftpEngine } from './engine.js';
import { Listeners } from './listeners.js';
import { RequestRouter } from './request-router.js';
import { errorState } from './server-errors.js';
import { SessionStarter } from './session-start.js';
import { SessionTable, type HeldRequest } from './session-table.js';
import { SessionTicker } from './session-ticker.js';
import { LocalRunner, type TransferJob, type TransferRunner } from './transfer-runner.js';
import { logEvent, type Session, type TransferHost } from './transfer.js';
import { sweepOrphanUploads } from './upload-file.js';

export interface EngineOptions {
  /** threads (besides the server's own) that run downloads; 0 runs everything on one thread */
  downloadThreads?: number;
  /** a UI shares the machine: the default thread count leaves a core for it */
  withUi?: boolean;
  /** the built download-thread script, when the default (beside this module) is not it */
  threadScript?: URL;
}

export function createTftpEngine(settings: EngineSettings, options: EngineOptions = {}): TftpEngine {
  return new TftpServer(settings, options);
}

export class TftpServer implements TftpEngine, TransferHost {
  private current: ServerState = { state: 'stopped' };
  private currentSettings: EngineSettings;
  private readonly subscribers = new Set<EngineListener>();
  private readonly table = new SessionTable();
  private readonly ticker = new SessionTicker(
    () => this.table.localTransfers(),
    () => this.now(),
  );
  private readonly localRunner = new LocalRunner(this, this.ticker);
  private threads: DownloadThreads | undefined;
  private readonly listeners = new Listeners({
    request: (msg, rinfo, local, listener) => this.router.route(msg, rinfo, local, listener),
    log: (level, message) => this.log(level, message),
    addressesChanged: () => this.setListening(),
    listening: () => this.listening(),
  });
  private readonly router: RequestRouter;

  constructor(
    settings: EngineSettings,
    private readonly options: EngineOptions = {},
  ) {
    this.currentSettings = settings;
    const host = {
      settings: () => this.currentSettings,
      listening: () => this.listening(),
      runnerFor: (job: TransferJob) => this.runnerFor(job),
      emit: (event: EngineEvent) => this.emit(event),
      log: (level: LogLevel, message: string, peer?: string, sessionId?: string) =>
        this.log(level, message, peer, sessionId),
    };
    this.router = new RequestRouter(host, this.table, new SessionStarter(host, this.table));
  }

  get state(): ServerState {
    return this.current;
  }

  get settings(): EngineSettings {
    return this.currentSettings;
  }

  get activeSessions(): number {
    return this.table.activeSessions;
  }

  onEvent(listener: EngineListener): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  updateSettings(settings: EngineSettings): void {
    this.currentSettings = settings;
    this.router.settingsChanged();
  }

  // ---- TransferHost ----
  now(): number {
    return performance.now();
  }

  emit(event: EngineEvent): void {
    for (const l of this.subscribers) {
      try {
        l(event);
      } catch {
        // a subscriber's bug must not break the engine
      }
    }
  }

  log(level: LogLevel, message: string, peer?: string, sessionId?: string): void {
    this.emit(logEvent(level, message, peer, sessionId));
  }

  ended(session: Session): void {
    const held = this.table.ended(session);
    if (held) this.serveLater(held);
    if (this.table.localTransfers().next().done) this.ticker.stop();
  }

  clientStartedOver(session: Session): void {
    this.table.clientStartedOver(session);
  }

  uploadSaved(session: Session): void {
    this.table.uploadSaved(session);
  }

  // ---- lifecycle ----
  async start(): Promise<ServerState> {
    if (this.current.state === 'listening' || this.current.state === 'starting') return this.current;
    this.setState({ state: 'starting' });
    const s = this.currentSettings;
    // Port 0 (any free port) is not offered to users, but tools and tests may ask for it.
    const problems = Object.values(validateSettings(s.port === 0 ? { ...s, port: 69 } : s));
    if (problems.length > 0) return this.fail(errorState('INVALID_SETTINGS', problems.join(' ')));
    try {
      const st = await stat(s.root);
      if (!st.isDirectory()) {
        return this.fail(
          errorState('ROOT_NOT_DIRECTORY', `${s.root} is not a folder.`, 'Choose a folder to serve.'),
        );
      }
    } catch {
      return this.fail(
        errorState(
          'ROOT_MISSING',
          `The folder ${s.root} does not exist.`,
          'Create it, or choose another folder to serve.',
        ),
      );
    }
    const bindError = await this.listeners.open(s.hosts, s.port);
    if (bindError) {
      this.table.dropHeldRequests();
      return this.fail(bindError);
    }
    this.threads = new DownloadThreads(
      this.options.downloadThreads ?? defaultThreadCount(this.options.withUi),
      this.options.threadScript ?? defaultThreadScript(),
      this,
    );
    await this.threads.ready();
    // Stopped while the threads were starting: stop() has closed everything.
    if (this.state.state !== 'starting') return this.state;
    this.setListening();
    this.log('info', `serving ${s.root}; uploads ${s.uploads}`);
    const age = 2 * s.timeout * 1000 * (s.retries + 1);
    void sweepOrphanUploads(s.root, age).then((n) => {
      if (n > 0)
        this.log('info', `removed ${n} unfinished upload file${n === 1 ? '' : 's'} left by an earlier run`);
    });
    return this.current;
  }

  async stop(): Promise<void> {
    if (this.current.state === 'stopped') return;
    this.setState({ state: 'stopping' });
    const aborts = Promise.all(this.table.live().map((t) => t.abort().catch(() => undefined)));
    await Promise.race([aborts, new Promise((r) => setTimeout(r, 2000).unref())]);
    this.listeners.close();
    this.table.dropHeldRequests();
    this.ticker.stop();
    const threads = this.threads;
    this.threads = undefined;
    await threads?.close();
    this.setState({ state: 'stopped' });
  }

  private listening(): boolean {
    return this.current.state === 'listening';
  }

  private setState(state: ServerState): void {
    this.current = state;
    this.emit({ type: 'server', time: Date.now(), server: state });
  }

  private setListening(): void {
    this.setState({
      state: 'listening',
      addresses: this.listeners.addresses(),
      root: this.currentSettings.root,
    });
  }

  private fail(state: ServerState): ServerState {
    this.setState(state);
    if (state.state === 'error')
      this.log('error', state.hint ? `${state.message} ${state.hint}` : state.message);
    return state;
  }

  /** Downloads go to the least busy download thread, unless this thread is less busy still. */
  private runnerFor(job: TransferJob): TransferRunner {
    const thread = job.kind === 'read' ? this.threads?.pick(this.table.localDownloads()) : undefined;
    return thread ?? this.localRunner;
  }

  /**
   * A request that came from a session's port just before the session ended for it (the client
   * started over) is served now, on a later turn (not inside the session's end).
   */
  private serveLater({ msg, rinfo, local, listener }: HeldRequest): void {
    setImmediate(() => {
      if (this.listening() && this.listeners.has(local, listener))
        this.router.route(msg, rinfo, local, listener);
    });
  }
}
