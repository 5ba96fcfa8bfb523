// A "Send to device" file outside the served folder: an absolute path on the machine running the
// app (picked with the desktop's file dialog, or typed in the browser UI, where it names a file on
// the server's machine). Checked before anything is sent, so a wrong path is a clear sentence and
// never a half-started transfer.
import { constants } from 'node:fs';
import { access, lstat, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute } from 'node:path';
import type { Result } from '../../shared/ipc-contract.js';

/** Longest path accepted: far above any real one, bounded so one request stays small. */
export const MAX_LOCAL_PATH = 4096;

const fail = <T>(message: string): Result<T> => ({ ok: false, message });

const codeOf = (err: unknown): string | undefined =>
  typeof err === 'object' && err !== null && 'code' in err
    ? String((err as { code: unknown }).code)
    : undefined;

function shape(path: string): string | null {
  if (path.length === 0) return 'Enter the full path of the file.';
  if (path.length > MAX_LOCAL_PATH || path.includes('\0')) return 'That path is not valid.';
  if (!isAbsolute(path))
    return `Enter a full path (from the top folder), not ${JSON.stringify(basename(path))}.`;
  return null;
}

/** The file a put sends: it exists, is a regular file (a link to one is fine) and can be read. */
export async function readableFile(path: string): Promise<Result<string>> {
  const bad = shape(path);
  if (bad !== null) return fail(bad);
  try {
    const st = await stat(path);
    if (st.isDirectory()) return fail(`${path} is a folder; choose a file.`);
    if (!st.isFile()) return fail(`${path} is not a regular file.`);
    await access(path, constants.R_OK);
  } catch (err) {
    const code = codeOf(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return fail(`${path} was not found.`);
    if (code === 'EACCES' || code === 'EPERM') return fail(`${path} cannot be read (permission denied).`);
    return fail(`${path} cannot be read.`);
  }
  return { ok: true, value: path };
}

/**
 * Where a get writes: a folder that exists and can be written to, and a name that is not a folder,
 * a link or a special file (the engine writes a temporary file beside it and renames it over).
 */
export async function writableTarget(path: string): Promise<Result<string>> {
  const bad = shape(path);
  if (bad !== null) return fail(bad);
  if (/[\\/]$/.test(path)) return fail('Name a file, not a folder.');
  const folder = dirname(path);
  try {
    const st = await stat(folder);
    if (!st.isDirectory()) return fail(`${folder} is not a folder.`);
    await access(folder, constants.W_OK);
  } catch (err) {
    const code = codeOf(err);
    if (code === 'ENOENT' || code === 'ENOTDIR') return fail(`The folder ${folder} was not found.`);
    if (code === 'EACCES' || code === 'EPERM')
      return fail(`The folder ${folder} cannot be written to (permission denied).`);
    return fail(`The folder ${folder} cannot be used.`);
  }
  try {
    const st = await lstat(path);
    if (st.isSymbolicLink()) return fail(`${path} is a link; choose another name.`);
    if (st.isDirectory()) return fail(`${path} is a folder; choose another name.`);
    if (!st.isFile()) return fail(`${path} is not a regular file; choose another name.`);
  } catch {
    // a new file
  }
  return { ok: true, value: path };
}
