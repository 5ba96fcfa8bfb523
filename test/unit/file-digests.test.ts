// The digest cache on real files: one job per identity (shared while in flight, then cached), a
// bounded LRU, no digest for a file that is no longer the identity asked for, and the same
// answers from the hashing thread, from in-process hashing, and from a thread that cannot start.
import { open } from 'node:fs/promises';
import { appendFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FileDigests,
  defaultHashScript,
  digestJobsStarted,
  downloadIdentity,
  type FileIdentity,
} from '../../electron/tftp/file-digests.js';
import { makeTempRoot, randomData, removeTempDirs, sha256 } from '../helpers/files.js';

const root = makeTempRoot();
const caches: FileDigests[] = [];
afterAll(async () => {
  await Promise.all(caches.map((c) => c.close()));
  removeTempDirs();
});

let n = 0;
async function fileWith(bytes: Buffer): Promise<{ path: string; identity: FileIdentity }> {
  const path = root.file(`d${++n}.bin`);
  writeFileSync(path, bytes);
  const handle = await open(path);
  try {
    const identity = await downloadIdentity(handle, bytes.length);
    if (!identity) throw new Error('no identity');
    return { path, identity };
  } finally {
    await handle.close();
  }
}

function cache(capacity: number, script: URL | null): FileDigests {
  const c = new FileDigests(capacity, script);
  caches.push(c);
  return c;
}

const broken = root.file('broken-hash-thread.mjs');
writeFileSync(broken, 'throw new Error("no thread today");\n');

describe.each([
  ['the hashing thread', () => defaultHashScript() ?? null, true],
  ['in-process hashing', () => null, false],
  ['a thread that cannot start', () => pathToFileURL(broken), false],
])('FileDigests with %s', (_name, script, threaded) => {
  it('hashes a file once: concurrent asks share the job, later ones hit the cache', async () => {
    const data = randomData(3_000_000);
    const { path, identity } = await fileWith(data);
    const c = cache(4, script());
    const before = digestJobsStarted();
    const all = await Promise.all([
      c.digest(path, identity),
      c.digest(path, identity),
      c.digest(path, identity),
    ]);
    expect(all).toEqual([sha256(data), sha256(data), sha256(data)]);
    expect(await c.digest(path, identity)).toBe(sha256(data));
    expect(digestJobsStarted() - before).toBe(1);
    expect(c.threadRunning).toBe(threaded);
  });

  it('hashes a small file in-process, without starting a thread', async () => {
    const data = randomData(100_000);
    const { path, identity } = await fileWith(data);
    const c = cache(4, script());
    expect(await c.digest(path, identity)).toBe(sha256(data));
    expect(c.threadRunning).toBe(false);
  });

  it('keeps at most its capacity, dropping the least recently used', async () => {
    const c = cache(3, script());
    const files = await Promise.all([0, 1, 2, 3, 4].map((i) => fileWith(randomData(1000 + i))));
    for (const f of files.slice(0, 3)) await c.digest(f.path, f.identity);
    // Touch the oldest: it becomes the most recent, so the second is dropped next.
    await c.digest((files[0] as (typeof files)[0]).path, (files[0] as (typeof files)[0]).identity);
    for (const f of files.slice(3)) await c.digest(f.path, f.identity);
    expect(c.size).toBe(3);
    const held = files.map((f) => c.cached(f.identity) !== undefined);
    expect(held).toEqual([true, false, false, true, true]);
  });

  it('gives no digest for a file that is no longer the identity asked for', async () => {
    const c = cache(4, script());
    // Past the in-process limit (1 MiB), so the thread (where there is one) checks it.
    const { path, identity } = await fileWith(randomData(2_000_000));
    appendFileSync(path, 'more');
    expect(await c.digest(path, identity)).toBeUndefined();
    expect(await c.digest(root.file('missing.bin'), identity)).toBeUndefined();
    expect(c.size).toBe(0);
  });
});

describe('downloadIdentity', () => {
  it('is unset when the size the transfer was set up with is not the file size', async () => {
    const path = root.file('sized.bin');
    writeFileSync(path, randomData(100));
    const handle = await open(path);
    try {
      expect(await downloadIdentity(handle, 99)).toBeUndefined();
      expect((await downloadIdentity(handle, 100))?.size).toBe('100');
    } finally {
      await handle.close();
    }
  });
});
