// Hashes one file for file-digests.ts, in plain JavaScript so that one file serves as the hashing
// thread's script from the .ts source (tests) and from the built engine alike (build:engine copies
// it beside the compiled modules); file-digests.ts imports hashFile from it for the in-process
// fallback, so there is one implementation (types: file-hash.d.mts).
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { parentPort, workerData } from 'node:worker_threads';

/** Positional reads of this size: few trips through the thread pool, ~1 ms of hashing each. */
const CHUNK_BYTES = 1024 * 1024;

/** The identity of an fstat (bigint, as strings: inode numbers and nanoseconds exceed 2^53). */
export function identityOf(st) {
  return { dev: String(st.dev), ino: String(st.ino), size: String(st.size), mtimeNs: String(st.mtimeNs) };
}

export function sameIdentity(a, b) {
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs;
}

/**
 * The SHA-256 (hex) of the file at `path`, if it is still the file `identity` names, unchanged from
 * before the first read to after the last; otherwise (or on any error) undefined.
 */
export async function hashFile(path, identity) {
  let handle;
  try {
    handle = await open(path, 'r');
    if (!sameIdentity(identityOf(await handle.stat({ bigint: true })), identity)) return undefined;
    const hash = createHash('sha256');
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    const size = Number(identity.size);
    let offset = 0;
    while (offset < size) {
      const { bytesRead } = await handle.read(buf, 0, Math.min(CHUNK_BYTES, size - offset), offset);
      if (bytesRead === 0) return undefined;
      hash.update(buf.subarray(0, bytesRead));
      offset += bytesRead;
    }
    // Written to while we read: what we hashed may be neither the old nor the new content.
    if (!sameIdentity(identityOf(await handle.stat({ bigint: true })), identity)) return undefined;
    return hash.digest('hex');
  } catch {
    return undefined;
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

// As a thread: jobs { id, path, identity } in, { id, sha256 } out (sha256 null when not hashed).
// Jobs run concurrently: a small file is not held up behind a large one. Only when started as the
// hashing thread (workerData says so): a download thread importing this module stays what it is.
if (parentPort && workerData?.role === 'file-hash') {
  const port = parentPort;
  port.on('message', (job) => {
    void hashFile(job.path, job.identity).then((sha256) =>
      port.postMessage({ id: job.id, sha256: sha256 ?? null }),
    );
  });
}
