// A served root inside a "jail" folder that also holds a secret: every hostile request is checked
// against a snapshot of everything outside the root (names, sizes, content hashes, times), so a
// file outside the root that was created, changed or (where the OS can say) read shows up.
//
// Reads: as root the jail is a tmpfs mounted with `strictatime`, where every read(2) updates the
// access time (stat, lstat and realpath do not), so "was the secret read?" has a real answer.
// Without root the snapshot still covers creation and change, and the tests check that no reply
// carries the secret's bytes.
import { spawnSync } from 'node:child_process';
import type { BigIntStats } from 'node:fs';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, lstatSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { randomBytes } from 'node:crypto';
import { sha256 } from '../../helpers/files.js';

export const SECRET_NAME = 'secret.txt';

export interface Jail {
  /** the jail folder: the root's parent */
  readonly parent: string;
  /** the served root (inside parent) */
  readonly root: string;
  /** the secret's bytes (in parent, outside the root) */
  readonly secret: Buffer;
  /** whether reads outside the root are detectable (tmpfs with strictatime) */
  readonly detectsReads: boolean;
  /** writes a file inside the root */
  put(name: string, content: string | Uint8Array): string;
  /** reads a file inside the root */
  read(name: string): Buffer;
  /** every entry inside the root, hidden ones included, sorted */
  listRoot(): string[];
  /** everything outside the root: path -> fingerprint */
  snapshot(): Map<string, string>;
  /** the differences from `before`, as readable lines (empty: untouched) */
  changesSince(before: Map<string, string>): string[];
  remove(): void;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

function tryMountTmpfs(dir: string): boolean {
  if (!isRoot) return false;
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64m,strictatime,mode=0755', 'tmpfs', dir]);
  return r.status === 0;
}

function fingerprint(path: string): string {
  // Read first, then stat: the recorded atime is the one after our own read.
  const pre = lstatSync(path);
  const content = pre.isFile() ? sha256(readFileSync(path)) : '';
  const st = lstatSync(path, { bigint: true });
  const kind = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
  return `${kind} ${head(st)} ${content}`;
}

/** Size and times; atime only for regular files (listing a folder or following a link moves theirs). */
function head(st: BigIntStats): string {
  const atime = st.isFile() ? st.atimeNs : 0n;
  return `${st.size} m${st.mtimeNs} c${st.ctimeNs} a${atime}`;
}

export function makeJail(files: Record<string, string | Uint8Array> = {}): Jail {
  const parent = mkdtempSync(join(tmpdir(), 'tftp-desk-jail-'));
  const mounted = tryMountTmpfs(parent);
  const root = join(parent, 'root');
  mkdirSync(root);
  const secret = Buffer.concat([Buffer.from('SECRET-OUTSIDE-ROOT '), randomBytes(2048)]);
  writeFileSync(join(parent, SECRET_NAME), secret);
  mkdirSync(join(parent, 'outside-dir'));
  writeFileSync(join(parent, 'outside-dir', 'inner.txt'), 'outside\n');
  const jail: Jail = {
    parent,
    root,
    secret,
    detectsReads: mounted,
    put(name, content) {
      const target = join(root, name);
      writeFileSync(target, content);
      return target;
    },
    read: (name) => readFileSync(join(root, name)),
    listRoot: () => listAll(root, root).sort(),
    snapshot: () => walkOutside(parent, root),
    changesSince(before) {
      const after = walkOutsideNoRead(parent, root, before);
      const lines: string[] = [];
      for (const [p, f] of after) {
        const was = before.get(p);
        if (was === undefined) lines.push(`created outside the root: ${p}`);
        else if (was !== f) lines.push(`changed or read outside the root: ${p} (${was} -> ${f})`);
      }
      for (const p of before.keys()) if (!after.has(p)) lines.push(`removed outside the root: ${p}`);
      return lines;
    },
    remove() {
      if (mounted) spawnSync('umount', ['-l', parent]);
      rmSync(parent, { recursive: true, force: true });
    },
  };
  for (const [name, content] of Object.entries(files)) jail.put(name, content);
  return jail;
}

function walkOutside(parent: string, root: string): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (full === root) continue;
      out.set(relative(parent, full), fingerprint(full));
      if (e.isDirectory()) visit(full);
    }
  };
  visit(parent);
  return out;
}

/**
 * Compares without reading a file whose size, mtime and ctime are unchanged (that read would
 * itself move the atime); such a file keeps its content hash from `before`.
 */
function walkOutsideNoRead(parent: string, root: string, before: Map<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const visit = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, e.name);
      if (full === root) continue;
      const rel = relative(parent, full);
      const was = before.get(rel);
      const now = head(lstatSync(full, { bigint: true }));
      if (was !== undefined && e.isFile() && was.includes(` ${now} `)) out.set(rel, was);
      else out.set(rel, fingerprint(full));
      if (e.isDirectory()) visit(full);
    }
  };
  visit(parent);
  return out;
}

function listAll(base: string, dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    out.push(relative(base, full));
    if (e.isDirectory()) out.push(...listAll(base, full));
  }
  return out;
}
