import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  abortUpload,
  beginUpload,
  commitUpload,
  freeBytes,
  isUploadTempName,
  sweepOrphanUploads,
} from '../../electron/tftp/upload-file.js';
import { mapFsError } from '../../electron/tftp/fs-errors.js';

let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tftp-upload-'));
});
afterEach(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const list = async (folder = dir): Promise<string[]> => (await fs.readdir(folder)).sort();
const bytes = (n: number, seed: number): Buffer =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * seed) & 255));

async function upload(finalPath: string, content: Buffer) {
  const t = await beginUpload(finalPath);
  await t.handle.write(content);
  return t;
}

describe('beginUpload', () => {
  it('creates an exclusive temp in the same folder, named after the target, mode 0644 minus umask', async () => {
    const finalPath = path.join(dir, 'firmware.bin');
    const t = await beginUpload(finalPath);
    expect(path.dirname(t.tempPath)).toBe(dir);
    expect(path.basename(t.tempPath)).toMatch(/^\.firmware\.bin\.[0-9a-f]{16}\.tftp-part$/);
    expect(isUploadTempName(path.basename(t.tempPath))).toBe(true);
    const mask = process.umask();
    expect((await fs.stat(t.tempPath)).mode & 0o777).toBe(0o644 & ~mask);
    expect(await list()).toEqual([path.basename(t.tempPath)]); // the target itself is not created
    await abortUpload(t);
  });

  it('gives two uploads to the same name two different temps', async () => {
    const finalPath = path.join(dir, 'same.cfg');
    const [a, b] = await Promise.all([beginUpload(finalPath), beginUpload(finalPath)]);
    expect(a.tempPath).not.toBe(b.tempPath);
    await Promise.all([abortUpload(a), abortUpload(b)]);
    expect(await list()).toEqual([]);
  });

  it('keeps the temp name within 255 bytes for a 255-byte target name', async () => {
    const name = 'é'.repeat(127) + 'x'; // 255 bytes of UTF-8
    const t = await beginUpload(path.join(dir, name));
    expect(Buffer.byteLength(path.basename(t.tempPath))).toBeLessThanOrEqual(255);
    expect(isUploadTempName(path.basename(t.tempPath))).toBe(true);
    await abortUpload(t);
  });

  it('throws a mappable error when the folder does not exist', async () => {
    const err = await beginUpload(path.join(dir, 'missing', 'f')).catch((e: unknown) => e);
    expect(mapFsError(err).code).toBe(1);
  });
});

describe('commitUpload', () => {
  it("'create' places exactly the written bytes and leaves no temp", async () => {
    const finalPath = path.join(dir, 'new.bin');
    const content = bytes(70_000, 7);
    const t = await upload(finalPath, content);
    await commitUpload(t, 'create');
    expect((await fs.readFile(finalPath)).equals(content)).toBe(true);
    expect(await list()).toEqual(['new.bin']);
  });

  it("'overwrite' replaces by rename: an open reader keeps the complete old content", async () => {
    const finalPath = path.join(dir, 'config.txt');
    const oldContent = bytes(5000, 3);
    await fs.writeFile(finalPath, oldContent);
    const reader = await fs.open(finalPath, 'r');
    const newContent = bytes(9000, 11);
    await commitUpload(await upload(finalPath, newContent), 'overwrite');
    expect((await fs.readFile(finalPath)).equals(newContent)).toBe(true);
    const old = Buffer.alloc(oldContent.length);
    await reader.read(old, 0, old.length, 0);
    await reader.close();
    expect(old.equals(oldContent)).toBe(true);
    expect(await list()).toEqual(['config.txt']);
  });

  it("'create' refuses an existing file, leaves it byte-identical and removes the temp", async () => {
    const finalPath = path.join(dir, 'keep.bin');
    const original = bytes(3000, 5);
    await fs.writeFile(finalPath, original);
    const t = await upload(finalPath, bytes(100, 9));
    const err = await commitUpload(t, 'create').catch((e: unknown) => e);
    expect(mapFsError(err)).toMatchObject({ code: 6, clientMessage: 'File already exists' });
    expect((await fs.readFile(finalPath)).equals(original)).toBe(true);
    expect(await list()).toEqual(['keep.bin']);
  });

  it("'create' refuses a file that appeared after the upload began", async () => {
    const finalPath = path.join(dir, 'late.bin');
    const t = await upload(finalPath, bytes(100, 9));
    await fs.writeFile(finalPath, 'someone else');
    await expect(commitUpload(t, 'create')).rejects.toMatchObject({ code: 'EEXIST' });
    expect(await fs.readFile(finalPath, 'utf8')).toBe('someone else');
    expect(await list()).toEqual(['late.bin']);
  });

  it("two racing 'create' commits: exactly one wins and the file is that upload, whole", async () => {
    const finalPath = path.join(dir, 'race.bin');
    const contents = [bytes(40_000, 13), bytes(40_000, 17)];
    const temps = await Promise.all(contents.map((c) => upload(finalPath, c)));
    const results = await Promise.allSettled(temps.map((t) => commitUpload(t, 'create')));
    const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []));
    expect(winners).toHaveLength(1);
    const onDisk = await fs.readFile(finalPath);
    expect(onDisk.equals(contents[winners[0] ?? -1] ?? Buffer.alloc(0))).toBe(true);
    expect(await list()).toEqual(['race.bin']);
  });

  it('removes the temp and rethrows when the move fails (target is a folder)', async () => {
    const finalPath = path.join(dir, 'adir');
    await fs.mkdir(finalPath);
    await fs.writeFile(path.join(finalPath, 'inside'), 'x');
    const t = await upload(finalPath, bytes(10, 1));
    const err = await commitUpload(t, 'overwrite').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect([1, 2]).toContain(mapFsError(err).code);
    expect(await list()).toEqual(['adir']);
    expect(await list(finalPath)).toEqual(['inside']);
  });

  it('rethrows when the folder vanished before the commit', async () => {
    const sub = path.join(dir, 'sub');
    await fs.mkdir(sub);
    const t = await upload(path.join(sub, 'f.bin'), bytes(10, 1));
    await fs.rm(sub, { recursive: true });
    const err = await commitUpload(t, 'overwrite').catch((e: unknown) => e);
    expect(mapFsError(err).code).toBe(1);
  });
});

