// Test data, checksums and ports. Every transferred file is checked by SHA-256 against its source:
// a fast transfer that delivers the wrong bytes is a failure, not a result.
import { createHash, randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { chmodSync, createReadStream, mkdirSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const MiB = 1024 * 1024;

/** A world-writable directory: tftpd-hpa and atftpd drop to `nobody` before they touch the root. */
export function makeOpenDir(path) {
  mkdirSync(path, { recursive: true });
  chmodSync(path, 0o777);
  return path;
}

/** Writes `size` random bytes (incompressible, no lucky patterns) and returns { path, size, sha256 }. */
export function makeDataFile(dir, name, size) {
  const path = join(dir, name);
  const hash = createHash('sha256');
  const fd = openSync(path, 'w', 0o644);
  try {
    for (let left = size; left > 0;) {
      const chunk = randomBytes(Math.min(left, MiB));
      hash.update(chunk);
      writeSync(fd, chunk);
      left -= chunk.length;
    }
  } finally {
    closeSync(fd);
  }
  chmodSync(path, 0o644);
  return { name, path, size, sha256: hash.digest('hex') };
}

export async function sha256File(path) {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk);
  return hash.digest('hex');
}

export function sizeOf(path) {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/** Checks `path` against the source; `reason` says what was wrong when it is not a match. */
export async function verify(path, source) {
  const size = sizeOf(path);
  if (size !== source.size) return { ok: false, reason: `size ${size} of ${source.size} bytes` };
  const sha = await sha256File(path);
  return sha === source.sha256 ? { ok: true } : { ok: false, reason: 'sha256 mismatch' };
}

/**
 * An upload is done when the server has written the last byte, which can be a moment after the client
 * got its final ACK (the server may close, fsync or rename after acknowledging).
 */
export async function verifyEventually(path, source, maxWaitMs = 3000) {
  const until = Date.now() + maxWaitMs;
  for (;;) {
    if (sizeOf(path) === source.size) {
      const result = await verify(path, source);
      if (result.ok || Date.now() >= until) return result;
    } else if (Date.now() >= until) {
      return verify(path, source);
    }
    await sleep(20);
  }
}

/** A UDP port that was free a moment ago (the server start retries if someone takes it meanwhile). */
export function freeUdpPort() {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind({ port: 0, address: '127.0.0.1', exclusive: true }, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
