import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import {
  checkRequestName,
  openForRead,
  resolveForWrite,
  type OpenedRead,
  type PathRefusal,
} from '../../electron/tftp/file-root.js';

// Layout (base = a fresh temp folder):
//   base/secret.txt              SECRET: must never be served
//   base/outside/secret2.txt     SECRET
//   base/root/                   the served root
//     hello.txt  pxelinux.0  sub/inner.bin  Boot/Config.TXT  twin.txt TWIN.txt
//     link-out -> ../secret.txt          abs-link-out -> base/secret.txt
//     dir-out -> ../outside              link-in -> hello.txt     dirlink-in -> sub
//     %2e%2e%2fsecret.txt (literal)      ．．／secret.txt (literal, fullwidth)
//     nul.txt  boot.ini.  (legal on Linux, refused by policy)   fifo (named pipe)
const SECRET = 'TOP-SECRET-CONTENT';
let base: string;
let root: string;
let rootReal: string;
const ci = { caseInsensitive: true };
const exact = { caseInsensitive: false };

beforeAll(async () => {
  base = await fs.mkdtemp(path.join(os.tmpdir(), 'tftp-root-'));
  root = path.join(base, 'root');
  const w = (rel: string, content: string) => fs.writeFile(path.join(root, rel), content);
  await fs.mkdir(path.join(root, 'sub'), { recursive: true });
  await fs.mkdir(path.join(root, 'Boot'));
  await fs.mkdir(path.join(base, 'outside'));
  await fs.writeFile(path.join(base, 'secret.txt'), SECRET);
  await fs.writeFile(path.join(base, 'outside', 'secret2.txt'), SECRET);
  await w('hello.txt', 'hello world\n');
  await w('pxelinux.0', 'PXE');
  await w('sub/inner.bin', 'inner');
  await w('Boot/Config.TXT', 'config');
  await w('twin.txt', 'lower');
  await w('TWIN.txt', 'upper');
  await w('%2e%2e%2fsecret.txt', 'literal-percent');
  await w('．．／secret.txt', 'literal-fullwidth');
  await w('nul.txt', 'device-name');
  await w('boot.ini.', 'trailing-dot');
  await fs.symlink('../secret.txt', path.join(root, 'link-out'));
  await fs.symlink(path.join(base, 'secret.txt'), path.join(root, 'abs-link-out'));
  await fs.symlink('../outside', path.join(root, 'dir-out'));
  await fs.symlink('hello.txt', path.join(root, 'link-in'));
  await fs.symlink('sub', path.join(root, 'dirlink-in'));
  execFileSync('mkfifo', [path.join(root, 'fifo')]);
  rootReal = await fs.realpath(root);
});
afterAll(async () => {
  await fs.rm(base, { recursive: true, force: true });
});

function isRefusal(r: unknown): r is PathRefusal {
  return typeof r === 'object' && r !== null && (r as PathRefusal).ok === false;
}

async function readAndClose(r: OpenedRead): Promise<string> {
  try {
    const buf = Buffer.alloc(r.size);
    await r.handle.read(buf, 0, r.size, 0);
    return buf.toString();
  } finally {
    await r.handle.close();
  }
}

/** Opens, closes, and returns either the refusal or the content served. */
async function serve(name: string, opts = exact, rootDir = root): Promise<PathRefusal | string> {
  const r = await openForRead(rootDir, name, opts);
  if (isRefusal(r)) return r;
  expect(isInsideRoot(r.path, await fs.realpath(rootDir))).toBe(true);
  return readAndClose(r);
}

function isInsideRoot(p: string, realRoot = rootReal): boolean {
  const rel = path.relative(realRoot, p);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}

const refused = (code: number, reason?: string) =>
  expect.objectContaining({ ok: false, code, ...(reason ? { reason } : {}) });

