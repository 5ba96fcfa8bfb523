// The firewall check's words and fixes per OS, fed the recorded outputs of the real commands
// through the Exec seam (the commands themselves run for real in the namespace test on Linux;
// Windows and macOS cannot run here, so their recorded outputs stand in for them).
import { describe, expect, it } from 'vitest';
import { checkFirewall } from '../../../electron/app/preflight/firewall-check.js';
import { fixture, recorded, WIN_PROGRAM, windowsOutputs } from './fixture.js';

const EMPTY_NFT = '{"nftables": [{"metainfo": {"version": "1.0.6", "json_schema_version": 1}}]}';
const SOCKETFILTERFW = '/usr/libexec/ApplicationFirewall/socketfilterfw';

describe('Linux', () => {
  it('ufw denying by default with no rule for 69: a problem and the ufw command for the interface', async () => {
    const c = await checkFirewall(
      { platform: 'linux', port: 69, interfaceName: 'enp3s0', program: '/usr/bin/node' },
      recorded({
        'ufw status verbose': fixture('ufw-status-verbose-deny.txt'),
        'nft -j list ruleset': EMPTY_NFT,
      }),
    );
    expect(c.status).toBe('problem');
    expect(c.summary).toContain('ufw is active, denies incoming traffic by default');
    expect(c.fix?.command).toBe('sudo ufw allow in on enp3s0 to any port 69 proto udp');
  });

  it('firewalld zone without tftp: a problem with the firewall-cmd fix for that zone', async () => {
    const c = await checkFirewall(
      { platform: 'linux', port: 69, interfaceName: 'enp3s0', program: '/usr/bin/node' },
      recorded({
        'firewall-cmd --list-all-zones': fixture('firewall-cmd-list-all-zones.txt'),
        'nft -j list ruleset': EMPTY_NFT,
      }),
    );
    expect(c.status).toBe('problem');
    expect(c.fix?.command).toBe('sudo firewall-cmd --zone=public --add-service=tftp');
    const trusted = await checkFirewall(
      { platform: 'linux', port: 69, interfaceName: 'enx00e04c680a1b', program: '/usr/bin/node' },
      recorded({ 'firewall-cmd --list-all-zones': fixture('firewall-cmd-list-all-zones.txt') }),
    );
    expect(trusted.status).toBe('ok');
  });

  it('nft not readable (not root): says so instead of passing it', async () => {
    const c = await checkFirewall(
      { platform: 'linux', port: 69, program: '/usr/bin/node' },
      recorded({
        'nft -j list ruleset': {
          kind: 'ran',
          code: 1,
          stdout: '',
          stderr: 'Error: Operation not permitted (you must be root)\n',
        },
      }),
    );
    expect(c.status).toBe('unknown');
    expect(c.summary).toContain('Not checked: nftables (Error: Operation not permitted');
  });

  it('a drop rule: the nft command that deletes it by handle', async () => {
    const c = await checkFirewall(
      { platform: 'linux', port: 69, interfaceName: 'eth0', program: '/usr/bin/node' },
      recorded({ 'nft -j list ruleset': fixture('nft-udp69-drop.json') }),
    );
    expect(c.status).toBe('problem');
    expect(c.fix?.command).toBe('sudo nft delete rule inet filter input handle 5');
  });
});

describe('Windows', () => {
  const outputs = windowsOutputs();

  it('a Public adapter with the prompt-made block rule: a problem naming the rule, and the netsh fix', async () => {
    const c = await checkFirewall(
      { platform: 'win32', port: 69, interfaceName: 'Ethernet 2', program: WIN_PROGRAM },
      recorded(outputs),
    );
    expect(c.status).toBe('problem');
    expect(c.summary).toContain('Ethernet 2 is on a public network ("Network 3")');
    expect(c.summary).toContain('"TFTP Desk" blocks this program');
    expect(c.fix?.command).toContain('netsh advfirewall firewall add rule name="TFTP Desk (UDP 69)"');
  });

  it('the Private Wi-Fi adapter has the allow rule: ok', async () => {
    const c = await checkFirewall(
      { platform: 'win32', port: 69, interfaceName: 'Wi-Fi', program: WIN_PROGRAM },
      recorded(outputs),
    );
    expect(c.status).toBe('ok');
  });

  it('the firewall off for that profile (as recorded for Public): ok', async () => {
    const c = await checkFirewall(
      { platform: 'win32', port: 69, interfaceName: 'Ethernet 2', program: WIN_PROGRAM },
      recorded({
        ...outputs,
        'netsh advfirewall show allprofiles state': fixture('netsh-allprofiles-state.txt'),
      }),
    );
    expect(c).toMatchObject({ status: 'ok' });
    expect(c.summary).toContain('off for public networks');
  });
});

describe('macOS', () => {
  it('block all incoming: a problem with the socketfilterfw fix; off: ok; not there: cannot tell', async () => {
    const blocking = await checkFirewall(
      { platform: 'darwin', port: 69, program: '/Applications/TFTP Desk.app/Contents/MacOS/TFTP Desk' },
      recorded({
        [`${SOCKETFILTERFW} --getglobalstate`]: fixture('socketfilterfw-globalstate-on.txt'),
        [`${SOCKETFILTERFW} --getblockall`]: fixture('socketfilterfw-blockall-on.txt'),
      }),
    );
    expect(blocking.status).toBe('problem');
    expect(blocking.fix?.command).toBe(`sudo ${SOCKETFILTERFW} --setblockall off`);
    const off = await checkFirewall(
      { platform: 'darwin', port: 69, program: '/x' },
      recorded({ [`${SOCKETFILTERFW} --getglobalstate`]: fixture('socketfilterfw-globalstate-off.txt') }),
    );
    expect(off.status).toBe('ok');
    const none = await checkFirewall({ platform: 'darwin', port: 69, program: '/x' }, recorded({}));
    expect(none.status).toBe('unknown');
    expect(none.summary).toContain('is not installed here');
  });
});
