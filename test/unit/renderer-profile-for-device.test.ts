// "Use a device profile for this device…", the pure part: which device a request came from, the
// matches offered for it (a client only when the fingerprint names one, a guess said as one), the
// rule that applies to it now (the engine's matcher: order, ranges, client rules), and the new
// rule going first with the same validation as Settings > Device profiles.
import { describe, expect, it } from 'vitest';
import type { ProfileRule } from '../../shared/device-profiles';
import type { SessionStartedEvent } from '../../shared/events';
import type { TftpClientKind } from '../../shared/tftp-types';
import {
  addRuleFirst,
  deviceOf,
  matchChoices,
  ruleFor,
  ruleText,
  type Device,
} from '../../renderer/lib/profile-for-device';

function started(
  peer: string,
  client: TftpClientKind,
  confidence: 'likely' | 'guess',
  extra: Partial<SessionStartedEvent> = {},
): SessionStartedEvent {
  return {
    type: 'session-started',
    time: 1,
    id: 's1',
    peer,
    file: 'a.bin',
    direction: 'download',
    mode: 'octet',
    options: { blksize: 512, windowsize: 1, timeout: 3 },
    request: { name: 'a.bin', mode: 'octet', options: [], client: { client, confidence, reasons: [] } },
    ...extra,
  };
}

describe('deviceOf', () => {
  it('reads the address without its port, IPv4-mapped peers as IPv4, and the fingerprint', () => {
    expect(deviceOf(started('10.0.0.7:1069', 'curl', 'likely'))).toEqual({
      address: '10.0.0.7',
      client: 'curl',
      guess: false,
    });
    expect(deviceOf(started('[::ffff:10.0.0.8]:1069', 'u-boot', 'guess'))).toEqual({
      address: '10.0.0.8',
      client: 'u-boot',
      guess: true,
    });
    expect(deviceOf(started('[2001:db8::7]:40000', 'unknown', 'guess'))).toEqual({
      address: '2001:db8::7',
      client: 'unknown',
      guess: false,
    });
  });

  it('has no device for a transfer we started ourselves', () => {
    const { request: _unused, ...noRequest } = started('10.0.0.7:69', 'curl', 'likely');
    expect(deviceOf(noRequest)).toBeUndefined();
    expect(deviceOf(started('10.0.0.7:69', 'curl', 'likely', { role: 'client' }))).toBeUndefined();
  });
});

describe('matchChoices', () => {
  it('offers the address, and the client only when the fingerprint names one', () => {
    expect(matchChoices({ address: '10.0.0.7', client: 'unknown', guess: false })).toEqual([
      { by: 'address', match: '10.0.0.7', text: 'This device only (10.0.0.7)' },
    ]);
    const likely = matchChoices({ address: '10.0.0.7', client: 'u-boot', guess: false });
    expect(likely[1]).toEqual({
      by: 'client',
      match: 'client:u-boot',
      text: 'Every client that looks like U-Boot',
    });
    const guess = matchChoices({ address: '10.0.0.7', client: 'curl', guess: true });
    expect(guess[1]?.text).toBe('Every client that looks like curl (a guess from this request)');
  });
});

describe('ruleFor', () => {
  const uBoot: Device = { address: '10.0.0.8', client: 'u-boot', guess: false };
  const rules: ProfileRule[] = [
    { match: '10.0.1.0/24', profile: 'cisco-rommon' },
    { match: 'client:u-boot', profile: 'old-u-boot' },
    { match: '10.0.0.0/24', profile: 'no-tsize' },
  ];

  it('names the first rule that matches, by client or by range, as the engine decides', () => {
    const m = ruleFor(rules, uBoot);
    expect(m?.index).toBe(1);
    expect(m && ruleText(m)).toBe('rule 2: client U-Boot → Old U-Boot');
    const other = ruleFor(rules, { ...uBoot, client: 'ipxe' });
    expect(other && ruleText(other)).toBe('rule 3: 10.0.0.0/24 → No tsize');
    expect(ruleFor(rules, { address: '192.0.2.1', client: 'curl', guess: false })).toBeUndefined();
    expect(ruleFor(undefined, uBoot)).toBeUndefined();
  });
});

describe('addRuleFirst', () => {
  const rules: ProfileRule[] = [
    { match: '10.0.0.0/24', profile: 'no-tsize' },
    { match: '10.0.0.8', profile: 'no-windowsize' },
  ];

  it('puts the rule first, so it wins over a range that also covers the device', () => {
    const edit = addRuleFirst(rules, 'client:curl', 'no-tsize');
    expect(edit).toEqual({
      ok: true,
      rules: [{ match: 'client:curl', profile: 'no-tsize' }, ...rules],
      replaced: [],
    });
    if (edit.ok)
      expect(ruleFor(edit.rules, { address: '10.0.0.5', client: 'curl', guess: false })?.index).toBe(0);
  });

  it('replaces a rule with the same match, and the one that applied when asked', () => {
    expect(addRuleFirst(rules, '10.0.0.8', 'old-u-boot')).toEqual({
      ok: true,
      rules: [{ match: '10.0.0.8', profile: 'old-u-boot' }, rules[0]],
      replaced: [rules[1]],
    });
    expect(addRuleFirst(rules, 'client:u-boot', 'old-u-boot', 0)).toEqual({
      ok: true,
      rules: [{ match: 'client:u-boot', profile: 'old-u-boot' }, rules[1]],
      replaced: [rules[0]],
    });
  });

  it('refuses what Settings refuses: a bad match, an unknown profile, one rule too many', () => {
    expect(addRuleFirst(rules, 'client:unknown', 'no-tsize')).toEqual({
      ok: false,
      error: expect.stringMatching(/is not a client kind/),
    });
    expect(addRuleFirst(rules, '10.0.0.8', 'no-such')).toEqual({
      ok: false,
      error: expect.stringMatching(/"no-such" is not a profile/),
    });
    const full = Array.from({ length: 200 }, (_, i) => ({
      match: `10.1.${i >> 8}.${i & 255}`,
      profile: 'no-tsize',
    }));
    expect(addRuleFirst(full, '10.0.0.8', 'no-tsize')).toEqual({ ok: false, error: 'At most 200 rules.' });
    // replacing one keeps the count: allowed
    expect(addRuleFirst(full, '10.0.0.8', 'no-tsize', 0).ok).toBe(true);
  });
});