describe('checkRequestName: accepted names', () => {
  it.each([
    ['pxelinux.0', 'pxelinux.0'],
    ['/pxelinux.0', 'pxelinux.0'],
    ['\\pxelinux.0', 'pxelinux.0'],
    ['a//b///c', 'a/b/c'],
    ['a\\b/c', 'a/b/c'],
    ['./a/./b', 'a/b'],
    ['dir/', 'dir'],
    ['.hidden', '.hidden'],
    ['...x', '...x'],
    ['%2e%2e%2fsecret.txt', '%2e%2e%2fsecret.txt'],
    ['%252e', '%252e'],
    ['..%c0%af', '..%c0%af'],
    ['．．／secret.txt', '．．／secret.txt'],
    ['..\u2215x', '..\u2215x'],
    ['%s%n%x', '%s%n%x'],
    ['console', 'console'],
    ['com10', 'com10'],
    ['lpt', 'lpt'],
    ['nul-file', 'nul-file'],
    ['CONFIG.TXT', 'CONFIG.TXT'],
    ['ümlaut/日本.bin', 'ümlaut/日本.bin'],
    ['x'.repeat(255), 'x'.repeat(255)],
    ['a/'.repeat(511) + 'bc', 'a/'.repeat(511) + 'bc'], // exactly 1024 bytes
  ])('%s', (name, relative) => {
    const r = checkRequestName(name);
    expect(r).toEqual({ ok: true, relative, segments: relative.split('/') });
  });
});

describe('checkRequestName: refused names', () => {
  const rows: Array<[string, string[], number, string]> = [
    ['B16 empty', [''], 4, 'empty file name'],
    ['B17 the root itself', ['/', '.', './', '/./', '\\'], 1, 'names the root folder'],
    [
      'B1-B3 parent segments',
      [
        '../secret.txt',
        'a/../../secret.txt',
        'a/b/../../../secret.txt',
        '..\\secret.txt',
        'a\\..\\..\\secret.txt',
      ],
      2,
      'parent directory segment',
    ],
    [
      'B2 ".." anywhere',
      ['..', '/..', 'a/..', '..//x', 'x/..\\', 'sub/../hello.txt'],
      2,
      'parent directory segment',
    ],
    [
      'B5 drive letters',
      ['C:\\Windows\\win.ini', 'C:/Windows/win.ini', 'c:win.ini', '/c:/x', 'D:', 'x/z:y'],
      2,
      'drive letter',
    ],
    [
      'B6-B7 UNC and device paths',
      [
        '\\\\host\\share\\f',
        '//host/share/f',
        '\\\\?\\C:\\x',
        '\\\\.\\pipe\\x',
        '\\\\.\\PhysicalDrive0',
        '/\\host',
      ],
      2,
      'UNC or device path',
    ],
    ['B13 colons', ['file.txt::$DATA', 'ab:c', 'dir/xy:z'], 2, 'colon in name (alternate data stream)'],
    [
      'B10/B19 control characters',
      ['ok.txt\0../../x', '\r\n', 'a\tb', '\x1b[31mred', 'a\x7f', 'x\u0001'],
      2,
      'control character in name',
    ],
    [
      'B11 reserved device names',
      [
        'CON',
        'con',
        'nul.txt',
        'COM1',
        'LpT9.bin',
        'AUX.tar.gz',
        'dir/PRN',
        'com¹',
        'CONOUT$',
        'con .txt',
        'COM0',
      ],
      2,
      'reserved device name',
    ],
    [
      'B12 trailing dot or space',
      ['boot.ini.', 'file ', 'dir./x', '...', 'a/b .'],
      2,
      'segment ends in a dot or space',
    ],
    [
      'B19 characters Windows forbids',
      ['a<b', 'a|b', 'a?b', 'a*b', 'a"b', 'a>b', '<img src=x onerror=alert(1)>'],
      2,
      'character not allowed in file names',
    ],
    [
      'B18 long segment',
      ['x'.repeat(256), 'é'.repeat(128), `ok/${'y'.repeat(300)}`],
      2,
      'name segment too long',
    ],
    ['B18 long name', ['a/'.repeat(512) + 'b', 'z'.repeat(4096)], 2, 'name too long'],
    [
      'upload temp files',
      ['.f.bin.0123456789abcdef.tftp-part', 'sub/.x.0123456789ABCDEF.TFTP-PART'],
      2,
      'upload temp file',
    ],
  ];
  for (const [row, names, code, reason] of rows) {
    it.each(names)(`${row}: %j`, (name) => {
      const r = checkRequestName(name);
      expect(r).toEqual(refused(code, reason));
      if (!r.ok) {
        expect(Buffer.byteLength(r.clientMessage)).toBeLessThanOrEqual(128);
        if (name.length >= 4) expect(JSON.stringify(r)).not.toContain(JSON.stringify(name).slice(1, -1));
      }
    });
  }

  it('never throws and never accepts a ".." segment, for any string (property)', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 300 }),
          fc
            .array(fc.constantFrom('..', '.', '/', '\\', 'a', 'C:', ':', '\0', ' ', '．', 'CON', '%2e'), {
              maxLength: 20,
            })
            .map((parts) => parts.join('')),
        ),
        (name) => {
          const r = checkRequestName(name);
          if (!r.ok) return;
          expect(r.segments.length).toBeGreaterThan(0);
          for (const seg of r.segments) {
            expect(seg).not.toBe('..');
            expect(seg).not.toBe('.');
            expect(seg).not.toBe('');
            expect(seg).not.toMatch(/[/\\:\0]/);
          }
          expect(r.relative).toBe(r.segments.join('/'));
          expect(checkRequestName(r.relative)).toEqual(r); // idempotent
        },
      ),
      { numRuns: 2000 },
    );
  }, 30_000);
});

