// Atomic uploads: the "nothing lost" contract for WRQ (RFC 1350 §2 write request; the RFC says
// nothing about durability, so the rules are ours, security-anchors section (e)):
// 1. Each upload is written to `.<name>.<16 hex>.tftp-part` in the target's own folder, created
//    with O_CREAT|O_EXCL ('wx') and mode 0o644 (minus umask). The target is never opened, let alone
//    truncated, before the upload is complete (npm `tftp` truncates at once and loses the original).
// 2. Commit = fsync(temp) -> close -> move into place -> fsync(folder) (POSIX only). The final ACK
//    goes out only after this resolves.
//    - 'overwrite': rename(2) / MoveFileEx(REPLACE_EXISTING): readers see old or new, never a mix.
//    - 'create': link(2) fails atomically with EEXIST if the name appeared meanwhile. File systems
//      without hard links (FAT, exFAT, some network shares) fall back to check-then-rename.
// 3. Abort or failed commit: close and unlink the temp; the target is untouched.
// 4. At start-up, temps left by a crash are swept (older than a session can live).
// 5. Free space (fs.statfs) lets the caller refuse a WRQ whose tsize cannot fit (RFC 2349, ERR 3).
import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface UploadTemp {
  finalPath: string;
  tempPath: string;
  handle: FileHandle;
}

const TEMP_SUFFIX = '.tftp-part';
const TEMP_NAME = /^\.[\s\S]*\.[0-9a-f]{16}\.tftp-part$/i;
// 255-byte name limit minus the dot, ".<16 hex>" and the suffix, with room to spare.
const MAX_TEMP_BASE_BYTES = 200;

/** True for names made by beginUpload (case-insensitive: Windows and macOS folders are). */
export function isUploadTempName(basename: string): boolean {
  return TEMP_NAME.test(basename);
}

function truncateUtf8(text: string, maxBytes: number): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    bytes += Buffer.byteLength(ch);
    if (bytes > maxBytes) break;
    out += ch;
  }
  return out;
}

/** Creates the temp file next to finalPath. Errors (EACCES, ENOSPC, ...) are thrown for fs-errors. */
export async function beginUpload(finalPath: string): Promise<UploadTemp> {
  const base = truncateUtf8(path.basename(finalPath), MAX_TEMP_BASE_BYTES);
  const tempPath = path.join(
    path.dirname(finalPath),
    `.${base}.${randomBytes(8).toString('hex')}${TEMP_SUFFIX}`,
  );
  const handle = await fs.open(tempPath, 'wx', 0o644);
  return { finalPath, tempPath, handle };
}

async function unlinkQuietly(file: string): Promise<void> {
  await fs.unlink(file).catch(() => undefined);
}

function existsError(): Error {
  // Shaped like Node's own fs errors so mapFsError gives ERR 6; no path in the message.
  return Object.assign(new Error('EEXIST: file already exists'), { code: 'EEXIST', errno: -17 });
}

// Where link(2) does not exist the OS says so with one of these (Windows FAT: EISDIR via libuv).
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EINVAL', 'EISDIR']);

async function placeWithoutReplacing(tempPath: string, finalPath: string): Promise<void> {
  try {
    await fs.link(tempPath, finalPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (!NO_HARD_LINKS.has(code)) throw err;
    // No hard links here: check, then rename. The engine's per-target lock covers our own
    // uploads; only another program creating the same name in this instant could be replaced.
    const existing = await fs.lstat(finalPath).catch(() => undefined);
    if (existing) throw existsError();
    await fs.rename(tempPath, finalPath);
    return;
  }
  await unlinkQuietly(tempPath);
}

async function syncFolder(folder: string): Promise<void> {
  if (process.platform === 'win32') return; // a folder cannot be opened for fsync there
  let handle: FileHandle | undefined;
  try {
    handle = await fs.open(folder, 'r');
    await handle.sync();
  } catch {
    // Some file systems (network, FUSE) refuse fsync on a folder; the rename itself is done.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

/** fsync, close, move into place, fsync the folder. On failure the temp is removed and the error rethrown. */
export async function commitUpload(t: UploadTemp, policy: 'create' | 'overwrite'): Promise<void> {
  try {
    await t.handle.sync();
    await t.handle.close();
    if (policy === 'overwrite') await fs.rename(t.tempPath, t.finalPath);
    else await placeWithoutReplacing(t.tempPath, t.finalPath);
  } catch (err) {
    await abortUpload(t);
    throw err;
  }
  await syncFolder(path.dirname(t.finalPath));
}

/** Close + unlink the temp; never throws; safe to call twice (and after a commit). */
export async function abortUpload(t: UploadTemp): Promise<void> {
  await t.handle.close().catch(() => undefined);
  await unlinkQuietly(t.tempPath);
}

const SWEEP_MAX_DEPTH = 16;
const SWEEP_MAX_ENTRIES = 100_000;

/** Removes orphaned temps (from a crash) under root, older than olderThanMs. Never throws. */
export async function sweepOrphanUploads(root: string, olderThanMs: number): Promise<number> {
  const cutoff = Date.now() - olderThanMs;
  let removed = 0;
  let seen = 0;
  const pending: Array<{ dir: string; depth: number }> = [{ dir: root, depth: 0 }];
  for (let next = pending.pop(); next && seen < SWEEP_MAX_ENTRIES; next = pending.pop()) {
    const { dir, depth } = next;
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (++seen > SWEEP_MAX_ENTRIES) break;
      const full = path.join(dir, entry.name);
      // Dirent types come from lstat semantics: symlinks are neither, so the sweep stays in root.
      if (entry.isDirectory()) {
        if (depth + 1 < SWEEP_MAX_DEPTH) pending.push({ dir: full, depth: depth + 1 });
      } else if (entry.isFile() && isUploadTempName(entry.name)) {
        const stat = await fs.lstat(full).catch(() => undefined);
        if (stat?.isFile() && stat.mtimeMs <= cutoff) {
          const ok = await fs.unlink(full).then(
            () => true,
            () => false,
          );
          if (ok) removed++;
        }
      }
    }
  }
  return removed;
}

/** Free bytes for an unprivileged writer on the volume holding dir, or undefined when unknown. */
export async function freeBytes(dir: string): Promise<number | undefined> {
  try {
    const s = await fs.statfs(dir, { bigint: true });
    return Number(s.bavail * s.bsize);
  } catch {
    return undefined;
  }
}
