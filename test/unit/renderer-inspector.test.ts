// The request inspector's rows and the mapping rule editing, pure: rows folded from real session
// events by the app's own fold, escaping, filtering, and rule lines that the engine's parser reads
// back as the rule meant.
import { describe, expect, it } from 'vitest';
import { failedSessionEvent, type EngineEvent, type SessionStartedEvent } from '../../shared/events';
import { applySessionEvents, emptySessions } from '../../shared/session-fold';
import type { RequestAsSent } from '../../shared/tftp-types';
import { applyNameMap, parseNameMap } from '../../electron/tftp/name-map';
import {
  clientLabel,
  filterRequests,
  inspectorRows,
  optionsText,
} from '../../renderer/lib/request-inspector';
import {
  describeProbe,
  escapeRuleField,
  exactRuleLine,
  moveRule,
  putRule,
  removeRule,
  withExactRule,
} from '../../renderer/lib/name-map-rules';

const CURL: RequestAsSent['client'] = {
  client: 'curl',
  confidence: 'likely',
  reasons: ['tsize, blksize, timeout'],
};

function started(
  id: string,
  time: number,
  name: string,
  extra: Partial<RequestAsSent> = {},
): SessionStartedEvent {
  return {
    type: 'session-started',
    time,
    id,
    peer: `10.0.0.${time}:2000`,
    file: name,
    direction: 'download',
    mode: 'octet',
    options: { blksize: 512, windowsize: 1, timeout: 6 },
    request: {
      name,
      mode: 'OCTET',
      options: [
        { name: 'tsize', value: '0' },
        { name: 'BLKSIZE', value: '512' },
      ],
      client: CURL,
      ...extra,
    },
  };
}

const finished = (id: string, time: number): EngineEvent => ({
  type: 'session-finished',
  time,
  id,
  stats: { bytes: 10, durationMs: 1, averageRate: 10, retransmits: 0, sha256: 'ab' },
});

function fold(events: EngineEvent[]) {
  return applySessionEvents(emptySessions, events);
}

describe('inspectorRows', () => {
  const events: EngineEvent[] = [
    started('a', 1, 'Recovery.BIN'),
    {
      ...failedSessionEvent({
        time: 1,
        id: 'a',
        code: 1,
        message: 'File not found',
        reason: 'file not found',
      }),
      suggestions: [{ file: 'recovery.bin', reason: 'case' }],
    },
    started('b', 2, 'up.cfg'),
    failedSessionEvent({
      time: 2,
      id: 'b',
      code: 2,
      message: 'Uploads are disabled',
      reason: 'uploads are disabled',
    }),
    started('c', 3, 'Recovery.BIN', { mapped: { to: 'recovery.bin', rule: 'e Recovery.BIN recovery.bin' } }),
    finished('c', 9),
    started('d', 4, 'big.img'),
    failedSessionEvent({ time: 8, id: 'd', code: 0, message: 'Transfer timed out', by: 'timeout', bytes: 5 }),
    started('e', 5, 'live\u001b[31m.bin'),
  ];

  it('lists every request newest first, with its answer and why', () => {
    const rows = inspectorRows(fold(events));
    expect(rows.map((r) => [r.id, r.answer])).toEqual([
      ['e', 'serving'],
      ['d', 'failed'],
      ['c', 'served'],
      ['b', 'refused'],
      ['a', 'not-found'],
    ]);
    const [e, d, c, b, a] = rows;
    expect(a).toMatchObject({
      rawName: 'Recovery.BIN',
      mode: 'OCTET',
      options: 'tsize=0 BLKSIZE=512',
      why: 'file not found (error 1)',
      suggestions: [{ file: 'recovery.bin', reason: 'case' }],
      client: { text: 'curl', guess: false },
    });
    expect(b?.why).toBe('uploads are disabled (error 2)');
    expect(c?.mapped).toEqual({ to: 'recovery.bin', rule: 'e Recovery.BIN recovery.bin' });
    expect(d?.why).toBe('timed out: Transfer timed out (error 0)');
    // a name from the network is shown escaped; the raw one is kept for the rule a click adds
    expect(e?.name).toBe('live\\x1b[31m.bin');
    expect(e?.rawName).toBe('live\u001b[31m.bin');
  });

  it('keeps a row the same object while its session does not change, and skips sessions with no request', () => {
    const state = fold(events);
    const progressed = applySessionEvents(state, [
      { type: 'session-progress', time: 6, id: 'e', bytes: 100, rate: 10, retransmits: 0 },
    ]);
    const before = inspectorRows(state);
    const after = inspectorRows(progressed);
    after.forEach((row, i) => expect(row).toBe(before[i]));
    const own = started('f', 7, 'x');
    delete own.request;
    expect(inspectorRows(applySessionEvents(state, [own])).map((r) => r.id)).not.toContain('f');
  });

  it('filters by every word typed, over peer, name, client and answer, and by kind', () => {
    const rows = inspectorRows(fold(events));
    expect(filterRequests(rows, '').length).toBe(5);
    expect(filterRequests(rows, '10.0.0.2').map((r) => r.id)).toEqual(['b']);
    expect(filterRequests(rows, 'recovery NOT found').map((r) => r.id)).toEqual(['a']);
    expect(filterRequests(rows, 'curl').length).toBe(5);
    expect(filterRequests(rows, '', 'problems').map((r) => r.id)).toEqual(['d', 'b', 'a']);
    expect(filterRequests(rows, '', 'mapped').map((r) => r.id)).toEqual(['c']);
    expect(filterRequests(rows, 'nothing-like-this')).toEqual([]);
  });
});