describe('openForRead', () => {
  it('serves a file with its size and names; a leading / or \\ means the root (PXE)', async () => {
    for (const name of ['pxelinux.0', '/pxelinux.0', '\\pxelinux.0', './pxelinux.0']) {
      const r = await openForRead(root, name, exact);
      if (isRefusal(r)) throw new Error(`refused ${name}: ${r.reason}`);
      expect(r).toMatchObject({
        ok: true,
        relative: 'pxelinux.0',
        size: 3,
        path: path.join(rootReal, 'pxelinux.0'),
      });
      expect(await readAndClose(r)).toBe('PXE');
    }
    expect(await serve('sub\\inner.bin')).toBe('inner');
    expect(await serve('//sub//inner.bin'.slice(1))).toBe('inner');
  });

  it.each([
    '../secret.txt',
    'a/../../secret.txt',
    'sub/../../secret.txt',
    '..\\secret.txt',
    'sub\\..\\..\\secret.txt',
  ])('B1-B3 %s -> ERR 2', async (name) => {
    expect(await serve(name)).toEqual(refused(2, 'parent directory segment'));
  });

  it('B4 /etc/passwd is looked up inside the root -> ERR 1', async () => {
    expect(await serve('/etc/passwd')).toEqual(refused(1));
    expect(await serve(path.join(base, 'secret.txt'))).toEqual(refused(1)); // absolute path to the secret
  });

  it.each([
    'C:\\Windows\\win.ini',
    'c:win.ini',
    '\\\\host\\share\\f',
    '//host/share/f',
    '\\\\?\\C:\\x',
    '\\\\.\\pipe\\x',
  ])('B5-B7 %s -> ERR 2', async (name) => {
    expect(await serve(name)).toEqual(refused(2));
  });

  it('B8/B9 encoded and look-alike names are taken literally', async () => {
    expect(await serve('%2e%2e%2fsecret.txt')).toBe('literal-percent');
    expect(await serve('．．／secret.txt')).toBe('literal-fullwidth');
    for (const name of ['..%2f', '%252e', '..%c0%af', '..\u2215secret.txt', '．．/secret.txt']) {
      expect(await serve(name), name).toEqual(refused(1));
    }
  });

  it('B10-B13, B19: refused by name even when such a file exists on disk', async () => {
    expect(await serve('hello.txt\0../../x')).toEqual(refused(2, 'control character in name'));
    expect(await serve('nul.txt')).toEqual(refused(2, 'reserved device name'));
    expect(await serve('NUL.TXT', ci)).toEqual(refused(2, 'reserved device name'));
    expect(await serve('boot.ini.')).toEqual(refused(2, 'segment ends in a dot or space'));
    expect(await serve('hello.txt::$DATA')).toEqual(refused(2));
    expect(await serve('%s%n%x')).toEqual(refused(1));
  });

  it.each(['link-out', 'abs-link-out', 'dir-out/secret2.txt'])(
    'B14 symlink out of the root: %s -> ERR 2',
    async (name) => {
      expect(await serve(name)).toEqual(refused(2, 'outside the root via symlink'));
      expect(await serve(name.toUpperCase(), ci)).toEqual(refused(2, 'outside the root via symlink'));
    },
  );

  it('follows symlinks that stay inside the root', async () => {
    expect(await serve('link-in')).toBe('hello world\n');
    expect(await serve('dirlink-in/inner.bin')).toBe('inner');
  });

  it('B16-B17 empty, root, folders and a FIFO are refused without a crash or a hang', async () => {
    expect(await serve('')).toEqual(refused(4));
    expect(await serve('/')).toEqual(refused(1, 'names the root folder'));
    expect(await serve('sub')).toEqual(refused(1, 'is a folder'));
    expect(await serve('sub/')).toEqual(refused(1, 'is a folder'));
    expect(await serve('dirlink-in')).toEqual(refused(1, 'is a folder'));
    expect(await serve('hello.txt/x')).toEqual(refused(1));
    expect(await serve('fifo')).toEqual(refused(2, 'not a regular file'));
  });

  it('B18 long names and segments give ERR 2 or 1, never an ENAMETOOLONG crash', async () => {
    expect(await serve('x'.repeat(256))).toEqual(refused(2, 'name segment too long'));
    expect(await serve('y'.repeat(255))).toEqual(refused(1));
    expect(await serve(`${'q'.repeat(200)}/`.repeat(5))).toEqual(refused(1));
    expect(await serve('z'.repeat(4096))).toEqual(refused(2, 'name too long'));
  });

  it('B20 case-insensitive lookup: matches per segment, the exact name always wins', async () => {
    expect(await serve('boot/config.txt')).toEqual(refused(1));
    const r = await openForRead(root, '/BOOT/config.txt', ci);
    if (isRefusal(r)) throw new Error(r.reason);
    expect(r.relative).toBe('Boot/Config.TXT');
    expect(await readAndClose(r)).toBe('config');
    expect(await serve('twin.txt', ci)).toBe('lower');
    expect(await serve('TWIN.txt', ci)).toBe('upper');
    expect(await serve('Twin.TXT', ci)).toBe('upper'); // twins: the same one every time (sorted first)
    expect(await serve('HELLO.TXT', ci)).toBe('hello world\n');
    expect(await serve('nothing.txt', ci)).toEqual(refused(1));
  });

  it('B20 NFC and NFD spellings match under case-insensitive lookup', async () => {
    await fs.writeFile(path.join(root, 'cafe\u0301.txt'), 'nfd');
    try {
      expect(await serve('caf\u00e9.txt')).toEqual(refused(1));
      expect(await serve('CAF\u00c9.TXT', ci)).toBe('nfd');
    } finally {
      await fs.unlink(path.join(root, 'cafe\u0301.txt'));
    }
  });

  it('F9 missing root -> ERR 1 "root folder missing"; recreating it recovers', async () => {
    const gone = path.join(base, 'gone-root');
    expect(await serve('hello.txt', exact, gone)).toEqual(refused(1, 'root folder missing'));
    expect(await serve('hello.txt', exact, path.join(root, 'hello.txt'))).toEqual(
      refused(1, 'root folder missing'),
    );
    expect(await serve('hello.txt', exact, '')).toEqual(refused(1, 'root folder missing'));
    await fs.mkdir(gone);
    await fs.writeFile(path.join(gone, 'hello.txt'), 'back');
    expect(await serve('hello.txt', exact, gone)).toBe('back');
    await fs.rm(gone, { recursive: true });
  });

  it('works when the root itself is reached through a symlink', async () => {
    const alias = path.join(base, 'root-alias');
    await fs.symlink(root, alias);
    expect(await serve('hello.txt', exact, alias)).toBe('hello world\n');
    expect(await serve('link-out', exact, alias)).toEqual(refused(2, 'outside the root via symlink'));
  });

  it('B15 a file or folder swapped for a symlink between check and open never leaks the secret', async () => {
    // realpath() sees a regular file/folder, then a symlink out of the root takes its place before
    // open(): O_NOFOLLOW catches the file, the check of the opened fd's own path the folder. The
    // swapper runs on its own thread so the swaps land between the engine's awaits.
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const swapper = new Worker(
      `const fs = require('node:fs'); const path = require('node:path');
       const { root, stop } = require('node:worker_threads').workerData;
       const f = path.join(root, 'swapfile'), d = path.join(root, 'swapdir');
       const fileIn = path.join(root, '.swap-file-in'), fileOut = path.join(root, '.swap-file-out');
       const dirIn = path.join(root, '.swap-dir-in'), dirOut = path.join(root, '.swap-dir-out');
       const deadline = Date.now() + 20000;
       for (let i = 0; Atomics.load(stop, 0) === 0 && Date.now() < deadline; i++) {
         // files: atomic rename of a ready-made regular file or symlink over the name
         fs.writeFileSync(fileIn, 'inside'); fs.rmSync(fileOut, { force: true });
         fs.symlinkSync('../secret.txt', fileOut);
         fs.renameSync(i % 2 ? fileOut : fileIn, f);
         // folders: a real folder holding an inner secret.txt, or a symlink to the root's parent
         fs.rmSync(d, { force: true, recursive: true });
         if (i % 2) fs.symlinkSync('..', d);
         else { fs.mkdirSync(d); fs.writeFileSync(path.join(d, 'secret.txt'), 'inside'); }
       }`,
      { eval: true, workerData: { root, stop } },
    );
    const served: string[] = [];
    try {
      for (let i = 0; i < 1500; i++) {
        for (const name of ['swapfile', 'swapdir/secret.txt']) {
          const r = await serve(name);
          if (typeof r === 'string') served.push(r);
          else expect([1, 2]).toContain(r.code);
        }
      }
    } finally {
      Atomics.store(stop, 0, 1);
      await new Promise((resolve) => swapper.once('exit', resolve));
      for (const n of ['swapfile', 'swapdir', '.swap-file-in', '.swap-file-out']) {
        await fs.rm(path.join(root, n), { force: true, recursive: true });
      }
    }
    expect(served.filter((c) => c === SECRET)).toEqual([]);
    expect(served.length).toBeGreaterThan(0); // the race really reached open()
  }, 30_000);

  it('arbitrary names never open anything outside the root (property)', async () => {
    const token = fc.oneof(
      fc.constantFrom(
        '..',
        '.',
        '/',
        '\\',
        '//',
        'secret.txt',
        'SECRET.TXT',
        'link-out',
        'Link-Out',
        'dir-out',
      ),
      fc.constantFrom(
        'abs-link-out',
        'sub',
        'dirlink-in',
        'hello.txt',
        'outside',
        'secret2.txt',
        '%2e',
        'C:',
      ),
      fc.constantFrom(':', '\0', '．', '／', '\u2215', ' ', 'root', base.slice(1)),
      fc.string({ maxLength: 6 }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(token, { maxLength: 8 }), fc.boolean(), async (parts, caseInsensitive) => {
        const r = await openForRead(root, parts.join(''), { caseInsensitive });
        if (isRefusal(r)) {
          expect([1, 2, 4]).toContain(r.code);
          return;
        }
        const content = await readAndClose(r);
        expect(isInsideRoot(r.path)).toBe(true);
        expect(content).not.toBe(SECRET);
      }),
      { numRuns: 1500 },
    );
  }, 30_000);
});

