// The pure judges: what each check says for a situation, and the fix it offers for each OS.
import { describe, expect, it } from 'vitest';
import type { NetInterface } from '../../../shared/ipc-contract.js';
import { readPreflightRequest, RECOVERY_RECIPES } from '../../../shared/preflight.js';
import { addAddressCommand, checkAddress } from '../../../electron/app/preflight/address-check.js';
import { checkAllow } from '../../../electron/app/preflight/allow-check.js';
import { peerAddress } from '../../../electron/app/preflight/host.js';
import { judgePort, stopCommand } from '../../../electron/app/preflight/port-check.js';
import { judgeSelfRequest } from '../../../electron/app/preflight/self-request.js';

const ifaces: NetInterface[] = [
  {
    name: 'lo',
    addresses: [{ address: '127.0.0.1', family: 'IPv4', prefix: 8 }],
    internal: true,
    up: true,
    isDefault: false,
  },
  {
    name: 'eth0',
    addresses: [{ address: '10.1.2.3', family: 'IPv4', prefix: 24 }],
    internal: false,
    up: true,
    isDefault: true,
  },
  {
    name: 'eth1',
    addresses: [{ address: '192.168.0.66', family: 'IPv4', prefix: 24 }],
    internal: false,
    up: true,
    isDefault: false,
  },
];

describe('address check', () => {
  it('gives the exact command per OS for the chosen interface', () => {
    expect(addAddressCommand('linux', 'enx00e0', '192.168.0.66', 24)).toBe(
      'sudo ip addr add 192.168.0.66/24 dev enx00e0',
    );
    expect(addAddressCommand('darwin', 'en7', '192.168.0.66', 24)).toBe(
      'sudo ifconfig en7 alias 192.168.0.66 255.255.255.0',
    );
    expect(addAddressCommand('win32', 'Ethernet 2', '192.168.0.66', 24)).toBe(
      'netsh interface ipv4 add address name="Ethernet 2" address=192.168.0.66 mask=255.255.255.0',
    );
    expect(addAddressCommand('linux', 'eth0', 'fd00::66', 64)).toBe('sudo ip addr add fd00::66/64 dev eth0');
    // a typed name with shell characters stays one word
    expect(addAddressCommand('linux', "x;rm -rf ~'", '10.0.0.1', 24)).toBe(
      "sudo ip addr add 10.0.0.1/24 dev 'x;rm -rf ~'\\'''",
    );
  });

  it('absent: a problem with the fix; present: ok; on another interface: a warning', () => {
    const missing = checkAddress({
      platform: 'linux',
      interfaces: ifaces,
      serverAddress: '192.168.1.254',
      interfaceName: 'eth0',
      hosts: [],
    });
    expect(missing.status).toBe('problem');
    expect(missing.fix?.command).toBe('sudo ip addr add 192.168.1.254/24 dev eth0');
    expect(
      checkAddress({ platform: 'linux', interfaces: ifaces, serverAddress: '192.168.0.66', hosts: [] })
        .status,
    ).toBe('ok');
    const elsewhere = checkAddress({
      platform: 'linux',
      interfaces: ifaces,
      serverAddress: '192.168.0.66',
      interfaceName: 'eth0',
      hosts: [],
    });
    expect(elsewhere.status).toBe('warning');
    expect(elsewhere.summary).toContain('eth1');
  });

  it('present but the server listens elsewhere: a problem naming the listen addresses', () => {
    const c = checkAddress({
      platform: 'linux',
      interfaces: ifaces,
      serverAddress: '192.168.0.66',
      hosts: ['10.1.2.3'],
    });
    expect(c).toMatchObject({ status: 'problem' });
    expect(c.summary).toContain('10.1.2.3');
  });

  it('nothing asked: skipped, saying what to give', () => {
    expect(checkAddress({ platform: 'linux', interfaces: ifaces, hosts: [] }).status).toBe('skipped');
  });
});

describe('allow-list check (the engine’s own AllowList)', () => {
  it('refuses an address outside the list, admits one inside, warns at the per-client limit', () => {
    const base = { allow: ['10.0.0.0/8'], maxSessionsPerClient: 2, liveFromDevice: 0 };
    expect(checkAllow({ ...base, deviceAddress: '192.168.0.86' }).status).toBe('problem');
    expect(checkAllow({ ...base, deviceAddress: '::ffff:10.9.9.9' }).status).toBe('ok');
    expect(checkAllow({ ...base, deviceAddress: '10.1.1.1', liveFromDevice: 2 }).status).toBe('warning');
    expect(checkAllow({ ...base, allow: [] }).status).toBe('ok');
    expect(checkAllow(base).status).toBe('skipped');
  });

  it('says which device profile would apply and what it changes, without changing the verdict', () => {
    const base = { allow: [], maxSessionsPerClient: 2, liveFromDevice: 0 };
    const profiles = [
      { match: 'client:curl', profile: 'no-tsize' },
      { match: '10.0.0.0/24', profile: 'old-u-boot' },
      { match: '192.0.2.5-192.0.2.9', profile: 'plain-rfc1350' },
    ];
    const inRange = checkAllow({ ...base, profiles, deviceAddress: '::ffff:10.0.0.7' });
    expect(inRange.status).toBe('ok');
    expect(inRange.notes).toEqual([
      "Device profile: rule 2: 10.0.0.0/24 → Old U-Boot applies to ::ffff:10.0.0.7. A profile never refuses a device; it changes what is negotiated with it: blksize at most 1468, values only as asked, no windowsize, option names echoed as spelled. A client rule tried before it would apply instead if the device's requests look like that client: rule 1: client curl → No tsize.",
    ]);
    const plain = checkAllow({ ...base, profiles, deviceAddress: '192.0.2.9' }).notes?.[0];
    expect(plain).toMatch(/rule 3: 192\.0\.2\.5-192\.0\.2\.9 → Plain RFC 1350 applies to 192\.0\.2\.9\./);
    expect(plain).toContain('no OACK: options ignored, 512-byte blocks');
    expect(checkAllow({ ...base, profiles, deviceAddress: '198.51.100.1' }).notes).toEqual([
      "Device profile: no rule names 198.51.100.1, so it gets the server's own negotiation. A client rule would apply instead if the device's requests look like that client: rule 1: client curl → No tsize.",
    ]);
    // a refused device keeps its problem; the note rides along
    const refused = checkAllow({ ...base, allow: ['10.1.0.0/16'], profiles, deviceAddress: '10.0.0.7' });
    expect(refused.status).toBe('problem');
    expect(refused.notes?.[0]).toMatch(/^Device profile: rule 2/);
    // no rules, or no device: no note
    expect(checkAllow({ ...base, deviceAddress: '10.0.0.7' }).notes).toBeUndefined();
    expect(checkAllow({ ...base, profiles }).notes).toBeUndefined();
  });
});

