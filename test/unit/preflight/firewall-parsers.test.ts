// Firewall readers against recorded outputs: nftables JSON (recorded here in a namespace), ufw,
// firewalld, Windows (Get-NetConnectionProfile, netsh) and the macOS application firewall.
import { describe, expect, it } from 'vitest';
import {
  parseFirewalldZones,
  zoneAdmits,
  zoneForInterface,
} from '../../../electron/app/preflight/firewalld-parse.js';
import { parseBlockAll, parseGlobalState } from '../../../electron/app/preflight/mac-firewall-parse.js';
import { judgeNftRuleset, nftBlockers } from '../../../electron/app/preflight/nft-parse.js';
import { parseUfwStatus, ufwDecidingRule } from '../../../electron/app/preflight/ufw-parse.js';
import {
  parseConnectionProfiles,
  parseNetshRules,
  parseProfileStates,
  rulesFor,
} from '../../../electron/app/preflight/windows-firewall-parse.js';
import { fixture } from './fixture.js';

describe('nft -j list ruleset', () => {
  const dropping = fixture('nft-udp69-drop.json');

  it('finds the rule that drops UDP 69 on the input hook, for traffic from a real interface', () => {
    const v = judgeNftRuleset(dropping, { port: 69, interface: 'eth0' })!;
    expect(v.chains).toEqual(['inet filter input']);
    expect(nftBlockers(v)).toEqual([
      { chain: 'inet filter input', handle: 5, verdict: 'drop', certain: true, text: 'udp dport 69 drop' },
    ]);
  });

  it('reads sets and ranges: reject of {67, 4011}, drop of 6000-7000', () => {
    expect(nftBlockers(judgeNftRuleset(dropping, { port: 4011, interface: 'eth0' })!)[0]).toMatchObject({
      handle: 7,
      certain: true,
    });
    expect(nftBlockers(judgeNftRuleset(dropping, { port: 6969, interface: 'eth0' })!)[0]).toMatchObject({
      handle: 8,
    });
    expect(nftBlockers(judgeNftRuleset(dropping, { port: 7001, interface: 'eth0' })!)).toEqual([]);
  });

  it('lets loopback through where the ruleset accepts iifname lo first', () => {
    expect(nftBlockers(judgeNftRuleset(dropping, { port: 69, interface: 'lo' })!)).toEqual([]);
  });

  it('an unknown interface makes the lo rule a maybe: the drop after it is then uncertain', () => {
    const [drop] = nftBlockers(judgeNftRuleset(dropping, { port: 69 })!);
    expect(drop).toMatchObject({ handle: 5, certain: false });
  });

  it('policy drop: admitted only on eth1 or from 10/8; elsewhere the policy drops, uncertainly', () => {
    const text = fixture('nft-policy-drop.json');
    expect(nftBlockers(judgeNftRuleset(text, { port: 69, interface: 'eth1' })!)).toEqual([]);
    const [onEth0] = nftBlockers(judgeNftRuleset(text, { port: 69, interface: 'eth0' })!);
    // the saddr 10.0.0.0/8 accept might have matched the device
    expect(onEth0).toMatchObject({ text: 'policy drop', certain: false });
    const [other] = nftBlockers(judgeNftRuleset(text, { port: 6969, interface: 'eth0' })!);
    expect(other).toMatchObject({ text: 'policy drop', certain: true });
  });

  it('an empty ruleset drops nothing; text that is not nft JSON reads as undefined', () => {
    const empty = '{"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}}]}';
    expect(judgeNftRuleset(empty, { port: 69 })).toEqual({ chains: [], findings: [] });
    expect(judgeNftRuleset('Error: Could not process rule', { port: 69 })).toBeUndefined();
    expect(judgeNftRuleset('{"x":1}', { port: 69 })).toBeUndefined();
  });
});

describe('ufw status verbose', () => {
  it('default deny incoming with no rule for 69: nothing decides, the default drops', () => {
    const s = parseUfwStatus(fixture('ufw-status-verbose-deny.txt'))!;
    expect(s).toMatchObject({ active: true, incoming: 'deny' });
    expect(ufwDecidingRule(s, 69)).toBeUndefined();
    expect(ufwDecidingRule(s, 6969)).toMatchObject({ action: 'allow', from: '192.168.0.0/24' });
  });

  it('the first matching rule decides: DENY 69/udp before the allowing range', () => {
    const s = parseUfwStatus(fixture('ufw-status-verbose-rules.txt'))!;
    expect(s.rules).toHaveLength(4);
    expect(ufwDecidingRule(s, 69)).toMatchObject({ to: '69/udp', action: 'deny' });
    expect(ufwDecidingRule(s, 70)).toMatchObject({ to: '60:80/udp', action: 'allow' });
    expect(ufwDecidingRule(s, 6969, 'enp3s0')).toMatchObject({ to: 'Anywhere on enp3s0' });
    expect(ufwDecidingRule(s, 6969, 'eth9')).toBeUndefined();
  });

  it('inactive, and not ufw at all', () => {
    expect(parseUfwStatus(fixture('ufw-status-inactive.txt'))).toEqual({ active: false, rules: [] });
    expect(parseUfwStatus('ERROR: You need to be root to run this script')).toBeUndefined();
  });
});

