import { describe, expect, it } from 'vitest';
import { parseCommand, type ServeOptions } from '../../electron/cli/cli-args.js';
import { resolveDhcpFlags, withLogServer, type LocalIpv4 } from '../../electron/cli/dhcp-args.js';
import { DHCP_DEFAULTS } from '../../shared/dhcp.js';
import { defaultDataDir } from '../../electron/cli/data-dir.js';

const LAPTOP: LocalIpv4[] = [
  { name: 'lo', address: '127.0.0.1', prefixLength: 8, internal: true },
  { name: 'wlan0', address: '192.168.1.34', prefixLength: 24, internal: false },
  { name: 'eth0', address: '10.10.0.1', prefixLength: 24, internal: false },
];

function serve(args: string[]): ServeOptions {
  const c = parseCommand(['serve', '--root', '/srv', ...args], '/');
  if (c.kind !== 'serve') throw new Error(c.kind === 'error' ? c.message : c.kind);
  return c.options;
}

describe('tftp-desk serve DHCP flags', () => {
  it('picks the interface whose subnet holds the range, with every flag in the settings', () => {
    const o = serve([
      '--dhcp',
      '10.10.0.100-10.10.0.150',
      '--boot-file',
      'undionly.kpxe',
      '--boot-file-uefi',
      'ipxe.efi',
      '--boot-file-ipxe',
      'boot.ipxe',
      '--dhcp-option',
      '3=ip:10.10.0.254',
      '--dhcp-option',
      '43=hex:0104c0a80001',
      '--dhcp-option',
      '6=ip:10.10.0.1,9.9.9.9',
      '--dhcp-reserve',
      'AA-BB-CC-DD-EE-01=10.10.0.20',
      '--dhcp-allow-mac',
      'aa:bb:cc:dd:ee:01, aabb.ccdd.ee02',
      '--dhcp-force',
      '--dhcp-stop-after',
      '30',
    ]);
    const r = resolveDhcpFlags(o.dhcp, LAPTOP);
    expect(r).toEqual({
      ok: true,
      settings: expect.objectContaining({
        mode: 'provision',
        interfaceAddress: '10.10.0.1',
        prefixLength: 24,
        rangeStart: '10.10.0.100',
        rangeEnd: '10.10.0.150',
        bootFile: 'undionly.kpxe',
        bootFileUefi: 'ipxe.efi',
        bootFileIpxe: 'boot.ipxe',
        router: '10.10.0.254',
        dns: ['10.10.0.1', '9.9.9.9'],
        customOptions: [{ code: 43, value: 'hex:0104c0a80001' }],
        reservations: [{ mac: 'aa:bb:cc:dd:ee:01', address: '10.10.0.20' }],
        allowMacs: ['aa:bb:cc:dd:ee:01', 'aa:bb:cc:dd:ee:02'],
        force: true,
        stopAfterMinutes: 30,
      }),
    });
  });

  it('is off without --dhcp or --dhcp-proxy, and refuses DHCP flags on their own', () => {
    expect(resolveDhcpFlags(serve([]).dhcp, LAPTOP)).toMatchObject({ ok: true, settings: { mode: 'off' } });
    expect(resolveDhcpFlags(serve(['--boot-file', 'x', '--dhcp-force']).dhcp, LAPTOP)).toEqual({
      ok: false,
      message:
        '--boot-file, --dhcp-force need --dhcp RANGE (hand out addresses) or --dhcp-proxy (boot files only).',
    });
  });

  it('proxy mode takes the only external interface, or the one named, and needs a boot file', () => {
    const one = LAPTOP.filter((i) => i.name !== 'wlan0');
    expect(resolveDhcpFlags(serve(['--dhcp-proxy', '--boot-file', 'a']).dhcp, one)).toMatchObject({
      ok: true,
      settings: { mode: 'proxy', interfaceAddress: '10.10.0.1', bootFile: 'a' },
    });
    expect(resolveDhcpFlags(serve(['--dhcp-proxy', '--boot-file', 'a']).dhcp, LAPTOP)).toMatchObject({
      ok: false,
      message: expect.stringContaining('name it with --dhcp-interface ADDR'),
    });
    expect(
      resolveDhcpFlags(
        serve(['--dhcp-proxy', '--boot-file', 'a', '--dhcp-interface', '192.168.1.34']).dhcp,
        LAPTOP,
      ),
    ).toMatchObject({ ok: true, settings: { interfaceAddress: '192.168.1.34' } });
    expect(resolveDhcpFlags(serve(['--dhcp-proxy']).dhcp, one)).toMatchObject({
      ok: false,
      message: expect.stringContaining('give at least --boot-file'),
    });
  });

  it('refuses what cannot work, saying why', () => {
    const refusal = (args: string[]) => {
      const r = resolveDhcpFlags(serve(args).dhcp, LAPTOP);
      return r.ok ? 'accepted' : r.message;
    };
    expect(refusal(['--dhcp', '172.16.0.10-172.16.0.20'])).toContain(
      'No interface of this machine is on the subnet of 172.16.0.10-172.16.0.20 (IPv4 addresses here: lo 127.0.0.1/8, wlan0 192.168.1.34/24, eth0 10.10.0.1/24)',
    );
    expect(refusal(['--dhcp', '10.10.0.200-10.10.0.100'])).toContain('must not come after');
    expect(refusal(['--dhcp', '10.10.0.1-10.10.0.9'])).toContain(
      'DHCP on eth0 (10.10.0.1, subnet 10.10.0.0/24)',
    );
    expect(refusal(['--dhcp', 'ten-twenty'])).toContain('--dhcp must be a range of IPv4 addresses');
    expect(refusal(['--dhcp', '10.10.0.100-10.10.0.110', '--dhcp-option', '3'])).toContain('CODE=VALUE');
    expect(refusal(['--dhcp', '10.10.0.100-10.10.0.110', '--dhcp-reserve', 'nope=10.10.0.5'])).toContain(
      'MAC=IP',
    );
    expect(refusal(['--dhcp', '10.10.0.100-10.10.0.110', '--dhcp-allow-mac', 'zz'])).toContain('"zz"');
    expect(refusal(['--dhcp', '10.10.0.100-10.10.0.110', '--dhcp-stop-after', '0'])).toContain('1 or more');
    expect(refusal(['--dhcp', '10.10.0.100-10.10.0.110', '--dhcp-proxy'])).toContain('exclude each other');
    expect(refusal(['--dhcp', '10.10.0.100-10.10.0.110', '--dhcp-interface', '10.9.9.9'])).toContain(
      'No interface of this machine has the address 10.9.9.9',
    );
    const twice = [...LAPTOP, { name: 'eth1', address: '10.10.0.2', prefixLength: 24, internal: false }];
    const r = resolveDhcpFlags(serve(['--dhcp', '10.10.0.100-10.10.0.110']).dhcp, twice);
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('Several interfaces') });
  });
});

