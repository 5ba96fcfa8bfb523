// Page buffers for downloads, reused from one session to the next on the same thread. A page
// lives as long as its session, so it is promoted to the old generation and freed only by a full
// garbage collection, which V8 runs rarely: with a hundred clients coming and going, memory would
// climb by megabytes a minute before falling back. Reusing pages keeps it at what the live
// sessions need. Per thread (module state), so download threads never share a page.

/** Idle pages kept for reuse, at most (beyond it, a returned page is left to the collector). */
const MAX_IDLE_BYTES = 16 * 1024 * 1024;

const idle = new Map<number, Buffer[]>();
let idleBytes = 0;
/** Bytes of the pages taken and not yet returned: what the live sessions on this thread hold. */
let lentBytes = 0;

/** A buffer of exactly `bytes` bytes, contents undefined (a reused page or a new one). */
export function takePage(bytes: number): Buffer {
  lentBytes += bytes;
  const reused = idle.get(bytes)?.pop();
  if (reused) {
    idleBytes -= bytes;
    return reused;
  }
  return Buffer.allocUnsafeSlow(bytes);
}

/** Gives a page back; the caller must be done with it: no read or send may still use it. */
export function returnPage(page: Buffer): void {
  lentBytes -= page.length;
  if (idleBytes + page.length > MAX_IDLE_BYTES) return;
  let list = idle.get(page.length);
  if (!list) idle.set(page.length, (list = []));
  list.push(page);
  idleBytes += page.length;
}

/** Bytes held idle (for tests). */
export function idlePageBytes(): number {
  return idleBytes;
}

/** Bytes of the pages in use on this thread (taken, not yet returned). */
export function lentPageBytes(): number {
  return lentBytes;
}