describe('port holder judge', () => {
  const listing = (holders: { address: string; port: number; process?: string; pid?: number }[]) => ({
    ok: true as const,
    holders,
    evidence: 'ss -ulpn',
  });

  it('another program holds it: a problem naming it, and the way to stop it', () => {
    const c = judgePort({
      platform: 'linux',
      port: 69,
      bind: 'in-use',
      listing: listing([{ address: '0.0.0.0', port: 69, process: 'in.tftpd', pid: 1187 }]),
      ourPid: 42,
      serverListening: false,
    });
    expect(c.status).toBe('problem');
    expect(c.summary).toContain('in.tftpd (pid 1187)');
    expect(c.fix?.command).toBe('sudo systemctl disable --now tftpd-hpa');
  });

  it('only we hold it while serving: ok; in use but nobody visible: a problem that says it cannot tell', () => {
    const ours = listing([{ address: '0.0.0.0', port: 69, process: 'node', pid: 42 }]);
    expect(
      judgePort({
        platform: 'linux',
        port: 69,
        bind: 'in-use',
        listing: ours,
        ourPid: 42,
        serverListening: true,
      }).status,
    ).toBe('ok');
    const blind = judgePort({
      platform: 'linux',
      port: 69,
      bind: 'in-use',
      listing: { ok: false, reason: 'ss is not installed here' },
      ourPid: 42,
      serverListening: false,
    });
    expect(blind.status).toBe('problem');
    expect(blind.summary).toContain('ss is not installed here');
  });

  it('no permission for a low port: the OS hint', () => {
    const c = judgePort({
      platform: 'linux',
      port: 69,
      bind: 'no-permission',
      listing: listing([]),
      ourPid: 1,
      serverListening: false,
    });
    expect(c.fix?.text).toContain('cap_net_bind_service');
  });

  it('stop commands per OS', () => {
    expect(stopCommand('darwin', { address: '*', port: 69, process: 'launchd', pid: 1 })).toBe(
      'sudo launchctl unload -w /System/Library/LaunchDaemons/tftp.plist',
    );
    expect(stopCommand('win32', { address: '0.0.0.0', port: 69, process: 'tftpd64.exe', pid: 5128 })).toBe(
      'taskkill /PID 5128',
    );
  });
});

describe('self-request judge', () => {
  it('skips while stopped, cannot tell when the allow-list drops our own address', () => {
    expect(
      judgeSelfRequest({ address: '10.0.0.1', port: 69, serverListening: false, allowsSelf: true }).status,
    ).toBe('skipped');
    expect(
      judgeSelfRequest({ address: '10.0.0.1', port: 69, serverListening: true, allowsSelf: false }).status,
    ).toBe('unknown');
    expect(
      judgeSelfRequest({
        address: '10.0.0.1',
        port: 69,
        serverListening: true,
        allowsSelf: true,
        outcome: { answered: false, reason: 'timeout' },
      }).status,
    ).toBe('problem');
  });
});

describe('request reading and recipes', () => {
  it('accepts a recipe as a request, refuses junk with a clear message', () => {
    const tp = RECOVERY_RECIPES.find((r) => r.id === 'tp-link')!;
    expect(
      readPreflightRequest({ serverAddress: tp.serverAddress, deviceAddress: tp.deviceAddress, port: 69 }),
    ).toEqual({
      ok: true,
      value: { serverAddress: '192.168.0.66', deviceAddress: '192.168.0.86', port: 69 },
    });
    expect(readPreflightRequest({ serverAddress: '', interface: '' })).toEqual({ ok: true, value: {} });
    expect(readPreflightRequest({ serverAddress: '192.168.0.666' })).toMatchObject({ ok: false });
    expect(readPreflightRequest({ port: 70000 })).toMatchObject({ ok: false });
    expect(readPreflightRequest({ evil: 1 })).toMatchObject({ ok: false, error: 'Unknown field "evil".' });
    expect(readPreflightRequest(null)).toMatchObject({ ok: false });
  });

  it('every recipe names its source', () => {
    for (const r of RECOVERY_RECIPES) expect(r.source.length).toBeGreaterThan(20);
  });

  it('reads a peer address out of host:port', () => {
    expect(peerAddress('192.168.0.86:3071')).toBe('192.168.0.86');
    expect(peerAddress('[fe80::1]:3071')).toBe('fe80::1');
    // a dual-stack socket's peer is the same device as its IPv4 address (the per-client count)
    expect(peerAddress('[::ffff:192.168.0.86]:3071')).toBe('192.168.0.86');
  });
});
