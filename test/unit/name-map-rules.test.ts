// Name mapping rules as the UI keeps them (one rule a line): the list parser the app saves with,
// the settings file's migration (each rule parsed again from its text), and the calls' argument checks.
import { describe, expect, it } from 'vitest';
import { parseRuleList } from '../../electron/tftp/name-map.js';
import { migrateNameMap, migrateSettings } from '../../electron/app/settings-migrate.js';
import { checkInvoke } from '../../electron/app/invoke-args.js';
import { MAX_NAME_MAP_RULES } from '../../shared/settings.js';

describe('parseRuleList', () => {
  it('parses one rule an entry, numbered by position', () => {
    const p = parseRuleList(['e a.bin b.bin', 'ri ^X(.*) y\\1']);
    expect(p).toMatchObject({
      ok: true,
      rules: [
        { kind: 'exact', name: 'a.bin', file: 'b.bin', line: 1, source: 'e a.bin b.bin' },
        { kind: 'pattern', pattern: '^X(.*)', replacement: 'y\\1', flags: 'i', line: 2 },
      ],
    });
    expect(parseRuleList([])).toEqual({ ok: true, rules: [] });
  });

  it('names every bad entry by its index, with the reason', () => {
    const p = parseRuleList(['e a b', '', '# note', 'e x\ny z', 'q a b', 'r ( z', 'r a \\2']);
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.errors.map((e) => e.index)).toEqual([1, 2, 3]);
    expect(p.errors[0]?.message).toMatch(/empty rule/);
    expect(p.errors[2]?.message).toMatch(/one line/);
    const later = parseRuleList(['e a b', 'q a b', 'r ( z', 'r a \\2']);
    expect(later).toMatchObject({
      ok: false,
      errors: [
        { index: 1, message: expect.stringMatching(/unknown rule "q"/) },
        { index: 2, message: expect.stringMatching(/bad regular expression/) },
        { index: 3, message: expect.stringMatching(/names a group the pattern does not have/) },
      ],
    });
  });
});

describe('settings migration: nameMap', () => {
  const rule = (source: string) => ({ kind: 'exact', name: '?', file: '?', flags: '', line: 9, source });

  it('defaults to no rules, for a file from before mapping existed', () => {
    expect(migrateSettings({ port: 6969 }).nameMap).toEqual([]);
  });

  it('parses each stored rule again from its text and drops only the ones that no longer parse', () => {
    const s = migrateSettings({
      nameMap: [rule('e a.bin images/a.bin'), rule('e broken'), 'junk', null, rule('r ^b(.*) c\\1')],
    });
    expect(s.nameMap).toMatchObject([
      { kind: 'exact', name: 'a.bin', file: 'images/a.bin', line: 1 },
      { kind: 'pattern', pattern: '^b(.*)', replacement: 'c\\1', line: 2 },
    ]);
    expect(migrateNameMap('e a b')).toEqual([]);
    expect(migrateNameMap(Array.from({ length: MAX_NAME_MAP_RULES + 5 }, () => rule('e a b')))).toHaveLength(
      MAX_NAME_MAP_RULES,
    );
  });
});

describe('mapping calls: argument checks', () => {
  it('setNameMap takes a list of rule lines', () => {
    expect(checkInvoke('setNameMap', [['e a b']])).toMatchObject({ ok: true });
    expect(checkInvoke('setNameMap', [[]])).toMatchObject({ ok: true });
    expect(checkInvoke('setNameMap', ['e a b'])).toMatchObject({ ok: false });
    expect(checkInvoke('setNameMap', [[1]])).toMatchObject({ ok: false });
    expect(checkInvoke('setNameMap', [['x'.repeat(5000)]])).toMatchObject({ ok: false });
    expect(checkInvoke('setNameMap', [Array(MAX_NAME_MAP_RULES + 1).fill('e a b')])).toMatchObject({
      ok: false,
    });
  });

  it('testNameMap takes a sample name and optional rules, address and kind', () => {
    expect(checkInvoke('testNameMap', [{ name: 'a' }])).toMatchObject({ ok: true });
    expect(
      checkInvoke('testNameMap', [{ name: 'a', rules: ['e a b'], address: '10.0.0.2', kind: 'wrq' }]),
    ).toMatchObject({ ok: true });
    expect(checkInvoke('testNameMap', [{}])).toMatchObject({ ok: false });
    expect(checkInvoke('testNameMap', [{ name: 'a', kind: 'x' }])).toMatchObject({ ok: false });
    expect(checkInvoke('testNameMap', [{ name: 'a', rules: 'e a b' }])).toMatchObject({ ok: false });
    expect(checkInvoke('testNameMap', [{ name: 'a', evil: 1 }])).toEqual({
      ok: false,
      error: 'Unknown sample field "evil".',
    });
  });
});