describe('firewall-cmd --list-all-zones', () => {
  const zones = parseFirewalldZones(fixture('firewall-cmd-list-all-zones.txt'));

  it('reads each zone, its flags and lists', () => {
    expect(zones.map((z) => z.name)).toEqual(['block', 'public', 'trusted', 'work']);
    expect(zones[0]!.target).toBe('%%REJECT%%');
    expect(zones[1]).toMatchObject({
      isDefault: true,
      active: true,
      interfaces: ['enp3s0'],
      ports: ['6969/udp'],
    });
    expect(zones[3]!.richRules).toEqual([
      'rule family="ipv4" source address="10.0.0.0/8" port port="69" protocol="udp" accept',
    ]);
  });

  it('public has no tftp service: 69 refused, 6969 admitted; trusted admits all; work has tftp', () => {
    const pub = zoneForInterface(zones, 'enp3s0')!;
    expect(zoneAdmits(pub, 69)).toBe('no');
    expect(zoneAdmits(pub, 6969)).toBe('yes');
    expect(zoneAdmits(zoneForInterface(zones, 'enx00e04c680a1b')!, 69)).toBe('yes');
    expect(zoneForInterface(zones, 'wlan0')!.name).toBe('public');
    expect(zoneAdmits(zones[3]!, 69)).toBe('yes');
  });
});

describe('Windows firewall', () => {
  const program = 'C:\\Users\\lab\\AppData\\Local\\Programs\\tftp-desk\\TFTP Desk.exe';

  it('Get-NetConnectionProfile: the category per adapter', () => {
    expect(parseConnectionProfiles(fixture('get-netconnectionprofile.txt'))).toEqual([
      { alias: 'Ethernet 2', name: 'Network 3', category: 'public' },
      { alias: 'Wi-Fi', name: 'HomeNet', category: 'private' },
    ]);
  });

  it('netsh allprofiles state: on or off per profile', () => {
    expect(parseProfileStates(fixture('netsh-allprofiles-state.txt'))).toEqual({
      domain: true,
      private: true,
      public: false,
    });
  });

  it('netsh rules: the prompt-made pair (allow Private, block Public) for the app', () => {
    const rules = parseNetshRules(fixture('netsh-show-rule-in.txt'));
    expect(rules).toHaveLength(7);
    expect(rules[0]).toEqual({
      name: 'TFTP Desk',
      enabled: true,
      profiles: ['private'],
      protocol: 'UDP',
      localPort: 'Any',
      program,
      action: 'allow',
    });
    const onPublic = rulesFor(rules, program, 69, 'public');
    expect(onPublic.block.map((r) => r.name)).toEqual(['TFTP Desk']);
    expect(onPublic.allow).toEqual([]);
    const onPrivate = rulesFor(rules, program.toUpperCase(), 69, 'private');
    expect(onPrivate).toMatchObject({ allow: [{ name: 'TFTP Desk' }], block: [] });
    // a port range rule for any program, on Domain only; the disabled Tftpd64 rule never counts
    expect(rulesFor(rules, program, 68, 'domain').allow.map((r) => r.name)).toEqual(['Lab PXE']);
    expect(rulesFor(rules, 'C:\\Program Files\\Tftpd64\\tftpd64.exe', 69, 'private').allow).toEqual([]);
  });
});

describe('macOS application firewall', () => {
  it('reads the global state and block-all in both wordings', () => {
    expect(parseGlobalState(fixture('socketfilterfw-globalstate-on.txt'))).toEqual({
      enabled: true,
      blockAll: false,
    });
    expect(parseGlobalState(fixture('socketfilterfw-globalstate-off.txt'))).toEqual({
      enabled: false,
      blockAll: false,
    });
    expect(parseGlobalState('Firewall is blocking all incoming connections. (State = 2)')).toEqual({
      enabled: true,
      blockAll: true,
    });
    expect(parseBlockAll(fixture('socketfilterfw-blockall-on.txt'))).toBe(true);
    expect(parseBlockAll(fixture('socketfilterfw-blockall-off-old.txt'))).toBe(false);
    expect(parseGlobalState('usage: socketfilterfw')).toBeUndefined();
    expect(parseBlockAll('')).toBeUndefined();
  });
});