describe('client labels and options', () => {
  it('labels a guess as a guess, and unknown as unknown', () => {
    expect(clientLabel({ client: 'u-boot', confidence: 'likely', reasons: ['r'] })).toEqual({
      text: 'U-Boot',
      guess: false,
      reasons: ['r'],
    });
    expect(clientLabel({ client: 'curl', confidence: 'guess', reasons: [] }).text).toBe(
      'probably curl (guess)',
    );
    expect(clientLabel({ client: 'unknown', confidence: 'guess', reasons: ['no options'] })).toMatchObject({
      text: 'unknown client',
      guess: false,
    });
  });

  it('shows options in the order and spelling sent, escaped', () => {
    expect(optionsText([])).toBe('');
    expect(
      optionsText([
        { name: 'BlkSize', value: '1468' },
        { name: 'x\u202e', value: '\n' },
      ]),
    ).toBe('BlkSize=1468 x\\u202e=\\n');
  });
});

describe('mapping rule lines', () => {
  it('writes an exact rule the engine reads back as meant, spaces and backslashes included', () => {
    for (const [name, file] of [
      ['Recovery.BIN', 'recovery.bin'],
      ['pxelinux.cfg\\default', 'pxelinux.cfg/default'],
      ['my file.bin', 'images/my file.bin'],
      ['a\\ b', 'c\\\\d'],
      ['#hash', '""'],
    ] as const) {
      const line = exactRuleLine(name, file);
      expect(line).toBeDefined();
      const parsed = parseNameMap(line as string);
      expect(parsed.ok, line).toBe(true);
      if (!parsed.ok) continue;
      expect(applyNameMap(parsed.rules, { name, kind: 'rrq', address: '10.0.0.1' }).name).toBe(file);
    }
    expect(escapeRuleField('a b\\c')).toBe('a\\ b\\\\c');
    expect(exactRuleLine('a\tb', 'x')).toBeUndefined();
    expect(exactRuleLine('', 'x')).toBeUndefined();
  });

  it('puts a one-click rule first and replaces an earlier exact rule for the same name', () => {
    const parsed = parseNameMap('r ^X(.*) \\1\ne Recovery.BIN old.bin\ne other.bin x.bin');
    if (!parsed.ok) throw new Error('rules');
    expect(withExactRule(parsed.rules, 'Recovery.BIN', 'recovery.bin')).toEqual([
      'e Recovery.BIN recovery.bin',
      'r ^X(.*) \\1',
      'e other.bin x.bin',
    ]);
    expect(withExactRule(undefined, 'a', 'b')).toEqual(['e a b']);
    expect(withExactRule([], 'a\u0000', 'b')).toBeUndefined();
  });

  it('moves, removes and adds rules', () => {
    const lines = ['a', 'b', 'c'];
    expect(moveRule(lines, 2, -1)).toEqual(['a', 'c', 'b']);
    expect(moveRule(lines, 0, -1)).toEqual(lines);
    expect(moveRule(lines, 0, 5)).toEqual(['b', 'c', 'a']);
    expect(removeRule(lines, 1)).toEqual(['a', 'c']);
    expect(putRule(lines, '  d  ')).toEqual(['a', 'b', 'c', 'd']);
    expect(putRule(lines, 'B', 1)).toEqual(['a', 'B', 'c']);
  });
});

describe('describeProbe', () => {
  it('says which rule matched and where the name lands, or why the server refuses it', () => {
    expect(
      describeProbe({
        ok: true,
        mapped: 'u-boot.img',
        matched: ['ri ^[0-9a-f]{8}\\.img$ u-boot.img'],
        resolved: { ok: true, file: 'u-boot.img', size: 7, exists: true },
      }),
    ).toEqual({
      matched: 'ri ^[0-9a-f]{8}\\.img$ u-boot.img → u-boot.img',
      outcome: 'Served: u-boot.img (7 bytes), inside the served folder.',
      tone: 'ok',
    });
    const refused = describeProbe({
      ok: true,
      mapped: '../etc/passwd',
      matched: ['e x ../etc/passwd'],
      resolved: { ok: false, code: 2, reason: 'parent directory segment' },
    });
    expect(refused.tone).toBe('error');
    expect(refused.outcome).toMatch(/^Refused: parent directory segment \(error 2\)/);
    expect(
      describeProbe({
        ok: true,
        mapped: 'n',
        matched: [],
        resolved: { ok: false, code: 1, reason: 'file not found' },
      }),
    ).toMatchObject({ matched: 'No rule matches: the name is looked up as sent.', tone: 'warn' });
  });
});
