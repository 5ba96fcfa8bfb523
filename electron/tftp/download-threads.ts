// The server's side of the download threads: starts them, places each new download on the least
// busy one, and stands in for the transfers that run there (RemoteDownload). A thread that cannot
// start (no script, a packaged app that cannot load it) is simply never used: downloads then run
// on the server's own thread, as they do with `threads: 0`.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { failedSessionEvent } from '../../shared/events.js';
import { TftpErrorCode } from '../../shared/tftp-types.js';
import type { FromThread, ToThread } from './thread-messages.js';
import type { DownloadJob, LaunchCallbacks, TransferRunner } from './transfer-runner.js';
import { peerLabel, type Peer, type Session, type TransferHost } from './transfer.js';

/** The bundled thread script's file name (see package.json build:engine). */
export const THREAD_BUNDLE = 'download-thread.bundle.mjs';

/**
 * One thread per spare core, at most three (past that, clients are the limit). With a window to
 * keep smooth (the desktop app, `serve --ui`) one more core is left to it: on a two-core laptop the
 * transfers then share one thread, and the UI does not stutter under a hundred clients.
 */
export function defaultThreadCount(withUi = false): number {
  return Math.max(0, Math.min(3, availableParallelism() - (withUi ? 2 : 1)));
}

/**
 * The thread script, bundled into one file beside this module by `npm run build:engine`; absent
 * when the engine runs from its .ts source.
 */
export function defaultThreadScript(): URL | undefined {
  const url = new URL(`./${THREAD_BUNDLE}`, import.meta.url);
  // A packaged app keeps this one file outside the asar archive (electron-builder asarUnpack),
  // where a worker can load it; everything else stays in the integrity-checked archive.
  const path = fileURLToPath(url).replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
  return existsSync(path) ? pathToFileURL(path) : undefined;
}

class RemoteDownload implements Session {
  private stopping: Promise<void> | undefined;
  private resolveStopped: (() => void) | undefined;
  /** last reported bytes, for the failure record should the thread die */
  bytes = 0;
  /** its end record has passed: the server no longer counts it (the thread may still log) */
  released = false;
  readonly startedAt = Date.now();

  constructor(
    readonly peer: Peer,
    readonly id: string,
    private readonly thread: DownloadThread,
  ) {}

  abort(): Promise<void> {
    if (!this.stopping) {
      this.stopping = new Promise((resolve) => (this.resolveStopped = resolve));
      this.thread.post({ kind: 'abort', id: this.id });
    }
    return this.stopping;
  }

  ended(): void {
    this.resolveStopped?.();
  }

  requestRepeated(kind: 'rrq' | 'wrq', identical: boolean): void {
    if (!this.released) this.thread.post({ kind: 'repeat', id: this.id, request: kind, identical });
  }
}

/** Longest a start waits for its threads; a thread ready later still takes downloads from then. */
const READY_WAIT_MS = 3000;

class DownloadThread implements TransferRunner<DownloadJob> {
  ready = false;
  private dead = false;
  /** terminate() was asked for: no new work, the sweep at exit is expected */
  private closing = false;
  private lastError = '';
  private markSettled: () => void = () => undefined;
  /** resolves once the thread is ready or gone */
  readonly settled = new Promise<void>((resolve) => (this.markSettled = resolve));
  readonly sessions = new Map<string, RemoteDownload>();
  private readonly launching = new Map<string, { peer: Peer; callbacks: LaunchCallbacks }>();
  private readonly worker: Worker | undefined;

  constructor(
    script: URL,
    private readonly host: TransferHost,
    /** 1-based, for the log */
    readonly index: number,
  ) {
    try {
      this.worker = new Worker(script);
    } catch (err) {
      this.worker = undefined;
      this.died((err as Error).message);
      return;
    }
    this.worker.unref();
    this.worker.on('message', (m: FromThread) => this.onMessage(m));
    // The sweep waits for 'exit': Node delivers what the thread had already posted before it, so
    // a session that did end reports its own end, and only the rest get a failure record.
    this.worker.on('error', (err) => (this.lastError = err.message));
    this.worker.on('exit', (code) => this.died(this.lastError || `exited (${code})`));
  }

  get usable(): boolean {
    return this.ready && !this.dead && !this.closing;
  }

  get load(): number {
    return this.sessions.size + this.launching.size;
  }

  post(m: ToThread): void {
    if (!this.dead) this.worker?.postMessage(m);
  }

  /** Hands a download to the thread; exactly one of the callbacks follows. */
  run(job: DownloadJob, callbacks: LaunchCallbacks): void {
    const { id, peer, local, portRange, cfg, handle, digest } = job;
    try {
      if (!this.usable || !this.worker) throw new Error('thread not running');
      const start: ToThread = { kind: 'start', id, peer, local, portRange, cfg, handle };
      if (digest) start.identity = digest.identity;
      this.worker.postMessage(start, [handle]);
    } catch (err) {
      // Not handed over: the file is still ours to close.
      void handle.close().catch(() => undefined);
      callbacks.noPort((err as Error).message);
      return;
    }
    this.launching.set(id, { peer, callbacks });
    // The digest follows the start on the same port, so the thread always knows the download first
    // (it drops a digest for one already over).
    void digest?.result.then((sha256) => this.post({ kind: 'digest', id, sha256: sha256 ?? null }));
  }