describe('tftp-desk serve --syslog and --data-dir', () => {
  it('takes an optional port', () => {
    expect(serve([]).syslogPort).toBeUndefined();
    expect(serve(['--syslog']).syslogPort).toBe(514);
    expect(serve(['--syslog', '5514', '--json']).syslogPort).toBe(5514);
    expect(serve(['--syslog', '--json']).syslogPort).toBe(514);
    expect(serve(['--syslog=1514']).syslogPort).toBe(1514);
    expect(parseCommand(['serve', '--root', 'r', '--syslog', '70000'])).toEqual({
      kind: 'error',
      message: '--syslog PORT must be from 1 to 65535.',
    });
  });

  it('keeps leases where the desktop app keeps its data, or in --data-dir', () => {
    expect(serve(['--data-dir', 'leases']).dataDir).toBe('/leases');
    expect(defaultDataDir('linux', {}, '/home/ann')).toBe('/home/ann/.config/TFTP Desk');
    expect(defaultDataDir('darwin', {}, '/Users/ann')).toBe(
      '/Users/ann/Library/Application Support/TFTP Desk',
    );
    expect(
      defaultDataDir('win32', { APPDATA: 'C:\\Users\\ann\\AppData\\Roaming' }, 'C:\\Users\\ann'),
    ).toContain('TFTP Desk');
  });
});

describe('tftp-desk serve --dhcp with --syslog', () => {
  const provision = { ...DHCP_DEFAULTS, mode: 'provision' as const, interfaceAddress: '10.0.0.1' };

  it('points devices at the receiver with option 7, warning when it is not on 514', () => {
    expect(withLogServer(provision, 514)).toEqual({ settings: { ...provision, offerLogServer: true } });
    const other = withLogServer(provision, 5514);
    expect(other.settings.offerLogServer).toBe(true);
    expect(other.warning).toMatch(/port 514; the receiver listens on port 5514/);
  });

  it('leaves the settings alone without a receiver, without DHCP, or with a custom option 7', () => {
    expect(withLogServer(provision, undefined)).toEqual({ settings: provision });
    expect(withLogServer(DHCP_DEFAULTS, 514)).toEqual({ settings: DHCP_DEFAULTS });
    const custom = { ...provision, customOptions: [{ code: 7, value: 'ip:10.0.0.9' }] };
    expect(withLogServer(custom, 514)).toEqual({ settings: custom });
  });
});
