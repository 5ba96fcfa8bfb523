// The one place that maps a requested TFTP file name (RFC 1350 §2: "the name of the file to be
// read or written") to a path inside the served root. RFC 1350 leaves names to the host; the
// policy here follows tftp-hpa PATH VALIDATION and async-tftp-rs `secure_path`, and covers rows
// B1-B20 of the security anchors:
// 1. The name is taken exactly as the client sent it: no URL-decoding, no Unicode normalisation
//    (a fullwidth "．．／" is an ordinary file name, never "../").
// 2. Both `/` and `\` separate segments. One leading separator means the root (PXE asks for
//    "/pxelinux.0"); repeated and trailing separators collapse; "." segments are dropped.
// 3. Refused (ERR 2 unless noted): empty name (ERR 4), ".." segments, NUL and control characters,
//    drive letters, any ":" (alternate data streams), UNC and device prefixes ("\\host",
//    "//host", "\\?\", "\\.\"), Windows reserved device names with any extension, segments that
//    end in "." or space, characters Windows forbids (< > " | ? *), segments over 255 bytes and
//    names over 1024 bytes, and our upload temp files. These hold on every OS, so a folder
//    behaves the same when it moves between Linux and Windows.
// 4. realpath(result) (symlinks and junctions followed) must lie inside realpath(root); files are
//    opened O_NOFOLLOW|O_NONBLOCK, fstat must say "regular file", and on Linux the opened fd's
//    own path is checked again, so a symlink swapped in after the check (TOCTOU) is refused.
// 5. Refusals carry a fixed log phrase and a fixed client message; never the name or a path.
import fs from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { constants } from 'node:fs';
import type { Dir } from 'node:fs';
import path from 'node:path';
import { TftpErrorCode } from '../../shared/tftp-types.js';
import { mapFsError } from './fs-errors.js';
import { isUploadTempName } from './upload-file.js';

export type PathRefusal = { ok: false; code: TftpErrorCode; reason: string; clientMessage: string };
export type SafeName = {
  ok: true;
  segments: string[];
  relative: string; /* forward slashes, no leading slash */
};

export const MAX_NAME_BYTES = 1024;
export const MAX_SEGMENT_BYTES = 255;

const ACCESS = 'Access violation';
const NOT_FOUND = 'File not found';

function refuse(code: TftpErrorCode, reason: string, clientMessage: string): PathRefusal {
  return { ok: false, code, reason, clientMessage };
}
const denied = (reason: string): PathRefusal => refuse(TftpErrorCode.AccessViolation, reason, ACCESS);
const notFound = (reason: string): PathRefusal => refuse(TftpErrorCode.FileNotFound, reason, NOT_FOUND);

function fromFsError(err: unknown): PathRefusal {
  const m = mapFsError(err);
  return refuse(m.code, m.reason, m.clientMessage);
}