  private onMessage(m: FromThread): void {
    switch (m.kind) {
      case 'ready':
        this.ready = true;
        this.markSettled();
        return;
      case 'started': {
        const pending = this.launching.get(m.id);
        if (!pending) return;
        this.launching.delete(m.id);
        const session = new RemoteDownload(pending.peer, m.id, this);
        this.sessions.set(m.id, session);
        pending.callbacks.started(session);
        this.host.log('debug', `runs on download thread ${this.index}`, peerLabel(session.peer), session.id);
        return;
      }
      case 'no-port': {
        const pending = this.launching.get(m.id);
        this.launching.delete(m.id);
        pending?.callbacks.noPort(m.code);
        return;
      }
      case 'event': {
        const e = m.event;
        // Only for sessions still held here: never an event after a session's end record.
        const id = e.type === 'log' ? e.sessionId : 'id' in e ? e.id : undefined;
        const session = id === undefined ? undefined : this.sessions.get(id);
        if (id !== undefined && !session) return;
        if (e.type === 'session-progress' && session) session.bytes = e.bytes;
        // The thread's 'ended' comes in a later message; whoever sees the end record must already
        // see the session gone from the server's count, as with a download on the main thread.
        if (session && (e.type === 'session-finished' || e.type === 'session-failed')) {
          this.release(session);
        }
        this.host.emit(e);
        return;
      }
      case 'started-over': {
        const s = this.sessions.get(m.id);
        if (s) this.host.clientStartedOver(s);
        return;
      }
      case 'ended': {
        const s = this.sessions.get(m.id);
        if (!s) return;
        this.sessions.delete(m.id);
        this.release(s);
        s.ended();
      }
    }
  }

  /**
   * The thread is gone (crashed, or stopped with the server): its transfers are over (their sockets
   * closed with it); each gets its failure record once.
   */
  private died(why: string): void {
    if (this.dead) return;
    this.dead = true;
    this.markSettled();
    const expected = this.closing;
    if (expected) this.host.log('debug', `download thread ${this.index} stopped`);
    else if (!this.ready) {
      this.host.log('debug', `download thread unavailable (${why}): downloads run on the main thread`);
    } else {
      this.host.log('error', `download thread ${this.index} stopped (${why}): its transfers are lost`);
    }
    for (const [, pending] of this.launching) {
      if (expected) pending.callbacks.cancelled();
      else pending.callbacks.noPort('ETHREAD');
    }
    this.launching.clear();
    const message = expected ? 'Server shutting down' : 'Server error';
    for (const s of this.sessions.values()) {
      if (s.released) {
        s.ended();
        continue;
      }
      this.release(s);
      const time = Date.now();
      this.host.emit(
        failedSessionEvent({
          time,
          id: s.id,
          code: TftpErrorCode.NotDefined,
          message,
          bytes: s.bytes,
          durationMs: time - s.startedAt,
        }),
      );
      this.host.log('warn', `download ended with its thread: ${message}`, peerLabel(s.peer), s.id);
      s.ended();
    }
    this.sessions.clear();
  }

  /** The server lets go of `s` (its count, its client's slot) exactly once. */
  private release(s: RemoteDownload): void {
    if (s.released) return;
    s.released = true;
    this.host.ended(s);
  }

  async terminate(): Promise<void> {
    this.closing = true;
    if (this.worker) await this.worker.terminate();
    this.died('server stopped');
  }
}

export class DownloadThreads {
  private readonly threads: DownloadThread[];

  constructor(count: number, script: URL | undefined, host: TransferHost) {
    this.threads = script
      ? Array.from({ length: count }, (_, i) => new DownloadThread(script, host, i + 1))
      : [];
  }

  /** Resolves once every thread is ready or has failed to start (or after READY_WAIT_MS). */
  async ready(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<void>((resolve) => (timer = setTimeout(resolve, READY_WAIT_MS)));
    await Promise.race([Promise.all(this.threads.map((t) => t.settled)), late]);
    clearTimeout(timer);
  }

  /**
   * The thread for a new download, or undefined to run it on the server's thread: the least busy
   * ready thread, unless the server's own thread (`localLoad` downloads) is less busy still.
   */
  pick(localLoad: number): DownloadThread | undefined {
    let best: DownloadThread | undefined;
    for (const t of this.threads) if (t.usable && (!best || t.load < best.load)) best = t;
    return best && best.load <= localLoad ? best : undefined;
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.terminate()));
  }
}

export type { DownloadThread };
