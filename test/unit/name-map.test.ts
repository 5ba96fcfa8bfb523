import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import path from 'node:path';
import { applyNameMap, parseNameMap } from '../../electron/tftp/name-map.js';
import { checkRequestName } from '../../electron/tftp/file-root.js';
import { validateSettings, type NameMapRule } from '../../shared/settings.js';

function rules(text: string): NameMapRule[] {
  const p = parseNameMap(text);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.rules;
}

const EXAMPLE = String.raw`
# Cisco phones ask for their own file first; answer every one with the default
r ^SEP[0-9A-F]{12}\.cnf\.xml$ XMLDefault.cnf.xml
# U-Boot without a boot file asks for <its IP in hex>.img
rG ^[0-9A-F]{8}\.img$ images/uImage-\x
# pxelinux walks MAC, hex IP prefixes, then default: send every board the same menu
ri ^pxelinux\.cfg/(01-[0-9a-f-]+|[0-9A-F]{1,8})$ pxelinux.cfg/default
e \Boot\BCD boot/bcd
re ^/+ ""
e my\ file.txt other\ file.txt
r ^(\w+)-(\w+)\.bin$ \2/\1.bin
`;

describe('parseNameMap', () => {
  it('reads every rule form, keeping line numbers and the source text', () => {
    const r = rules(EXAMPLE);
    expect(r.map((x) => [x.kind, x.line])).toEqual([
      ['pattern', 3],
      ['pattern', 5],
      ['pattern', 7],
      ['exact', 8],
      ['pattern', 9],
      ['exact', 10],
      ['pattern', 11],
    ]);
    expect(r[3]).toMatchObject({ name: '\\Boot\\BCD', file: 'boot/bcd', source: 'e \\Boot\\BCD boot/bcd' });
    expect(r[5]).toMatchObject({ name: 'my file.txt', file: 'other file.txt' });
    expect(validateSettings({ nameMap: r })).toEqual({});
  });

  it.each([
    ['x foo bar', 1, /starts with e \(exact\) or r \(pattern\)/],
    ['r onlyone', 1, /needs a REGEX and a REPLACEMENT/],
    ['e name', 1, /needs a NAME and a FILE/],
    ['r a b c', 1, /too many fields/],
    ['rz a b', 1, /unknown flag/],
    ['eg a b', 1, /unknown flag/],
    ['# ok\n\nr (unclosed x', 3, /bad regular expression/],
    ['r ^(a)$ \\2', 1, /\\2 names a group the pattern does not have \(it has 1\)/],
  ])('%j is refused on line %i', (text, line, message) => {
    const p = parseNameMap(text);
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.errors[0]?.line).toBe(line);
    expect(p.errors[0]?.message).toMatch(message);
  });

  it('reports every bad line, and then uses no rule', () => {
    const p = parseNameMap('r a b\nbad\ne x y\nr ( z');
    expect(p.ok ? [] : p.errors.map((e) => e.line)).toEqual([2, 4]);
  });

  it('never throws, whatever the text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => void parseNameMap(text)));
  });
});

describe('applyNameMap', () => {
  const map = rules(EXAMPLE);
  const at = (name: string, kind: 'rrq' | 'wrq' = 'rrq', address = '192.168.1.100') =>
    applyNameMap(map, { name, kind, address });

  it.each([
    ['SEP001122AABBCC.cnf.xml', 'XMLDefault.cnf.xml'],
    ['C0A80164.img', 'images/uImage-C0A80164'],
    ['pxelinux.cfg/01-00-11-22-33-44-55', 'pxelinux.cfg/default'],
    ['PXELINUX.CFG/C0A801', 'pxelinux.cfg/default'],
    ['\\Boot\\BCD', 'boot/bcd'],
    ['//kernel', 'kernel'],
    ['my file.txt', 'other file.txt'],
    ['board-rev2.bin', 'rev2/board.bin'],
    ['untouched.bin', 'untouched.bin'],
  ])('%s -> %s', (name, mapped) => {
    expect(at(name).name).toBe(mapped);
  });

  it('names the rules that changed the name', () => {
    expect(at('SEP001122AABBCC.cnf.xml').rules).toEqual([
      String.raw`r ^SEP[0-9A-F]{12}\.cnf\.xml$ XMLDefault.cnf.xml`,
    ]);
    expect(at('untouched.bin').rules).toEqual([]);
  });

  it('keeps read-only and write-only rules to their direction', () => {
    expect(at('C0A80164.img', 'wrq').name).toBe('C0A80164.img');
    const writes = rules('rP ^up/ incoming/');
    expect(applyNameMap(writes, { name: 'up/a', kind: 'wrq', address: '::1' }).name).toBe('incoming/a');
    expect(applyNameMap(writes, { name: 'up/a', kind: 'rrq', address: '::1' }).name).toBe('up/a');
  });

  it('fills \\i, \\x and \\0; \\x is empty for an IPv6 client', () => {
    const r = rules(String.raw`r ^.*$ by-ip/\i/\x/\0`);
    expect(applyNameMap(r, { name: 'a', kind: 'rrq', address: '::ffff:10.0.0.1' }).name).toBe(
      'by-ip/10.0.0.1/0A000001/a',
    );
    expect(applyNameMap(r, { name: 'a', kind: 'rrq', address: 'fe80::1' }).name).toBe('by-ip/fe80::1//a');
  });

  it('runs rules in order until one that ends the chain', () => {
    const r = rules('r a b\nre b c\nr c d');
    expect(applyNameMap(r, { name: 'a', kind: 'rrq', address: '1.2.3.4' })).toEqual({
      name: 'c',
      rules: ['r a b', 're b c'],
    });
  });

  it('g replaces every match, without it only the first', () => {
    expect(applyNameMap(rules(String.raw`rg \\ /`), { name: 'a\\b\\c', kind: 'rrq', address: '' }).name).toBe(
      'a/b/c',
    );
    expect(applyNameMap(rules(String.raw`r \\ /`), { name: 'a\\b\\c', kind: 'rrq', address: '' }).name).toBe(
      'a/b\\c',
    );
  });
});