describe('openForRead: permission denied is ERR 2 (F12)', () => {
  it('a file the server user cannot read -> ERR 2 "permission denied"', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tftp-perm-'));
    try {
      await fs.writeFile(path.join(dir, 'locked.bin'), 'x');
      await fs.chmod(path.join(dir, 'locked.bin'), 0o000);
      await fs.mkdir(path.join(dir, 'closed'));
      await fs.writeFile(path.join(dir, 'closed', 'f'), 'x');
      await fs.chmod(path.join(dir, 'closed'), 0o000);
      let results: unknown[];
      if (process.getuid?.() !== 0) {
        results = [await serve('locked.bin', exact, dir), await serve('closed/f', exact, dir)];
      } else {
        // Root ignores file modes, so run the same code as an unprivileged user in a child process.
        await fs.chmod(dir, 0o755);
        const bundle = path.join(dir, 'file-root.mjs');
        await build({
          entryPoints: [fileURLToPath(new URL('../../electron/tftp/file-root.ts', import.meta.url))],
          bundle: true,
          platform: 'node',
          format: 'esm',
          outfile: bundle,
          logLevel: 'silent',
        });
        const script =
          `const m = await import(${JSON.stringify('file://' + bundle)});` +
          `const out = [];for (const n of ['locked.bin', 'closed/f']) {` +
          `const r = await m.openForRead(${JSON.stringify(dir)}, n, { caseInsensitive: false });` +
          `if (r.ok) await r.handle.close(); out.push(r.ok ? 'OPENED' : r);}` +
          `console.log(JSON.stringify(out));`;
        const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
          uid: 65534,
          gid: 65534,
          cwd: dir,
          encoding: 'utf8',
          timeout: 20_000,
        });
        expect(child.stderr).toBe('');
        results = JSON.parse(child.stdout) as unknown[];
      }
      expect(results).toEqual([refused(2, 'permission denied'), refused(2, 'permission denied')]);
    } finally {
      await fs.chmod(path.join(dir, 'closed'), 0o755).catch(() => undefined);
      await fs.rm(dir, { recursive: true, force: true });
    }
  }, 30_000);
});

