import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BUILT_IN_PROFILES,
  findProfile,
  parseProfileMatch,
  parseProfileRule,
  profileRulesProblem,
  type DeviceProfile,
} from '../../shared/device-profiles.js';
import { ENGINE_DEFAULTS, validateSettings } from '../../shared/settings.js';
import { admitRequest, type Quirks } from '../../electron/tftp/admission.js';
import { negotiate, type NegotiationRequest } from '../../electron/tftp/options.js';
import { ProfileMatcher } from '../../shared/profile-match.js';

const limits = { maxBlksize: 1468, maxWindowsize: 64, defaultTimeout: 3 };
const opts = (...pairs: [string, string][]) => pairs.map(([name, value]) => ({ name, value }));
const profile = (id: string): DeviceProfile => findProfile(id) as DeviceProfile;

/** A request as the codec gives it (names lower-cased) plus the spelling on the wire. */
function request(kind: 'rrq' | 'wrq', asSent: [string, string][], readSize?: number): NegotiationRequest {
  const wire = opts(...asSent);
  return {
    kind,
    options: wire.map((o) => ({ name: o.name.toLowerCase(), value: o.value })),
    asSent: wire,
    ...(readSize !== undefined ? { readSize } : {}),
  };
}

// U-Boot net/tftp.c tftp_send(): timeout, tsize, blksize, windowsize in that order.
const uBoot: [string, string][] = [
  ['timeout', '5'],
  ['tsize', '0'],
  ['blksize', '1468'],
  ['windowsize', '8'],
];