// A rule can produce any text at all; what matters is that file-root confines it like a name
// sent by a client: every accepted result is a path inside the root.
describe('mapped names stay inside the root', () => {
  const root = path.resolve('/srv/tftp');
  const piece = fc.constantFrom(
    '..',
    '.',
    '/',
    '\\',
    'a',
    'b',
    'C:',
    '\\\\host\\',
    '%2e',
    '\\0',
    '\\1',
    '\\i',
    'x',
  );
  const text = fc.array(piece, { maxLength: 8 }).map((a) => a.join(''));
  const rule = fc.oneof(
    fc.tuple(text, text).map(([from, to]) => `r ${escapeRegex(from) || '^'} ${blank(to)}`),
    fc.tuple(text, text).map(([from, to]) => `rg (.) ${blank(to)}${blank(from)}`),
    fc.tuple(text, text).map(([from, to]) => `e ${blank(from)} ${blank(to)}`),
  );

  it('for any rules and any name', () => {
    fc.assert(
      fc.property(fc.array(rule, { maxLength: 6 }), text, (lines, name) => {
        const p = parseNameMap(lines.join('\n'));
        if (!p.ok) return;
        const mapped = applyNameMap(p.rules, { name, kind: 'rrq', address: '10.0.0.1' });
        const safe = checkRequestName(mapped.name);
        if (!safe.ok) return;
        const full = path.resolve(root, ...safe.segments);
        expect(full === root || full.startsWith(root + path.sep)).toBe(true);
        expect(safe.segments).not.toContain('..');
      }),
      { numRuns: 2000 },
    );
  });
});

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A field may not be empty or hold a blank: an empty one becomes "x", blanks are escaped. */
function blank(s: string): string {
  return s === '' ? 'x' : s.replace(/ /g, '\\ ');
}

describe('the README example', () => {
  it('parses, and answers the names it promises', async () => {
    const { readFile } = await import('node:fs/promises');
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const block = /```\n(# Cisco IP phones[\s\S]*?)```/.exec(readme)?.[1] ?? '';
    const r = rules(block);
    const map = (name: string, kind: 'rrq' | 'wrq' = 'rrq') =>
      applyNameMap(r, { name, kind, address: '192.168.1.100' }).name;
    expect(map('SEP00AABBCCDDEE.cnf.xml')).toBe('XMLDefault.cnf.xml');
    expect(map('C0A80164.img')).toBe('boards/C0A80164/uImage');
    expect(map('C0A80164.img', 'wrq')).toBe('C0A80164.img');
    expect(map('pxelinux.cfg/01-00-11-22-33-44-55')).toBe('pxelinux.cfg/default');
    expect(map('pxelinux.cfg/C0A8016')).toBe('pxelinux.cfg/default');
    expect(map('pxelinux.cfg/default')).toBe('pxelinux.cfg/default');
    expect(map('\\Boot\\BCD')).toBe('boot/bcd');
  });
});

describe('validateSettings: nameMap', () => {
  const ok: NameMapRule = { kind: 'exact', name: 'a', file: 'b', flags: '', line: 1, source: 'e a b' };
  it.each([
    ['not a list', 'e a b', /must be a list/],
    [
      'a bad pattern',
      [{ kind: 'pattern', pattern: '(', replacement: 'x', flags: '', line: 4, source: 'r ( x' }],
      /line 4: the pattern is not a valid/,
    ],
    ['an unknown kind', [{ ...ok, kind: 'other' }], /neither an exact name nor a pattern/],
    ['an exact rule without a file', [{ ...ok, file: '' }], /needs a name and a file/],
    ['too many rules', Array.from({ length: 501 }, () => ok), /At most 500/],
  ])('refuses %s', (_, nameMap, message) => {
    expect(validateSettings({ nameMap: nameMap as NameMapRule[] }).nameMap).toMatch(message);
  });
});