describe('abortUpload', () => {
  it('removes the temp, leaves the original untouched, and is safe to call twice', async () => {
    const finalPath = path.join(dir, 'orig.bin');
    const original = bytes(2048, 3);
    await fs.writeFile(finalPath, original);
    const t = await upload(finalPath, bytes(1024, 7)); // "client aborts at 50 %"
    await abortUpload(t);
    await abortUpload(t);
    expect((await fs.readFile(finalPath)).equals(original)).toBe(true);
    expect(await list()).toEqual(['orig.bin']);
  });

  it('after a successful commit it does not touch the committed file', async () => {
    const finalPath = path.join(dir, 'done.bin');
    const t = await upload(finalPath, bytes(100, 3));
    await commitUpload(t, 'create');
    await abortUpload(t);
    expect((await fs.readFile(finalPath)).equals(bytes(100, 3))).toBe(true);
  });
});

describe('isUploadTempName', () => {
  it.each([
    ['.a.bin.0123456789abcdef.tftp-part', true],
    ['.x.0123456789ABCDEF.TFTP-PART', true],
    ['..0123456789abcdef.tftp-part', true],
    ['a.bin.0123456789abcdef.tftp-part', false], // no leading dot
    ['.a.bin.0123456789abcde.tftp-part', false], // 15 hex digits
    ['.a.bin.0123456789abcdeg.tftp-part', false],
    ['.a.bin.tftp-part', false],
    ['.a.bin.0123456789abcdef.tftp-part.txt', false],
    ['notes.txt', false],
    ['', false],
  ])('%s -> %s', (name, expected) => {
    expect(isUploadTempName(name)).toBe(expected);
  });
});

describe('sweepOrphanUploads', () => {
  const TEMP = '.f.bin.0123456789abcdef.tftp-part';
  const hourAgo = new Date(Date.now() - 3_600_000);

  async function makeTemp(file: string, old: boolean): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, 'partial');
    if (old) await fs.utimes(file, hourAgo, hourAgo);
  }

  it('removes old temps at any depth and keeps fresh temps, look-alikes and the rest', async () => {
    await makeTemp(path.join(dir, TEMP), true);
    await makeTemp(path.join(dir, 'a', 'b', 'c', TEMP), true);
    await makeTemp(path.join(dir, 'fresh', TEMP), false);
    await makeTemp(path.join(dir, 'f.bin.0123456789abcdef.tftp-part'), true); // not ours: no dot
    await makeTemp(path.join(dir, 'real.bin'), true);
    await fs.mkdir(path.join(dir, 'dirlike', '.d.0123456789abcdef.tftp-part'), { recursive: true });

    expect(await sweepOrphanUploads(dir, 60_000)).toBe(2);
    await expect(fs.stat(path.join(dir, TEMP))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(fs.stat(path.join(dir, 'a', 'b', 'c', TEMP))).rejects.toMatchObject({ code: 'ENOENT' });
    await fs.stat(path.join(dir, 'fresh', TEMP));
    await fs.stat(path.join(dir, 'f.bin.0123456789abcdef.tftp-part'));
    await fs.stat(path.join(dir, 'real.bin'));
    await fs.stat(path.join(dir, 'dirlike', '.d.0123456789abcdef.tftp-part'));
  });

  it('does not follow a symlinked folder out of the root', async () => {
    const root = path.join(dir, 'root');
    const outside = path.join(dir, 'outside');
    await makeTemp(path.join(outside, TEMP), true);
    await fs.mkdir(root);
    await fs.symlink(outside, path.join(root, 'escape'));
    await fs.symlink(path.join(outside, TEMP), path.join(root, TEMP)); // a symlink named like a temp
    expect(await sweepOrphanUploads(root, 60_000)).toBe(0);
    await fs.stat(path.join(outside, TEMP));
    await fs.lstat(path.join(root, TEMP));
  });

  it('stops at depth 16', async () => {
    const shallow = path.join(dir, ...Array.from({ length: 15 }, (_, i) => `d${i}`));
    const deep = path.join(dir, ...Array.from({ length: 16 }, (_, i) => `d${i}`));
    await makeTemp(path.join(shallow, TEMP), true);
    await makeTemp(path.join(deep, TEMP), true);
    expect(await sweepOrphanUploads(dir, 60_000)).toBe(1);
    await fs.stat(path.join(deep, TEMP));
  });

  it('returns 0 for a missing root instead of throwing', async () => {
    expect(await sweepOrphanUploads(path.join(dir, 'nope'), 0)).toBe(0);
  });
});

describe('freeBytes', () => {
  it('reports the free space of a real volume, and undefined for a missing folder', async () => {
    const free = await freeBytes(dir);
    const s = await fs.statfs(dir);
    expect(free).toBeGreaterThan(0);
    // Same volume, moments apart: within 64 MiB of an independent reading.
    expect(Math.abs((free ?? 0) - s.bavail * s.bsize)).toBeLessThan(64 * 1024 * 1024);
    expect(await freeBytes(path.join(dir, 'missing'))).toBeUndefined();
  });
});
