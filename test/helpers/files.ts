// Temporary folders and file contents for tests: a served root with files in it, a scratch folder
// for clients to write into, hashes to compare bytes, and a listing that shows hidden files (an
// upload's leftover temporary file is a dot file).
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export function sha256File(path: string): string {
  return sha256(readFileSync(path));
}

/** Random bytes; every test file gets fresh content so a stale copy can never pass. */
export function randomData(size: number): Buffer {
  return randomBytes(size);
}

export interface TempDir {
  readonly path: string;
  /** absolute path of a name inside the folder (sub-folders allowed: `a/b.bin`) */
  file(name: string): string;
  write(name: string, content: string | Uint8Array): string;
  read(name: string): Buffer;
  /** every entry, hidden ones included, as relative paths, sorted (`ls -aR` without . and ..) */
  list(): string[];
  remove(): void;
}

const live = new Set<TempDir>();

export function makeTempDir(prefix = 'tftp-desk-test-'): TempDir {
  const path = mkdtempSync(join(tmpdir(), prefix));
  const dir: TempDir = {
    path,
    file: (name) => join(path, name),
    write(name, content) {
      const target = join(path, name);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content);
      return target;
    },
    read: (name) => readFileSync(join(path, name)),
    list: () => listAll(path, path).sort(),
    remove() {
      rmSync(path, { recursive: true, force: true });
      live.delete(dir);
    },
  };
  live.add(dir);
  return dir;
}

/** A folder to serve, holding `files` (name -> content). */
export function makeTempRoot(files: Record<string, string | Uint8Array> = {}): TempDir {
  const root = makeTempDir('tftp-desk-root-');
  for (const [name, content] of Object.entries(files)) root.write(name, content);
  return root;
}

/** Removes every temporary folder still present (for afterAll, after a failed test). */
export function removeTempDirs(): void {
  for (const dir of [...live]) dir.remove();
}

function listAll(base: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    out.push(relative(base, full));
    if (entry.isDirectory()) out.push(...listAll(base, full));
  }
  return out;
}