// Windows device names, also with an extension ("nul.txt") or spaces before it ("con .txt").
const RESERVED = /^(con|prn|aux|nul|clock\$|conin\$|conout\$|com[0-9¹²³]|lpt[0-9¹²³]) *$/i;
const WINDOWS_FORBIDDEN = /[<>"|?*]/;
const DRIVE = /^[a-z]:/i;

function hasControlChar(name: string): boolean {
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

function checkSegment(seg: string): PathRefusal | undefined {
  if (seg === '..') return denied('parent directory segment');
  if (DRIVE.test(seg)) return denied('drive letter');
  if (seg.includes(':')) return denied('colon in name (alternate data stream)');
  if (WINDOWS_FORBIDDEN.test(seg)) return denied('character not allowed in file names');
  if (seg.endsWith('.') || seg.endsWith(' ')) return denied('segment ends in a dot or space');
  const dot = seg.indexOf('.');
  if (RESERVED.test(dot === -1 ? seg : seg.slice(0, dot))) return denied('reserved device name');
  if (Buffer.byteLength(seg) > MAX_SEGMENT_BYTES) {
    return refuse(TftpErrorCode.AccessViolation, 'name segment too long', 'Name too long');
  }
  if (isUploadTempName(seg)) return denied('upload temp file');
  return undefined;
}

/** Validates a requested name; pure, sync, never throws. */
export function checkRequestName(name: string): SafeName | PathRefusal {
  if (typeof name !== 'string' || name.length === 0) {
    return refuse(TftpErrorCode.IllegalOperation, 'empty file name', 'Empty file name');
  }
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    return refuse(TftpErrorCode.AccessViolation, 'name too long', 'Name too long');
  }
  if (hasControlChar(name)) return denied('control character in name');
  const isSep = (c: string | undefined): boolean => c === '/' || c === '\\';
  if (isSep(name[0]) && isSep(name[1])) return denied('UNC or device path');

  const segments: string[] = [];
  for (const seg of name.split(/[/\\]/)) {
    if (seg === '' || seg === '.') continue;
    const refusal = checkSegment(seg);
    if (refusal) return refusal;
    segments.push(seg);
  }
  if (segments.length === 0) return notFound('names the root folder');
  return { ok: true, segments, relative: segments.join('/') };
}

function isInside(rootReal: string, candidate: string): boolean {
  const rel = path.relative(rootReal, candidate);
  return rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
}

async function realRoot(root: string): Promise<string | PathRefusal> {
  if (root === '') return notFound('root folder missing');
  try {
    const real = await fs.realpath(root);
    if (!(await fs.stat(real)).isDirectory()) return notFound('root folder missing');
    return real;
  } catch (err) {
    const m = mapFsError(err);
    return m.code === TftpErrorCode.FileNotFound ? notFound('root folder missing') : fromFsError(err);
  }
}

const fold = (s: string): string => s.normalize('NFC').toLowerCase();
const MAX_CASE_SCAN = 10_000; // entries read per folder in a case-insensitive lookup

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(
    () => true,
    () => false,
  );
}

/** The entry of `folder` that equals `name` ignoring case (and NFC/NFD), exact match first. */
async function matchEntry(folder: string, name: string): Promise<string | undefined> {
  if (await exists(path.join(folder, name))) return name;
  const want = fold(name);
  const hits: string[] = [];
  let dir: Dir | undefined;
  try {
    dir = await fs.opendir(folder);
    let seen = 0;
    for (let e = await dir.read(); e && seen < MAX_CASE_SCAN; e = await dir.read(), seen++) {
      if (fold(e.name) === want) hits.push(e.name);
    }
  } catch {
    return undefined;
  } finally {
    await dir?.close().catch(() => undefined);
  }
  return hits.sort()[0]; // several twins (Linux): pick one, the same one every time
}

/** Maps segments to the names on disk; unmatched segments stay as given (they fail later with ENOENT). */
async function matchSegments(
  rootReal: string,
  segments: string[],
  caseInsensitive: boolean,
): Promise<string[]> {
  if (!caseInsensitive || segments.length === 0 || (await exists(path.join(rootReal, ...segments)))) {
    return segments;
  }
  const out: string[] = [];
  let folder = rootReal;
  for (const [i, seg] of segments.entries()) {
    const actual = await matchEntry(folder, seg);
    if (actual === undefined) return [...out, ...segments.slice(i)];
    out.push(actual);
    folder = path.join(folder, actual);
  }
  return out;
}

/** A case-insensitive match lands on a real entry name: it must pass the same rules. */
function recheck(segments: string[]): SafeName | PathRefusal {
  return checkRequestName(segments.join('/'));
}

export interface OpenedRead {
  ok: true;
  handle: FileHandle;
  path: string;
  relative: string;
  size: number;
}

