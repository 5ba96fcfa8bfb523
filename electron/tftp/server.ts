// The TFTP server: listening sockets, request demultiplexing, limits and policy; one Transfer per
// session on its own ephemeral socket (RFC 1350 section 4: a new TID per transfer), answering from
// the local address the request arrived on. Downloads run on download threads when there are
// spare cores (download-threads.ts); uploads, admission and policy stay here. Emits the event
// stream (shared/events.ts).
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import {
  failedSessionEvent,
  type EngineEvent,
  type ListenAddress,
  type LogLevel,
  type ServerState,
} from '../../shared/events.js';
import { validateSettings, type EngineSettings } from '../../shared/settings.js';
import { TftpErrorCode, type NameSuggestion } from '../../shared/tftp-types.js';
import { admitRequest, type Admission } from './admission.js';
import { AllowList } from './allow-list.js';
import { DownloadThreads, defaultThreadCount, defaultThreadScript } from './download-threads.js';
import type { EngineListener, TftpEngine } from './engine.js';
import { familyOf, localAddresses, type LocalAddress } from './local-addresses.js';
import { decodePacket, encodeError, type RequestPacket } from './packet.js';
import { LogThrottle, RequestRateLimiter } from './rate-limit.js';
import { describeRequest, describeSuggestions, inspectRequest } from './request-inspection.js';
import { NameSuggester } from './served-files.js';
import { bindErrorState, errorState } from './server-errors.js';
import { SessionTicker } from './session-ticker.js';
import type { DownloadRequest } from './thread-messages.js';
import { ReadTransfer } from './transfer-read.js';
import { WriteTransfer } from './transfer-write.js';
import { logEvent, peerLabel, type Peer, type Session, Transfer, type TransferHost } from './transfer.js';
import { openTransferSocket } from './transfer-socket.js';
import { abortUpload, sweepOrphanUploads } from './upload-file.js';

const INTERFACE_POLL_MS = 3000;

interface Listener {
  socket: Socket;
  local: LocalAddress;
}

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

/** A request that arrived from the port of a live session. */
interface HeldRequest {
  msg: Buffer;
  rinfo: RemoteInfo;
  local: LocalAddress;
  listener: Socket;
  /** Date.now() when it arrived */
  at: number;
  /** the session ends for it: serve it then */
  serve: boolean;
}

/** A held request is served only if its session ends this soon after it (it ended because of it). */
const HELD_REQUEST_MS = 1000;

export class TftpServer implements TftpEngine, TransferHost {
  private current: ServerState = { state: 'stopped' };
  private readonly listeners = new Map<string, Listener>();
  /** by peer "address|port": a reservation while the request is being admitted, then the transfer */
  private readonly sessions = new Map<string, Session | 'pending'>();
  /** by peer: the request that made the live session (or its reservation) */
  private readonly firstRequests = new Map<string, Buffer>();
  /** by peer: the last request that came from a live session's port (served if that session ends for it) */
  private readonly requestsOnLivePorts = new Map<string, HeldRequest>();
  private readonly perClient = new Map<string, number>();
  private readonly uploadLocks = new Map<Session, string>();
  private readonly uploadsInFlight = new Set<string>();
  private readonly subscribers = new Set<EngineListener>();
  private allow: AllowList;
  private limiter: RequestRateLimiter;
  private readonly throttle = new LogThrottle();
  private readonly suggester = new NameSuggester();
  private readonly ticker = new SessionTicker(
    () => this.localSessions(),
    () => this.now(),
  );
  private interfacePoll: NodeJS.Timeout | undefined;
  private threads: DownloadThreads | undefined;
  private nextId = 1;
  private currentSettings: EngineSettings;

  constructor(
    settings: EngineSettings,
    private readonly options: EngineOptions = {},
  ) {
    this.currentSettings = settings;
    this.allow = new AllowList(settings.allow);
    this.limiter = new RequestRateLimiter(settings.maxRequestsPerSecond);
  }

  get state(): ServerState {
    return this.current;
  }

  get settings(): EngineSettings {
    return this.currentSettings;
  }

