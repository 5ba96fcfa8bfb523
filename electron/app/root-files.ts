// The served folder as the UI sees it: checking a folder before it becomes the root, listing
// what devices can ask for, and checksums so a person can compare an image with a vendor's.
// Names from the UI are treated like names from the network: never trusted to stay inside.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { lstat, opendir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { FileChecksums, Result, RootFile } from '../../shared/ipc-contract.js';

export const LIST_MAX_DEPTH = 8;
export const LIST_MAX_ENTRIES = 20_000;
const MAX_PATH_LENGTH = 4096;
/** upload temp files: `.<name>.<random>.tftp-part` */
const TEMP_FILE = /^\..*\.tftp-part$/;

const fail = <T>(message: string): Result<T> => ({ ok: false, message });

export function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}

/** A folder the user picked or dropped: absolute, existing, a directory. */
export async function checkRoot(path: unknown): Promise<Result<string>> {
  if (typeof path !== 'string' || path.length === 0) return fail('Choose a folder to serve.');
  if (path.includes('\0') || path.length > MAX_PATH_LENGTH) return fail('That folder path is not valid.');
  if (!isAbsolute(path)) return fail('The folder must be given as a full path.');
  const full = resolve(path);
  try {
    const st = await stat(full);
    if (!st.isDirectory()) return fail(`${full} is a file, not a folder.`);
  } catch {
    return fail(`The folder ${full} does not exist or cannot be read.`);
  }
  return { ok: true, value: full };
}

/** Every file under root a device could ask for, bounded in depth and count. */
export async function listRootFiles(root: string): Promise<Result<RootFile[]>> {
  let rootReal: string;
  try {
    rootReal = await realpath(root);
  } catch {
    return fail(`The folder ${root} does not exist or cannot be read.`);
  }
  const files: RootFile[] = [];
  let seen = 0;
  async function walk(dir: string, prefix: string, depth: number): Promise<void> {
    let handle;
    try {
      handle = await opendir(dir);
    } catch {
      return; // unreadable subfolder: list the rest
    }
    for await (const entry of handle) {
      if (++seen > LIST_MAX_ENTRIES) break;
      if (TEMP_FILE.test(entry.name)) continue;
      const full = join(dir, entry.name);
      const name = prefix + entry.name;
      if (entry.isDirectory()) {
        if (depth < LIST_MAX_DEPTH) await walk(full, name + '/', depth + 1);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        // links are listed only when they end at a file inside the root (what the engine serves);
        // linked folders are not followed, so a loop cannot trap the walk
        try {
          const target = entry.isSymbolicLink() ? await realpath(full) : full;
          if (entry.isSymbolicLink() && !isInside(rootReal, target)) continue;
          const st = await stat(target);
          if (st.isFile()) files.push({ name, size: st.size, modified: st.mtimeMs });
        } catch {
          // vanished or dangling: not servable, not listed
        }
      }
    }
  }
  await walk(rootReal, '', 1);
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ok: true, value: files };
}

/** Maps a root-relative name to a real path inside the root, or explains why not. */
export async function resolveInRoot(root: string, name: unknown): Promise<Result<string>> {
  if (typeof name !== 'string' || name.length === 0) return fail('No file name given.');
  if (name.includes('\0') || name.length > MAX_PATH_LENGTH) return fail('That file name is not valid.');
  const parts = name.split(/[\\/]/);
  if (name.startsWith('/') || name.startsWith('\\') || /^[a-zA-Z]:/.test(name) || isAbsolute(name))
    return fail('The file name must be relative to the served folder.');
  if (parts.includes('..')) return fail('The file name must stay inside the served folder.');
  try {
    const rootReal = await realpath(root);
    const target = await realpath(join(rootReal, ...parts));
    if (!isInside(rootReal, target) || target === rootReal)
      return fail('The file name must stay inside the served folder.');
    return { ok: true, value: target };
  } catch {
    return fail(`${name} was not found in the served folder.`);
  }
}

/** MD5 and SHA-256 in one streamed pass (firmware images can be gigabytes). */
export async function checksumInRoot(root: string, name: string): Promise<Result<FileChecksums>> {
  const resolved = await resolveInRoot(root, name);
  if (!resolved.ok) return resolved;
  const st = await lstat(resolved.value).catch(() => null);
  if (!st?.isFile()) return fail(`${name} is not a file.`);
  const md5 = createHash('md5');
  const sha256 = createHash('sha256');
  let size = 0;
  try {
    for await (const chunk of createReadStream(resolved.value)) {
      const buf = chunk as Buffer;
      size += buf.length;
      md5.update(buf);
      sha256.update(buf);
    }
  } catch {
    return fail(`${name} could not be read.`);
  }
  return { ok: true, value: { name, size, md5: md5.digest('hex'), sha256: sha256.digest('hex') } };
}
