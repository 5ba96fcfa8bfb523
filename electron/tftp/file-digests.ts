// The SHA-256 of a download, computed once per file instead of once per transfer. For an octet
// download the bytes sent are the file's bytes, so the digest of the file is the digest of what was
// sent, as long as the file did not change while it was sent (transfer-read.ts checks that at the
// end). Files are keyed by identity (device, inode, size, modification time, from the fstat of the
// handle the transfer opened); the hashing runs on a small thread of its own, off every transfer's
// path; transfers of one file share one job, and results stay in a bounded LRU cache.
//
// One cache per process, on the server's thread. Downloads on download threads get their digest by
// message (download-threads.ts) rather than from caches of their own: a file is then hashed once
// whichever thread serves it (a hundred clients spread over three threads still cost one hash),
// and there is one hashing thread, not one per download thread.
import { existsSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { hashFile, identityOf, type FileIdentity } from './file-hash.mjs';

export type { FileIdentity };

/** Files remembered: a boot server serves a handful of images; 256 is plenty and ~40 KB. */
export const DIGEST_CACHE_ENTRIES = 256;
/**
 * Files up to this size are hashed here, in one read: about a millisecond, less than a hand-off to
 * the thread costs, and a server of small boot files never starts the thread at all.
 */
const IN_PROCESS_MAX_BYTES = 1024 * 1024;
/** An idle hashing thread stops after this long (no thread while nothing is served). */
const IDLE_STOP_MS = 30_000;

/** A download's digest: the file identity at its start, and the digest job's answer. */
export interface DigestPlan {
  identity: FileIdentity;
  /** the file's SHA-256 (hex), or undefined when it could not be hashed as that identity */
  result: Promise<string | undefined>;
}

let jobsStarted = 0;
/** Hash jobs started in this process: transfers that share a job or a cached digest add none. */
export function digestJobsStarted(): number {
  return jobsStarted;
}

const keyOf = (id: FileIdentity) => `${id.dev}:${id.ino}:${id.size}:${id.mtimeNs}`;

/**
 * The identity of an open download's file, or undefined when its fstat fails or disagrees with
 * `size` (the size the transfer was set up with): such a transfer hashes its blocks as it goes.
 */
export async function downloadIdentity(handle: FileHandle, size: number): Promise<FileIdentity | undefined> {
  try {
    const id = identityOf(await handle.stat({ bigint: true }));
    return id.size === String(size) ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The hashing thread's script: file-hash.mjs beside this module, from source and built alike (in a
 * packaged app, unpacked beside the asar archive, where a thread can load it).
 */
export function defaultHashScript(): URL | undefined {
  const url = new URL('./file-hash.mjs', import.meta.url);
  const path = fileURLToPath(url).replace(/([\\/])app\.asar([\\/])/, '$1app.asar.unpacked$2');
  return existsSync(path) ? pathToFileURL(path) : undefined;
}

interface Job {
  path: string;
  identity: FileIdentity;
  resolve: (sha256: string | undefined) => void;
}

export class FileDigests {
  /** key -> digest; Map order is the LRU order (oldest first) */
  private readonly done = new Map<string, string>();
  private readonly inFlight = new Map<string, Promise<string | undefined>>();
  private worker: Worker | undefined;
  /** the thread could not start or died: hash in-process from then on */
  private workerFailed = false;
  private readonly jobs = new Map<number, Job>();
  private nextJob = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly capacity = DIGEST_CACHE_ENTRIES,
    /** the hashing thread's script; null (or none found): hash in-process */
    private readonly script: URL | null = defaultHashScript() ?? null,
  ) {}

  /** The SHA-256 of the file at `path` as `identity`; never rejects (undefined: not hashed). */
  digest(path: string, identity: FileIdentity): Promise<string | undefined> {
    const key = keyOf(identity);
    const hit = this.done.get(key);
    if (hit !== undefined) {
      this.done.delete(key);
      this.done.set(key, hit);
      return Promise.resolve(hit);
    }
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    jobsStarted++;
    const job = this.run(path, identity).then((sha256) => {
      this.inFlight.delete(key);
      if (sha256 !== undefined) this.remember(key, sha256);
      return sha256;
    });
    this.inFlight.set(key, job);
    return job;
  }

  /** Digests held (at most the capacity). */
  get size(): number {
    return this.done.size;
  }

  /** Whether the hashing thread is running (rather than idle, or given up for in-process hashing). */
  get threadRunning(): boolean {
    return this.worker !== undefined;
  }

  cached(identity: FileIdentity): string | undefined {
    return this.done.get(keyOf(identity));
  }

  private remember(key: string, sha256: string): void {
    this.done.set(key, sha256);
    while (this.done.size > this.capacity) {
      const oldest = this.done.keys().next().value as string;
      this.done.delete(oldest);
    }
  }

  private run(path: string, identity: FileIdentity): Promise<string | undefined> {
    // Without a thread: async reads of 1 MiB, each hashed in about a millisecond, so the event
    // loop (and the transfers on it) is never held for long.
    if (Number(identity.size) <= IN_PROCESS_MAX_BYTES) return hashFile(path, identity);
    const worker = this.thread();
    if (!worker) return hashFile(path, identity);
    clearTimeout(this.idleTimer);
    return new Promise((resolve) => {
      const id = this.nextJob++;
      this.jobs.set(id, { path, identity, resolve });
      worker.postMessage({ id, path, identity });
    });
  }

  private thread(): Worker | undefined {
    if (this.worker) return this.worker;
    if (this.workerFailed || !this.script) return undefined;
    let w: Worker;
    try {
      w = new Worker(this.script, { workerData: { role: 'file-hash' } });
    } catch {
      this.workerFailed = true;
      return undefined;
    }
    w.on('message', (m: { id: number; sha256: string | null }) => {
      const job = this.jobs.get(m.id);
      this.jobs.delete(m.id);
      job?.resolve(m.sha256 ?? undefined);
      if (this.jobs.size === 0) this.idleSoon(w);
    });
    w.on('error', () => undefined);
    w.on('exit', () => {
      if (this.worker !== w) return; // stopped while idle
      this.worker = undefined;
      this.workerFailed = true;
      // The jobs it held are done here instead.
      const orphans = [...this.jobs.values()];
      this.jobs.clear();
      for (const j of orphans) void hashFile(j.path, j.identity).then(j.resolve);
    });
    // A pending job never keeps the process alive (the transfers that wait for it do, if anything).
    // After the listeners: adding a 'message' listener refs the thread's port again.
    w.unref();
    this.worker = w;
    return w;
  }

  private idleSoon(w: Worker): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      if (this.worker !== w || this.jobs.size > 0) return;
      this.worker = undefined;
      void w.terminate();
    }, IDLE_STOP_MS);
    this.idleTimer.unref();
  }

  /** Stops the hashing thread (tests); later jobs start it again. */
  async close(): Promise<void> {
    clearTimeout(this.idleTimer);
    const w = this.worker;
    this.worker = undefined;
    const orphans = [...this.jobs.values()];
    this.jobs.clear();
    await w?.terminate();
    for (const j of orphans) j.resolve(undefined);
  }
}

/** The process's one cache (see the top of this file for why one). */
export const fileDigests = new FileDigests();