describe('resolveForWrite', () => {
  it('resolves a new and an existing file inside the root', async () => {
    expect(await resolveForWrite(root, '/new.bin', exact)).toEqual({
      ok: true,
      path: path.join(rootReal, 'new.bin'),
      relative: 'new.bin',
      exists: false,
    });
    expect(await resolveForWrite(root, 'sub\\inner.bin', exact)).toEqual({
      ok: true,
      path: path.join(rootReal, 'sub', 'inner.bin'),
      relative: 'sub/inner.bin',
      exists: true,
    });
    expect(await resolveForWrite(root, 'dirlink-in/x.bin', exact)).toMatchObject({
      path: path.join(rootReal, 'sub', 'x.bin'),
      exists: false,
    });
  });

  it('F6 a missing parent folder -> ERR 1, and nothing is created', async () => {
    expect(await resolveForWrite(root, 'new/dir/f.bin', exact)).toEqual(refused(1, 'parent folder missing'));
    await expect(fs.stat(path.join(root, 'new'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await resolveForWrite(root, 'hello.txt/f.bin', exact)).toEqual(refused(1));
  });

  it('refuses folders, symlinks and devices as targets, and parents outside the root', async () => {
    expect(await resolveForWrite(root, 'sub', exact)).toEqual(refused(2, 'target is a folder'));
    expect(await resolveForWrite(root, 'link-in', exact)).toEqual(refused(2, 'target is a symbolic link'));
    expect(await resolveForWrite(root, 'link-out', exact)).toEqual(refused(2, 'target is a symbolic link'));
    expect(await resolveForWrite(root, 'dir-out/new.bin', exact)).toEqual(
      refused(2, 'outside the root via symlink'),
    );
    expect(await resolveForWrite(root, 'DIR-OUT/secret2.txt', ci)).toEqual(
      refused(2, 'outside the root via symlink'),
    );
    expect(await resolveForWrite(root, 'fifo', exact)).toEqual(refused(2, 'not a regular file'));
  });

  it('applies every name rule', async () => {
    expect(await resolveForWrite(root, '../secret.txt', exact)).toEqual(
      refused(2, 'parent directory segment'),
    );
    expect(await resolveForWrite(root, 'C:\\x', exact)).toEqual(refused(2, 'drive letter'));
    expect(await resolveForWrite(root, 'LPT1.txt', exact)).toEqual(refused(2, 'reserved device name'));
    expect(await resolveForWrite(root, '/', exact)).toEqual(refused(1));
    expect(await resolveForWrite(root, '.a.0123456789abcdef.tftp-part', exact)).toEqual(
      refused(2, 'upload temp file'),
    );
    expect(await resolveForWrite(path.join(base, 'nope'), 'x', exact)).toEqual(
      refused(1, 'root folder missing'),
    );
  });

  it('B20 case-insensitive: an upload lands on the existing file, never a second "same" file', async () => {
    expect(await resolveForWrite(root, 'boot/CONFIG.txt', ci)).toEqual({
      ok: true,
      path: path.join(rootReal, 'Boot', 'Config.TXT'),
      relative: 'Boot/Config.TXT',
      exists: true,
    });
    expect(await resolveForWrite(root, 'BOOT/new.cfg', ci)).toMatchObject({
      relative: 'Boot/new.cfg',
      exists: false,
    });
    expect(await resolveForWrite(root, 'boot/new.cfg', exact)).toEqual(refused(1, 'parent folder missing'));
    expect(await resolveForWrite(root, 'TWIN.txt', ci)).toMatchObject({ relative: 'TWIN.txt' });
  });
});
