// Property tests of the path policy (electron/tftp/file-root.ts) with names built from the pieces
// attackers use: parent segments, both separators, drive and device prefixes, encodings, Unicode
// look-alikes, control characters, symlinks out of the root. Whatever the name: no exception, and
// an accepted name is a file inside the root (read) or a target whose folder is inside it (write).
import { mkdirSync, realpathSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkRequestName, openForRead, resolveForWrite } from '../../electron/tftp/file-root.js';
import { makeJail, type Jail } from './support/jail.js';

const PIECES = [
  '..',
  '.',
  '/',
  '\\',
  '//',
  '\\\\',
  'a',
  'sub',
  'b.txt',
  'secret.txt',
  'link-out',
  'dir-out',
  'link-in',
  'ok.txt',
  ':',
  'C:',
  'c:',
  '\\\\?\\',
  '\\\\.\\',
  'CON',
  'nul',
  'Com1',
  '.txt',
  '%2e',
  '%2f',
  '%00',
  '\u2215',
  '\uff0e',
  '\uff0f',
  '\u00e9',
  'e\u0301',
  '\0',
  '\x1b',
  '\r\n',
  ' ',
  '<',
  '|',
  '*',
  '$DATA',
  '.tftp-part',
  '.x.0123456789abcdef.tftp-part',
  'A'.repeat(120),
  'root',
];
const hostileName = fc
  .array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 10 })
  .map((p) => p.join(''));

let jail: Jail;
let rootReal: string;

beforeAll(() => {
  jail = makeJail({ 'ok.txt': 'ok\n', 'b.txt': 'b\n' });
  mkdirSync(path.join(jail.root, 'sub'));
  jail.put('sub/b.txt', 'sub b\n');
  symlinkSync('../secret.txt', path.join(jail.root, 'link-out'));
  symlinkSync('..', path.join(jail.root, 'dir-out'));
  symlinkSync('ok.txt', path.join(jail.root, 'link-in'));
  rootReal = realpathSync(jail.root);
});
afterAll(() => jail?.remove());

const inside = (p: string) => {
  const rel = path.relative(rootReal, p);
  return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
};

describe('path policy on hostile names', () => {
  it('checkRequestName never throws; an accepted name has only plain segments', () => {
    fc.assert(
      fc.property(fc.oneof(hostileName, fc.string({ maxLength: 300, unit: 'binary' })), (name) => {
        const r = checkRequestName(name);
        if (!r.ok) {
          expect([1, 2, 4]).toContain(r.code);
          expect(r.clientMessage).toMatch(/^[\x20-\x7e]{1,128}$/);
          if (name.length > 3) expect(r.clientMessage).not.toContain(name); // never echoed
          return;
        }
        expect(r.segments.length).toBeGreaterThan(0);
        for (const s of r.segments) {
          expect(['', '.', '..']).not.toContain(s);
          // eslint-disable-next-line no-control-regex -- control characters are what is looked for
          expect(s).not.toMatch(/[/\\:\x00-\x1f\x7f]/);
          expect(Buffer.byteLength(s)).toBeLessThanOrEqual(255);
        }
        expect(inside(path.resolve(rootReal, ...r.segments))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('openForRead never rejects; what it opens is a regular file inside the root, never the secret', async () => {
    const before = jail.snapshot();
    let opened = 0;
    await fc.assert(
      fc.asyncProperty(hostileName, fc.boolean(), async (name, caseInsensitive) => {
        const r = await openForRead(jail.root, name, { caseInsensitive });
        if (!r.ok) return;
        opened++;
        try {
          expect(inside(realpathSync(r.path))).toBe(true);
          const content = await r.handle.readFile();
          expect(content.includes(jail.secret.subarray(0, 32))).toBe(false);
        } finally {
          await r.handle.close();
        }
      }),
      { numRuns: 400 },
    );
    expect(opened, 'no generated name reached a file: the property tested nothing').toBeGreaterThan(0);
    expect(jail.changesSince(before)).toEqual([]);
  });

  it('resolveForWrite never rejects; an accepted target is inside the root and not a symlink or folder', async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(hostileName, fc.boolean(), async (name, caseInsensitive) => {
        const r = await resolveForWrite(jail.root, name, { caseInsensitive });
        if (!r.ok) return;
        accepted++;
        expect(inside(r.path)).toBe(true);
        expect(inside(path.join(realpathSync(path.dirname(r.path)), path.basename(r.path)))).toBe(true);
        expect(['link-out', 'dir-out', 'link-in', 'sub']).not.toContain(r.relative);
      }),
      { numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});
