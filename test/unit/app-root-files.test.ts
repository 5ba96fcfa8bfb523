import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  LIST_MAX_DEPTH,
  LIST_MAX_ENTRIES,
  checkRoot,
  checksumInRoot,
  listRootFiles,
  resolveInRoot,
} from '../../electron/app/root-files.js';

let base: string;
let root: string;
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'tftp-desk-root-'));
  root = join(base, 'root');
  mkdirSync(root);
  writeFileSync(join(base, 'secret.txt'), 'outside');
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

describe('checkRoot', () => {
  it('accepts an existing absolute folder and refuses everything else', async () => {
    expect(await checkRoot(root)).toEqual({ ok: true, value: root });
    expect(await checkRoot(root + '/sub/..')).toEqual({ ok: true, value: root });
    for (const bad of [
      '',
      'relative/dir',
      `${root}\0x`,
      join(base, 'missing'),
      join(base, 'secret.txt'),
      42,
      null,
    ]) {
      const r = await checkRoot(bad);
      expect(r.ok, String(bad)).toBe(false);
      if (!r.ok) expect(r.message).not.toMatch(/ENOENT|at .*\(/);
    }
  });
});

describe('listRootFiles', () => {
  it('lists files with forward-slash names, skips upload temps, sorts', async () => {
    mkdirSync(join(root, 'configs', 'sw'), { recursive: true });
    writeFileSync(join(root, 'pxelinux.0'), 'x'.repeat(10));
    writeFileSync(join(root, 'configs', 'sw', 'core1.cfg'), 'hostname core1');
    writeFileSync(join(root, '.core2.cfg.a1b2.tftp-part'), 'partial');
    writeFileSync(join(root, '.hidden'), 'shown');
    const r = await listRootFiles(root);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((f) => f.name)).toEqual(['.hidden', 'configs/sw/core1.cfg', 'pxelinux.0']);
    expect(r.value[2]).toMatchObject({ size: 10 });
    expect(r.value[2]!.modified).toBeGreaterThan(0);
  });

  it('lists links that stay inside the root, not those that leave it, and never follows linked folders', async () => {
    writeFileSync(join(root, 'real.bin'), 'r');
    symlinkSync(join(root, 'real.bin'), join(root, 'alias.bin'));
    symlinkSync(join(base, 'secret.txt'), join(root, 'escape.txt'));
    symlinkSync(base, join(root, 'up'));
    symlinkSync(root, join(root, 'loop'));
    const r = await listRootFiles(root);
    expect(r.ok && r.value.map((f) => f.name)).toEqual(['alias.bin', 'real.bin']);
  });

  it('stops at the depth and entry bounds', async () => {
    let dir = root;
    for (let d = 1; d <= LIST_MAX_DEPTH + 2; d++) {
      dir = join(dir, `d${d}`);
      mkdirSync(dir);
      writeFileSync(join(dir, 'f'), '');
    }
    const r = await listRootFiles(root);
    const deepest = r.ok ? Math.max(...r.value.map((f) => f.name.split('/').length)) : 0;
    expect(deepest).toBe(LIST_MAX_DEPTH);

    const wide = join(root, 'wide');
    mkdirSync(wide);
    for (let i = 0; i < LIST_MAX_ENTRIES + 50; i++) writeFileSync(join(wide, `f${i}`), '');
    const r2 = await listRootFiles(root);
    expect(r2.ok && r2.value.length).toBeLessThanOrEqual(LIST_MAX_ENTRIES);
  }, 30_000);

  it('reports a missing root clearly', async () => {
    const r = await listRootFiles(join(base, 'gone'));
    expect(r).toMatchObject({ ok: false });
  });
});

describe('checksum', () => {
  it('streams MD5 and SHA-256 of a file inside the root', async () => {
    const data = Buffer.alloc(3 * 1024 * 1024 + 7, 0xa5);
    mkdirSync(join(root, 'fw'));
    writeFileSync(join(root, 'fw', 'image.bin'), data);
    const r = await checksumInRoot(root, 'fw/image.bin');
    expect(r).toEqual({
      ok: true,
      value: {
        name: 'fw/image.bin',
        size: data.length,
        md5: createHash('md5').update(data).digest('hex'),
        sha256: createHash('sha256').update(data).digest('hex'),
      },
    });
    expect((await checksumInRoot(root, 'fw\\image.bin')).ok).toBe(true);
  });

  it('refuses names that leave the root, absolute names, NUL, folders and missing files', async () => {
    mkdirSync(join(root, 'a'));
    symlinkSync(join(base, 'secret.txt'), join(root, 'link.txt'));
    const bad = [
      '../secret.txt',
      'a/../../secret.txt',
      '..\\secret.txt',
      join(base, 'secret.txt'),
      '/etc/passwd',
      'C:\\Windows\\win.ini',
      'c:win.ini',
      '\\\\host\\share\\f',
      'ok\0../../secret.txt',
      'link.txt',
      'a',
      '.',
      '',
      'missing.bin',
    ];
    for (const name of bad) {
      const r = await checksumInRoot(root, name);
      expect(r.ok, JSON.stringify(name)).toBe(false);
      if (!r.ok) expect(r.message).not.toContain('outside');
    }
    expect((await resolveInRoot(root, 'a')).ok).toBe(true);
    expect((await resolveInRoot(root, 42)).ok).toBe(false);
  });
});
