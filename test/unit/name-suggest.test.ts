import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { boundedDistance, suggestNames } from '../../electron/tftp/name-suggest.js';
import { listServedFiles, NameSuggester } from '../../electron/tftp/served-files.js';

const FILES = [
  'pxelinux.0',
  'pxelinux.cfg/default',
  'pxelinux.cfg/Default.bak',
  'Boot/BCD',
  'images/uImage',
  'images/uImage.bin',
  'firmware.bin',
  'firmware.img',
  'old/firmware.bin',
  'XMLDefault.cnf.xml',
];

describe('suggestNames', () => {
  it.each([
    ['boot/bcd', [{ file: 'Boot/BCD', reason: 'case' }]],
    ['\\Boot\\bcd', [{ file: 'Boot/BCD', reason: 'case' }]],
    [
      'firmware.tar',
      [
        { file: 'firmware.bin', reason: 'extension' },
        { file: 'firmware.img', reason: 'extension' },
      ],
    ],
    [
      'new/firmware.bin',
      [
        { file: 'firmware.bin', reason: 'folder' },
        { file: 'old/firmware.bin', reason: 'folder' },
      ],
    ],
    ['pxelinux.cfg/defualt', [{ file: 'pxelinux.cfg/default', reason: 'near' }]],
    ['XMLDefault.cnf.xm', [{ file: 'XMLDefault.cnf.xml', reason: 'extension' }]],
    ['XMLDefalt.cnf.xml', [{ file: 'XMLDefault.cnf.xml', reason: 'near' }]],
    ['nothing-like-it', []],
    ['', []],
  ])('%s', (name, expected) => {
    expect(suggestNames(name, FILES)).toEqual(expected);
  });

  it('puts a case-only difference before the rest', () => {
    const s = suggestNames('IMAGES/UIMAGE', FILES);
    expect(s[0]).toEqual({ file: 'images/uImage', reason: 'case' });
    expect(s[1]).toEqual({ file: 'images/uImage.bin', reason: 'extension' });
  });

  it('never suggests the name itself, and at most five', () => {
    const many = Array.from({ length: 50 }, (_, i) => `dir${i}/a.bin`);
    expect(suggestNames('x/a.bin', many)).toHaveLength(5);
    expect(suggestNames('firmware.bin', FILES).map((s) => s.file)).not.toContain('firmware.bin');
  });
});

describe('boundedDistance', () => {
  /** Optimal string alignment distance, the whole table. */
  function osaDistance(a: string, b: string): number {
    const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
    for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j;
    for (let i = 1; i <= a.length; i++)
      for (let j = 1; j <= b.length; j++) {
        const row = d[i] as number[];
        const up = d[i - 1] as number[];
        row[j] = Math.min(
          (up[j] as number) + 1,
          (row[j - 1] as number) + 1,
          (up[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
        );
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
          row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    return (d[a.length] as number[])[b.length] as number;
  }

  it('agrees with the full table up to the bound', () => {
    const s = fc.string({ unit: fc.constantFrom('a', 'b', 'c'), maxLength: 10 });
    fc.assert(
      fc.property(s, s, fc.integer({ min: 0, max: 4 }), (a, b, k) => {
        expect(boundedDistance(a, b, k)).toBe(Math.min(osaDistance(a, b), k + 1));
      }),
    );
  });
});

describe('listServedFiles', () => {
  let root: string;
  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'tftp-suggest-'));
    await fs.mkdir(path.join(root, 'pxelinux.cfg'));
    await fs.writeFile(path.join(root, 'pxelinux.cfg', 'default'), 'x');
    await fs.writeFile(path.join(root, 'Boot.BIN'), 'x');
    await fs.mkdir(path.join(root, 'outside-target'));
    await fs.symlink(path.join(root, 'outside-target'), path.join(root, 'loop'));
    await fs.writeFile(path.join(root, 'outside-target', 'f'), 'x');
  });
  afterAll(async () => fs.rm(root, { recursive: true, force: true }));

  it('lists files with paths inside the root, without entering symlinked folders', async () => {
    expect((await listServedFiles(root)).sort()).toEqual([
      'Boot.BIN',
      'loop',
      'outside-target/f',
      'pxelinux.cfg/default',
    ]);
  });

  it('stops at the entry limit', async () => {
    expect((await listServedFiles(root, 2)).length).toBeLessThanOrEqual(2);
  });

  it('answers a missing folder with nothing', async () => {
    expect(await listServedFiles(path.join(root, 'nope'))).toEqual([]);
  });

  it('suggests from the real folder, at most five rounds a second', async () => {
    const s = new NameSuggester();
    expect(await s.suggest(root, 'boot.bin', 1000)).toEqual([{ file: 'Boot.BIN', reason: 'case' }]);
    for (let i = 0; i < 4; i++) expect(await s.suggest(root, 'boot.bin', 1000)).toBeDefined();
    expect(await s.suggest(root, 'boot.bin', 1000)).toBeUndefined();
    expect(await s.suggest(root, 'boot.bin', 1300)).toBeDefined();
  });
});
