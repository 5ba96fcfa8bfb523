// The notice after Start on Windows, judged from the recorded outputs of the real Windows commands
// (Get-NetConnectionProfile, netsh advfirewall ...): they cannot run on this machine, so the exec
// layer is the boundary and recorded outputs stand in for it, as in the other firewall tests.
import { describe, expect, it } from 'vitest';
import { firewallNotice, listeningAdapters } from '../../../electron/app/firewall-notice.js';
import { readWindowsFirewall } from '../../../electron/app/preflight/firewall-windows.js';
import type { NetInterface } from '../../../shared/ipc-contract.js';
import {
  fixture,
  recorded,
  WIN_PROGRAM,
  WINDOWS_RULES_COMMAND,
  WINDOWS_STATES_COMMAND,
  windowsOutputs,
} from './fixture.js';

const OTHER_PROGRAM = 'C:\\Program Files\\TFTP Desk\\TFTP Desk.exe';

async function reading(overrides: Record<string, string> = {}) {
  return readWindowsFirewall(recorded({ ...windowsOutputs(), ...overrides }));
}

describe('firewallNotice', () => {
  it('Public adapter and no rule for this program: the advice with the exact netsh command', async () => {
    const notice = firewallNotice(await reading(), {
      program: OTHER_PROGRAM,
      port: 69,
      adapters: ['Ethernet 2'],
    });
    expect(notice).toMatchObject({ port: 69, profile: 'public', adapter: 'Ethernet 2' });
    expect(notice?.message).toContain('Windows marks it Public');
    expect(notice?.command).toBe(
      'netsh advfirewall firewall add rule name="TFTP Desk (UDP 69)" dir=in action=allow protocol=UDP localport=69 program="C:\\Program Files\\TFTP Desk\\TFTP Desk.exe" profile=public enable=yes',
    );
    expect(notice?.undo).toBe('netsh advfirewall firewall delete rule name="TFTP Desk (UDP 69)"');
  });

  it('Private adapter with the allow rule for this program: no notice', async () => {
    expect(
      firewallNotice(await reading(), { program: WIN_PROGRAM, port: 69, adapters: ['Wi-Fi'] }),
    ).toBeNull();
  });

  it('a block rule for this program on Public: named, and no allow rule offered (it would not help)', async () => {
    const notice = firewallNotice(await reading(), {
      program: WIN_PROGRAM,
      port: 69,
      adapters: ['Ethernet 2'],
    });
    expect(notice?.message).toContain(
      'rule "TFTP Desk" blocks TFTP Desk on this Public network (Ethernet 2)',
    );
    expect(notice?.command).toBeUndefined();
  });

  it('the firewall off for Public (as recorded): no notice', async () => {
    const off = await reading({ [WINDOWS_STATES_COMMAND]: fixture('netsh-allprofiles-state.txt') });
    expect(firewallNotice(off, { program: OTHER_PROGRAM, port: 69, adapters: ['Ethernet 2'] })).toBeNull();
  });

  it('listening on every address: the Public adapter leads, over the Private one without a rule', async () => {
    const notice = firewallNotice(await reading(), { program: OTHER_PROGRAM, port: 6969, adapters: 'all' });
    expect(notice).toMatchObject({ profile: 'public', adapter: 'Ethernet 2' });
    expect(notice?.command).toContain('localport=6969');
  });

  it('an adapter Windows lists no profile for is treated as Public, and says so', async () => {
    const notice = firewallNotice(await reading(), {
      program: OTHER_PROGRAM,
      port: 69,
      adapters: ['Ethernet 5'],
    });
    expect(notice).toMatchObject({ profile: 'public', adapter: 'Ethernet 5' });
    expect(notice?.message).toContain('Windows lists no network profile for Ethernet 5');
  });

  it('rules that cannot be read: no guess', async () => {
    const r = await readWindowsFirewall(
      recorded({ ...windowsOutputs(), [WINDOWS_RULES_COMMAND]: { kind: 'timeout', command: 'netsh' } }),
    );
    expect(firewallNotice(r, { program: OTHER_PROGRAM, port: 69, adapters: ['Ethernet 2'] })).toBeNull();
  });
});

describe('listeningAdapters', () => {
  const interfaces: NetInterface[] = [
    {
      name: 'Ethernet 2',
      addresses: [{ address: '192.168.0.66', family: 'IPv4', prefix: 24 }],
      internal: false,
      up: true,
      isDefault: false,
    },
    {
      name: 'Loopback Pseudo-Interface 1',
      addresses: [{ address: '127.0.0.1', family: 'IPv4', prefix: 8 }],
      internal: true,
      up: true,
      isDefault: false,
    },
  ];
  it('a wildcard listen address means every adapter', () => {
    expect(listeningAdapters([{ address: '0.0.0.0', port: 69, family: 'IPv4' }], interfaces)).toBe('all');
  });
  it('a specific address names the adapter holding it; loopback is never filtered', () => {
    expect(
      listeningAdapters(
        [
          { address: '192.168.0.66', port: 69, family: 'IPv4' },
          { address: '127.0.0.1', port: 69, family: 'IPv4' },
        ],
        interfaces,
      ),
    ).toEqual(['Ethernet 2']);
  });
});