  get activeSessions(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s !== 'pending') n++;
    return n;
  }

  onEvent(listener: EngineListener): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  updateSettings(settings: EngineSettings): void {
    this.currentSettings = settings;
    this.allow = new AllowList(settings.allow);
    this.limiter = new RequestRateLimiter(settings.maxRequestsPerSecond);
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

  ended(t: Session): void {
    const key = `${t.peer.address}|${t.peer.port}`;
    if (this.sessions.get(key) === t) {
      this.sessions.delete(key);
      this.firstRequests.delete(key);
    }
    this.serveRequestHeldFor(key);
    this.releaseClient(t.peer.address);
    this.uploadSaved(t);
    if (this.localSessions().next().done) this.ticker.stop();
  }

  clientStartedOver(t: Session): void {
    const held = this.requestsOnLivePorts.get(`${t.peer.address}|${t.peer.port}`);
    if (held !== undefined) held.serve = true;
  }

  uploadSaved(t: Session): void {
    const lock = this.uploadLocks.get(t);
    if (lock !== undefined) {
      this.uploadLocks.delete(t);
      this.uploadsInFlight.delete(lock);
    }
  }

  private setState(state: ServerState): void {
    this.current = state;
    this.emit({ type: 'server', time: Date.now(), server: state });
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
    const explicit = s.hosts.length > 0;
    const wanted: LocalAddress[] = explicit
      ? s.hosts.map((h) => ({ address: h, family: familyOf(h), interface: '' }))
      : localAddresses();
    let firstError: ServerState | undefined;
    for (const local of wanted) {
      const err = await this.listenOn(local);
      if (err && !firstError) firstError = err;
      if (err && explicit) break;
    }
    if (firstError && (explicit || this.listeners.size === 0)) {
      this.closeListeners();
      return this.fail(firstError);
    }
    if (!explicit) this.interfacePoll = setInterval(() => void this.syncInterfaces(), INTERFACE_POLL_MS);
    this.interfacePoll?.unref();
    this.threads = new DownloadThreads(
      this.options.downloadThreads ?? defaultThreadCount(this.options.withUi),
      this.options.threadScript ?? defaultThreadScript(),
      this,
    );
    await this.threads.ready();
    // Stopped while the threads were starting: stop() has closed everything.
    if (this.state.state !== 'starting') return this.state;
    this.setState({ state: 'listening', addresses: this.listenAddresses(), root: s.root });
    this.log('info', `serving ${s.root}; uploads ${s.uploads}`);
    const age = 2 * s.timeout * 1000 * (s.retries + 1);
    void sweepOrphanUploads(s.root, age).then((n) => {
      if (n > 0)
        this.log('info', `removed ${n} unfinished upload file${n === 1 ? '' : 's'} left by an earlier run`);
    });
    return this.current;
  }

  private fail(state: ServerState): ServerState {
    this.setState(state);
    if (state.state === 'error')
      this.log('error', state.hint ? `${state.message} ${state.hint}` : state.message);
    return state;
  }

  async stop(): Promise<void> {
    if (this.current.state === 'stopped') return;
    this.setState({ state: 'stopping' });
    if (this.interfacePoll) clearInterval(this.interfacePoll);
    this.interfacePoll = undefined;
    const live = [...this.sessions.values()].filter((t): t is Session => t !== 'pending');
    const aborts = Promise.all(live.map((t) => t.abort().catch(() => undefined)));
    await Promise.race([aborts, new Promise((r) => setTimeout(r, 2000).unref())]);
    this.closeListeners();
    this.ticker.stop();
    const threads = this.threads;
    this.threads = undefined;
    await threads?.close();
    this.setState({ state: 'stopped' });
  }

  private listenAddresses(): ListenAddress[] {
    return [...this.listeners.values()].map(({ socket, local }) => {
      const a: ListenAddress = { address: local.address, port: socket.address().port, family: local.family };
      if (local.interface) a.interface = local.interface;
      return a;
    });
  }

  /**
   * The session of `key` has ended: a request that came from its port just before (the client
   * started over) is served now, on a later turn (not inside the session's end).
   */
  private serveRequestHeldFor(key: string): void {
    const held = this.requestsOnLivePorts.get(key);
    if (held === undefined) return;
    this.requestsOnLivePorts.delete(key);
    if (!held.serve || Date.now() - held.at > HELD_REQUEST_MS) return;
    setImmediate(() => {
      if (
        this.current.state !== 'listening' ||
        this.listeners.get(held.local.address)?.socket !== held.listener
      )
        return;
      this.onRequest(held.msg, held.rinfo, held.local, held.listener);
    });
  }

  private closeListeners(): void {
    this.requestsOnLivePorts.clear();
    for (const { socket } of this.listeners.values()) {
      try {
        socket.close();
      } catch {
        // already closed
      }
    }
    this.listeners.clear();
  }

  /** Binds one listening socket; resolves with an error state on failure. */
  private listenOn(local: LocalAddress): Promise<ServerState | undefined> {
    const port = this.currentSettings.port;
    return new Promise((resolve) => {
      const socket = createSocket({
        type: local.family === 'IPv6' ? 'udp6' : 'udp4',
        ipv6Only: local.family === 'IPv6',
      });
      const onBindError = (err: NodeJS.ErrnoException) => {
        try {
          socket.close();
        } catch {
          // never bound
        }
        resolve(bindErrorState(err, local.address, port));
      };
      socket.once('error', onBindError);
      socket.bind({ address: local.address, port, exclusive: true }, () => {
        socket.off('error', onBindError);
        socket.on('error', (err: NodeJS.ErrnoException) => this.listenerError(local, err));
        socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => this.onRequest(msg, rinfo, local, socket));
        this.listeners.set(local.address, { socket, local });
        resolve(undefined);
      });
    });
  }

  private listenerError(local: LocalAddress, err: NodeJS.ErrnoException): void {
    this.log('warn', `listening socket on ${local.address}: ${err.code ?? 'error'}`);
  }

  /** Keeps "all interfaces" in step with the machine: an adapter plugged in after Start works. */
  private async syncInterfaces(): Promise<void> {
    if (this.current.state !== 'listening') return;
    const now = localAddresses();
    const wanted = new Set(now.map((a) => a.address));
    let changed = false;
    for (const [address, l] of this.listeners) {
      if (!wanted.has(address)) {
        try {
          l.socket.close();
        } catch {
          // gone already
        }
        this.listeners.delete(address);
        this.log('info', `stopped listening on ${address} (address removed)`);
        changed = true;
      }
    }
    for (const local of now) {
      if (this.listeners.has(local.address)) continue;
      const err = await this.listenOn(local);
      if (this.current.state !== 'listening') {
        this.closeListeners();
        return;
      }
      if (!err) {
        this.log('info', `now listening on ${local.address} (${local.interface})`);
        changed = true;
      }
    }
    if (changed) {
      this.setState({
        state: 'listening',
        addresses: this.listenAddresses(),
        root: this.currentSettings.root,
      });
    }
  }

  // ---- requests ----
  private onRequest(msg: Buffer, rinfo: RemoteInfo, local: LocalAddress, listener: Socket): void {
    const from = `${rinfo.address}:${rinfo.port}`;
    const nowMs = Date.now();
    if (!this.allow.allows(rinfo.address)) {
      this.throttledLog(
        `deny|${rinfo.address}`,
        'warn',
        'request from an address outside the allow-list dropped',
        from,
        nowMs,
      );
      return;
    }
    const p = decodePacket(msg);
    if (p.kind === 'invalid') {
      if (p.reply && this.limiter.take(rinfo.address, nowMs)) {
        this.reply(listener, rinfo, p.reply.code, p.reply.message);
        this.throttledLog(
          `bad|${rinfo.address}`,
          'warn',
          `malformed request refused: ${p.reason}`,
          from,
          nowMs,
        );
      } else {
        this.throttledLog(`drop|${rinfo.address}`, 'debug', `packet dropped: ${p.reason}`, from, nowMs);
      }
      return;
    }
    if (p.kind !== 'rrq' && p.kind !== 'wrq') {
      // DATA/ACK/ERROR/OACK to the listening port: nothing to answer (A3, E8).
      this.throttledLog(
        `stray|${rinfo.address}`,
        'debug',
        `${p.kind.toUpperCase()} sent to the listening port dropped`,
        from,
        nowMs,
      );
      return;
    }
    if (!this.limiter.take(rinfo.address, nowMs)) {
      this.throttledLog(`rate|${rinfo.address}`, 'warn', 'request rate limit exceeded: dropped', from, nowMs);
      return;
    }
    const key = `${rinfo.address}|${rinfo.port}`;
    const live = this.sessions.get(key);
    if (live !== undefined) {
      // A request from the port of a live session (D12): never a second session beside it. A
      // client that has not heard from us repeats its request byte for byte (our answer was lost):
      // the session answers it again. When the old client is gone instead (a download that never
      // heard from it gets another request, or its client went silent; an upload only dallies),
      // the session ends quietly and the request is served once it has.
      if (live !== 'pending') {
        this.requestsOnLivePorts.set(key, { msg, rinfo, local, listener, at: nowMs, serve: false });
        live.requestRepeated(p.kind, this.firstRequests.get(key)?.equals(msg) === true);
      }
      return;
    }
    const s = this.currentSettings;
    if (this.sessions.size >= s.maxSessions) {
      this.reply(listener, rinfo, TftpErrorCode.NotDefined, 'Server busy, try again later');
      this.throttledLog('busy', 'warn', 'concurrent session limit reached: request refused', from, nowMs);
      return;
    }
    if ((this.perClient.get(rinfo.address) ?? 0) >= s.maxSessionsPerClient) {
      this.reply(listener, rinfo, TftpErrorCode.NotDefined, 'Too many transfers from your address');
      this.throttledLog(
        `busy|${rinfo.address}`,
        'warn',
        'per-client session limit reached: request refused',
        from,
        nowMs,
      );
      return;
    }
    this.sessions.set(key, 'pending');
    this.firstRequests.set(key, msg);
    this.perClient.set(rinfo.address, (this.perClient.get(rinfo.address) ?? 0) + 1);
    const peer: Peer = {
      address: rinfo.address,
      port: rinfo.port,
      family: rinfo.family === 'IPv6' ? 'IPv6' : 'IPv4',
    };
    void this.admit(p, peer, local, listener, key, msg);
  }

  private async admit(
    req: RequestPacket,
    peer: Peer,
    local: LocalAddress,
    listener: Socket,
    key: string,
    datagram: Buffer,
  ): Promise<void> {
    const id = `${Date.now().toString(36)}-${this.nextId++}`;
    // The request as sent, its client, and the name the mapping rules give it (request-inspection.ts).
    const seen = inspectRequest(datagram, req, peer.address, this.currentSettings.nameMap);
    let admission: Admission;
    try {
      admission = await admitRequest(seen.lookup, this.currentSettings, this.uploadsInFlight);
    } catch {
      admission = {
        ok: false,
        code: TftpErrorCode.NotDefined,
        clientMessage: 'Server error',
        reason: 'internal error',
      };
    }
    const direction = req.kind === 'rrq' ? 'download' : 'upload';
    const mode = req.mode === 'netascii' ? 'netascii' : 'octet';
    // One way out for every refusal: ERROR to the client, a started + failed pair for the UI.
    const refuse = (code: TftpErrorCode, clientMessage: string, reason: string): void => {
      this.sessions.delete(key);
      this.firstRequests.delete(key);
      this.releaseClient(peer.address);
      this.reply(listener, peer, code, clientMessage);
      const tell = (suggestions?: NameSuggestion[]): void => {
        const time = Date.now();
        this.emit({
          type: 'session-started',
          time,
          id,
          peer: peerLabel(peer),
          file: req.filename,
          direction,
          mode,
          options: { blksize: 512, windowsize: 1, timeout: this.currentSettings.timeout },
          request: seen.request,
        });
        const failed = failedSessionEvent({ time, id, code, message: clientMessage });
        this.emit(suggestions ? { ...failed, suggestions } : failed);
        const why = `${req.kind.toUpperCase()} refused: ${reason} (ERROR ${code})`;
        this.log(
          'warn',
          `${why}: ${describeRequest(seen.request)}${describeSuggestions(suggestions)}`,
          peerLabel(peer),
          id,
        );
      };
      // Not found: the ERROR is already on its way; look for what the device meant (bounded, rate-limited).
      if (code !== TftpErrorCode.FileNotFound) tell();
      else
        void this.suggester
          .suggest(this.currentSettings.root, seen.lookup.filename, Date.now())
          .then(tell, () => tell());
    };
    if (!admission.ok) {
      refuse(admission.code, admission.clientMessage, admission.reason);
      return;
    }
    if (this.current.state !== 'listening') {
      await this.undoAdmission(admission);
      refuse(TftpErrorCode.NotDefined, 'Server shutting down', 'server stopping');
      return;
    }
    const n = admission.negotiated;
    const s = this.currentSettings;
    const common = {
      blksize: n.blksize,
      windowsize: n.windowsize,
      timeoutMs: n.timeout * 1000,
      retries: s.retries,
      oack: n.oack,
      netascii: admission.netascii,
    };
    const announce = (session: Session): void => {
      this.sessions.set(key, session);
      const options = {
        blksize: n.blksize,
        windowsize: n.windowsize,
        timeout: n.timeout,
        ...(n.tsize !== undefined ? { tsize: n.tsize } : {}),
      };
      const size = admission.kind === 'read' ? (admission.netascii ? undefined : admission.size) : n.tsize;
      this.emit({
        type: 'session-started',
        time: Date.now(),
        id,
        peer: peerLabel(peer),
        file: admission.relative,
        direction,
        mode,
        options,
        ...(size !== undefined ? { size } : {}),
        request: seen.request,
      });
      this.log(
        'info',
        `${direction} of ${admission.relative} started (${mode}, blksize ${n.blksize}, window ${n.windowsize}): ${describeRequest(seen.request)}`,
        peerLabel(peer),
        id,
      );
    };
    const noPort = (code: string): void => {
      this.log('error', `no transfer port available: ${code}`, peerLabel(peer), id);
      refuse(TftpErrorCode.NotDefined, 'Server busy, try again later', 'no transfer port');
    };
    if (admission.kind === 'read') {
      const thread = this.threads?.pick(this.localDownloads());
      if (thread) {
        const request: DownloadRequest = {
          id,
          peer,
          local,
          portRange: s.portRange,
          cfg: { ...common, size: admission.size },
        };
        thread.launch(request, admission.handle, {
          started: (session) => {
            announce(session);
            this.log('debug', `runs on download thread ${thread.index}`, peerLabel(peer), id);
            // Stopped while the thread was binding: end it like every other session.
            if (this.current.state !== 'listening') void session.abort();
          },
          noPort,
          cancelled: () => refuse(TftpErrorCode.NotDefined, 'Server shutting down', 'server stopping'),
        });
        return;
      }
    }
    let socket: Socket;
    try {
      socket = await openTransferSocket(local, s.portRange, n.windowsize > 1);
    } catch (err) {
      await this.undoAdmission(admission);
      noPort((err as NodeJS.ErrnoException).code ?? 'error');
      return;
    }
    let transfer: ReadTransfer | WriteTransfer;
    if (admission.kind === 'read') {
      transfer = new ReadTransfer(this, socket, peer, id, admission.handle, {
        ...common,
        size: admission.size,
      });
    } else {
      transfer = new WriteTransfer(this, socket, peer, id, admission.upload, {
        ...common,
        maxBytes: s.maxUploadBytes,
        policy: admission.policy,
      });
      this.uploadLocks.set(transfer, admission.lockKey);
    }
    announce(transfer);
    this.ticker.start();
    transfer.begin();
  }

  private async undoAdmission(a: Exclude<Admission, { ok: false }>): Promise<void> {
    if (a.kind === 'read') await a.handle.close().catch(() => undefined);
    else {
      this.uploadsInFlight.delete(a.lockKey);
      await abortUpload(a.upload);
    }
  }

  private releaseClient(address: string): void {
    const n = (this.perClient.get(address) ?? 1) - 1;
    if (n <= 0) this.perClient.delete(address);
    else this.perClient.set(address, n);
  }

  private reply(
    socket: Socket,
    to: { address: string; port: number },
    code: TftpErrorCode,
    message: string,
  ): void {
    const buf = encodeError(code, message);
    try {
      socket.send(buf, 0, buf.length, to.port, to.address);
    } catch {
      // listener closed meanwhile
    }
  }

  private throttledLog(key: string, level: LogLevel, message: string, peer: string, nowMs: number): void {
    const held = this.throttle.admit(key, nowMs);
    if (held === undefined) return;
    this.log(level, held > 0 ? `${message} (${held} similar not shown)` : message, peer);
  }

  /** Sessions whose timers run on this thread. */
  private *localSessions(): Generator<Transfer> {
    for (const t of this.sessions.values()) if (t instanceof Transfer) yield t;
  }

  private localDownloads(): number {
    let n = 0;
    for (const t of this.sessions.values()) if (t instanceof ReadTransfer) n++;
    return n;
  }
}