describe('built-in profiles', () => {
  it('each has a unique id, a name and a one-sentence reason', () => {
    const ids = BUILT_IN_PROFILES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const p of BUILT_IN_PROFILES) {
      expect(p.name.length).toBeGreaterThan(0);
      expect(p.reason).toMatch(/^[A-Z"'].*\.$/);
      expect(p.reason.split(/\. [A-Z]/)).toHaveLength(1);
    }
    expect(ids).toEqual(
      expect.arrayContaining(['old-u-boot', 'cisco-rommon', 'strict-pxe', 'plain-rfc1350']),
    );
  });
});

describe('profile rules: parsing and validation', () => {
  it.each([
    ['10.0.0.5', { kind: 'address', text: '10.0.0.5' }],
    ['10.0.0.0/24', { kind: 'address', text: '10.0.0.0/24' }],
    ['fe80::/10', { kind: 'address', text: 'fe80::/10' }],
    ['10.0.0.10-10.0.0.20', { kind: 'range', from: '10.0.0.10', to: '10.0.0.20' }],
    ['client:u-boot', { kind: 'client', client: 'u-boot' }],
  ])('%s', (text, want) => {
    expect(parseProfileMatch(text)).toEqual(want);
  });

  it.each([
    ['10.0.0.300', /not an address/],
    ['10.0.0.0/33', /not an address/],
    ['10.0.0.1-fe80::1', /mixes/],
    ['10.0.0.1-x', /not a range/],
    ['client:toaster', /not a client kind/],
    ['client:unknown', /not a client kind/],
    ['', /not an address/],
  ])('refuses %s with a clear message', (text, message) => {
    const m = parseProfileMatch(text);
    expect('error' in m && m.error).toMatch(message);
  });

  it('parses the CLI form MATCH=PROFILE and names what is wrong', () => {
    expect(parseProfileRule('10.0.0.0/24=old-u-boot')).toEqual({
      match: '10.0.0.0/24',
      profile: 'old-u-boot',
    });
    expect(parseProfileRule('client:u-boot=old-u-boot')).toEqual({
      match: 'client:u-boot',
      profile: 'old-u-boot',
    });
    expect(parseProfileRule('10.0.0.0/24')).toEqual({ error: expect.stringMatching(/MATCH=PROFILE/) });
    expect(parseProfileRule('10.0.0.0/24=')).toEqual({ error: expect.stringMatching(/MATCH=PROFILE/) });
    expect(parseProfileRule('10.0.0.0/24=fast')).toEqual({
      error: expect.stringMatching(/"fast" is not a profile/),
    });
  });

  it('validates a settings list, naming the bad rule', () => {
    expect(profileRulesProblem([{ match: '10.0.0.1', profile: 'strict-pxe' }])).toBeUndefined();
    expect(profileRulesProblem('x')).toMatch(/must be a list/);
    expect(profileRulesProblem([{ match: '10.0.0.1', profile: 'strict-pxe' }, { match: 'x' }])).toMatch(
      /^Rule 2: /,
    );
    expect(validateSettings({ profiles: [{ match: 'client:curl', profile: 'nope' }] }).profiles).toMatch(
      /not a profile/,
    );
    expect(validateSettings({ profiles: [] })).toEqual({});
  });
});

describe('ProfileMatcher: first matching rule wins', () => {
  const matcher = new ProfileMatcher([
    { match: '10.0.0.7', profile: 'plain-rfc1350' },
    { match: '10.0.0.0/24', profile: 'old-u-boot' },
    { match: '10.0.1.10-10.0.1.20', profile: 'cisco-rommon' },
    { match: '2001:db8::/32', profile: 'no-tsize' },
    { match: 'client:ipxe', profile: 'strict-pxe' },
  ]);
  it.each([
    ['10.0.0.7', 'u-boot', 'plain-rfc1350'],
    ['10.0.0.8', 'ipxe', 'old-u-boot'],
    ['::ffff:10.0.0.9', 'unknown', 'old-u-boot'],
    ['10.0.1.10', 'unknown', 'cisco-rommon'],
    ['10.0.1.20', 'unknown', 'cisco-rommon'],
    ['10.0.1.21', 'unknown', undefined],
    ['10.0.1.9', 'ipxe', 'strict-pxe'],
    ['2001:db8::5', 'unknown', 'no-tsize'],
    ['fe80::1%eth0', 'unknown', undefined],
    ['not an address', 'ipxe', 'strict-pxe'],
  ] as const)('%s (%s) -> %s', (address, client, want) => {
    expect(matcher.match(address, client)?.id).toBe(want);
  });

  it('reads a range given high to low, and skips rules that do not parse', () => {
    const m = new ProfileMatcher([
      { match: 'garbage', profile: 'old-u-boot' },
      { match: '10.0.0.1', profile: 'no-such-profile' },
      { match: '10.0.0.20-10.0.0.10', profile: 'no-tsize' },
    ]);
    expect(m.match('10.0.0.1', 'unknown')).toBeUndefined();
    expect(m.match('10.0.0.15', 'unknown')?.id).toBe('no-tsize');
    expect(new ProfileMatcher(undefined).match('10.0.0.1', 'u-boot')).toBeUndefined();
  });
});

describe('negotiate under a profile', () => {
  it('without a profile: the server limits, names lower-cased', () => {
    const n = negotiate(
      request(
        'rrq',
        [
          ['BLKSIZE', '1468'],
          ['TSize', '0'],
        ],
        900,
      ),
      limits,
    );
    expect(n.oack).toEqual(opts(['blksize', '1468'], ['tsize', '900']));
  });

  it('plain RFC 1350 / Cisco ROMMON: no OACK, 512-byte blocks, window 1, default timeout', () => {
    for (const id of ['plain-rfc1350', 'cisco-rommon']) {
      const n = negotiate(request('rrq', uBoot, 900), limits, profile(id));
      expect(n).toEqual({ blksize: 512, windowsize: 1, timeout: 3, oack: [] });
      const w = negotiate(request('wrq', [['tsize', '5000']]), limits, profile(id));
      expect(w.oack).toEqual([]);
      expect(w.tsize).toBeUndefined();
    }
  });

  it('old U-Boot: timeout as asked, no windowsize, names as spelled, blksize as asked', () => {
    const n = negotiate(request('rrq', uBoot, 900), limits, profile('old-u-boot'));
    expect(n.oack).toEqual(opts(['timeout', '5'], ['tsize', '900'], ['blksize', '1468']));
    expect(n).toMatchObject({ blksize: 1468, windowsize: 1, timeout: 5 });
    const spelled = negotiate(
      request(
        'rrq',
        [
          ['Timeout', '5'],
          ['BLKSIZE', '1024'],
        ],
        900,
      ),
      limits,
      profile('old-u-boot'),
    );
    expect(spelled.oack).toEqual(opts(['Timeout', '5'], ['BLKSIZE', '1024']));
  });

  it('old U-Boot: a blksize above the cap is left out, never lowered (the device checks it)', () => {
    const n = negotiate(
      request(
        'rrq',
        [
          ['timeout', '5'],
          ['blksize', '4096'],
        ],
        900,
      ),
      limits,
      profile('old-u-boot'),
    );
    expect(n.oack).toEqual(opts(['timeout', '5']));
    expect(n.blksize).toBe(512);
    // without the profile, the same request is granted the server's cap
    expect(negotiate(request('rrq', [['blksize', '4096']], 900), limits).oack).toEqual(
      opts(['blksize', '1468']),
    );
  });

  it('strict PXE: blksize capped at 1456 as asked, no windowsize, tsize as usual', () => {
    const p = profile('strict-pxe');
    const asked = negotiate(
      request(
        'rrq',
        [
          ['tsize', '0'],
          ['blksize', '1408'],
        ],
        900,
      ),
      limits,
      p,
    );
    expect(asked.oack).toEqual(opts(['tsize', '900'], ['blksize', '1408']));
    const over = negotiate(
      request(
        'rrq',
        [
          ['blksize', '1468'],
          ['windowsize', '4'],
        ],
        900,
      ),
      limits,
      p,
    );
    expect(over.oack).toEqual([]);
    expect(over).toMatchObject({ blksize: 512, windowsize: 1 });
  });

  it('a cap without onlyAsAsked lowers the blksize (RFC 2348 allows a smaller answer)', () => {
    const capped: DeviceProfile = { ...profile('no-tsize'), maxBlksize: 1024, tsize: 'auto' };
    const n = negotiate(request('rrq', [['blksize', '1468']], 1), limits, capped);
    expect(n.oack).toEqual(opts(['blksize', '1024']));
  });

  it('onlyAsAsked leaves out a windowsize the server would lower', () => {
    const exact: DeviceProfile = { ...profile('no-tsize'), onlyAsAsked: true, tsize: 'auto' };
    expect(negotiate(request('rrq', [['windowsize', '100']], 1), limits, exact).oack).toEqual([]);
    expect(negotiate(request('rrq', [['windowsize', '16']], 1), limits, exact).oack).toEqual(
      opts(['windowsize', '16']),
    );
    // 65 blocks of 65464 bytes exceed MAX_WINDOW_BYTES: the server would shrink the window to 64
    const big = { ...limits, maxBlksize: 65464, maxWindowsize: 100 };
    const n = negotiate(
      request(
        'rrq',
        [
          ['blksize', '65464'],
          ['windowsize', '65'],
        ],
        1,
      ),
      big,
      exact,
    );
    expect(n.oack).toEqual(opts(['blksize', '65464']));
    expect(n.windowsize).toBe(1);
  });

  it('echoes one spelling per option: the first of duplicates that differ only in case', () => {
    const n = negotiate(
      request(
        'rrq',
        [
          ['BlkSize', '1024'],
          ['BLKSIZE', '8'],
          ['blksize', '512'],
        ],
        1,
      ),
      limits,
      profile('old-u-boot'),
    );
    expect(n.oack).toEqual(opts(['BlkSize', '1024']));
    expect(n.blksize).toBe(1024);
  });

  it('no windowsize: every other option still negotiated', () => {
    const n = negotiate(
      request(
        'rrq',
        [
          ['blksize', '1024'],
          ['windowsize', '8'],
        ],
        1,
      ),
      limits,
      profile('no-windowsize'),
    );
    expect(n.oack).toEqual(opts(['blksize', '1024']));
    expect(n.windowsize).toBe(1);
  });

  it('no tsize: the size is never answered, for reads or writes', () => {
    const p = profile('no-tsize');
    expect(
      negotiate(
        request(
          'rrq',
          [
            ['tsize', '0'],
            ['blksize', '1024'],
          ],
          900,
        ),
        limits,
        p,
      ).oack,
    ).toEqual(opts(['blksize', '1024']));
    const w = negotiate(request('wrq', [['tsize', '5000']]), limits, p);
    expect(w.oack).toEqual([]);
    expect(w.tsize).toBeUndefined();
  });
});

describe('admission under a profile (a real file in a temporary root)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tftp-desk-profiles-'));
  writeFileSync(join(dir, 'empty.bin'), '');
  writeFileSync(join(dir, 'five.bin'), '12345');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const settings = { ...ENGINE_DEFAULTS, root: dir };
  const rrq = (filename: string) => ({
    kind: 'rrq' as const,
    filename,
    mode: 'octet',
    options: [{ name: 'tsize', value: '0' }],
  });
  const tsizeOf = async (filename: string, quirks: Quirks = {}) => {
    const a = await admitRequest(rrq(filename), settings, new Set(), quirks);
    if (!a.ok || a.kind !== 'read') throw new Error('not admitted');
    await a.handle.close();
    return a.negotiated.oack;
  };
  const always: DeviceProfile = { ...profile('no-tsize'), tsize: 'always' };

  it('tsize always: an empty file is answered with tsize 0 (left out otherwise: curl rejects it)', async () => {
    expect(await tsizeOf('empty.bin')).toEqual([]);
    expect(await tsizeOf('empty.bin', { profile: always })).toEqual(opts(['tsize', '0']));
    expect(await tsizeOf('five.bin', { profile: always })).toEqual(opts(['tsize', '5']));
  });

  it('tsize never: the size is not answered whatever the file', async () => {
    expect(await tsizeOf('five.bin')).toEqual(opts(['tsize', '5']));
    expect(await tsizeOf('five.bin', { profile: profile('no-tsize') })).toEqual([]);
  });
});