// O_NOFOLLOW refuses a final symlink swapped in after realpath; O_NONBLOCK keeps a FIFO from
// blocking a libuv worker forever. Windows has neither (the constants are undefined there).
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Where the OS can say which file an fd really is (Linux /proc), check it is still inside. */
async function openedInside(handle: FileHandle, rootReal: string): Promise<boolean> {
  if (process.platform !== 'linux') return true;
  const actual = await fs.readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
  return actual === undefined || isInside(rootReal, actual);
}

async function openRegular(
  real: string,
  rootReal: string,
  relative: string,
): Promise<OpenedRead | PathRefusal> {
  const handle = await fs.open(real, READ_FLAGS);
  try {
    const stat = await handle.stat();
    let refusal: PathRefusal | undefined;
    if (stat.isDirectory()) refusal = notFound('is a folder');
    else if (!stat.isFile()) refusal = denied('not a regular file');
    else if (!(await openedInside(handle, rootReal))) refusal = denied('outside the root via symlink');
    if (refusal) {
      await handle.close();
      return refusal;
    }
    return { ok: true, handle, path: real, relative, size: stat.size };
  } catch (err) {
    await handle.close().catch(() => undefined);
    throw err;
  }
}

/** Resolves and opens a regular file inside root to serve. Never throws. */
export async function openForRead(
  root: string,
  name: string,
  opts: { caseInsensitive: boolean },
): Promise<OpenedRead | PathRefusal> {
  const checked = checkRequestName(name);
  if (!checked.ok) return checked;
  try {
    const rootReal = await realRoot(root);
    if (typeof rootReal !== 'string') return rootReal;
    const matched = recheck(await matchSegments(rootReal, checked.segments, opts.caseInsensitive));
    if (!matched.ok) return matched;
    const real = await fs.realpath(path.join(rootReal, ...matched.segments));
    if (!isInside(rootReal, real)) return denied('outside the root via symlink');
    return await openRegular(real, rootReal, matched.relative);
  } catch (err) {
    return fromFsError(err);
  }
}

export interface WriteTarget {
  ok: true;
  path: string;
  relative: string;
  exists: boolean;
}

/**
 * Resolves the target of an upload. The parent folder must already exist (no implicit mkdir:
 * ERR 1) inside the root; an existing target that is a folder, symlink or device is ERR 2.
 * Never throws.
 */
export async function resolveForWrite(
  root: string,
  name: string,
  opts: { caseInsensitive: boolean },
): Promise<WriteTarget | PathRefusal> {
  const checked = checkRequestName(name);
  if (!checked.ok) return checked;
  try {
    const rootReal = await realRoot(root);
    if (typeof rootReal !== 'string') return rootReal;
    const parentSegs = await matchSegments(rootReal, checked.segments.slice(0, -1), opts.caseInsensitive);
    const parentReal = await fs.realpath(path.join(rootReal, ...parentSegs)).catch((err: unknown) => {
      const m = mapFsError(err);
      if (m.code === TftpErrorCode.FileNotFound) return notFound('parent folder missing');
      throw err;
    });
    if (typeof parentReal !== 'string') return parentReal;
    if (!isInside(rootReal, parentReal)) return denied('outside the root via symlink');
    if (!(await fs.stat(parentReal)).isDirectory()) return notFound('a folder in the path is a file');

    const base = checked.segments[checked.segments.length - 1] ?? '';
    const actualBase = opts.caseInsensitive ? ((await matchEntry(parentReal, base)) ?? base) : base;
    const matched = recheck([...parentSegs, actualBase]);
    if (!matched.ok) return matched;

    const target = path.join(parentReal, actualBase);
    const stat = await fs.lstat(target).catch((err: unknown) => {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    });
    if (stat?.isSymbolicLink()) return denied('target is a symbolic link');
    if (stat?.isDirectory()) return denied('target is a folder');
    if (stat && !stat.isFile()) return denied('not a regular file');
    return { ok: true, path: target, relative: matched.relative, exists: stat !== undefined };
  } catch (err) {
    return fromFsError(err);
  }
}
