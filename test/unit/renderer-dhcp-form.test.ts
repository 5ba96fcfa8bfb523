import { describe, expect, it } from 'vitest';
import { DHCP_DEFAULTS, validateDhcpSettings, type DhcpSettings } from '../../shared/dhcp.js';
import type { NetInterface } from '../../shared/ipc-contract.js';
import {
  checkDraft,
  chooseInterface,
  dhcpFromDraft,
  draftFromDhcp,
  fieldOfMessage,
  formatTimeLeft,
  ipv4Choices,
  suggestRange,
} from '../../renderer/lib/dhcp-form.js';

const FULL: DhcpSettings = {
  ...DHCP_DEFAULTS,
  mode: 'provision',
  interfaceAddress: '192.168.50.1',
  prefixLength: 24,
  rangeStart: '192.168.50.100',
  rangeEnd: '192.168.50.199',
  leaseSeconds: 7200,
  router: '192.168.50.254',
  dns: ['192.168.50.1', '9.9.9.9'],
  domainName: 'lab.example',
  bootFile: 'undionly.kpxe',
  bootFileUefi: 'ipxe.efi',
  bootFileIpxe: 'boot.ipxe',
  bootFileArm64: 'arm/grubaa64.efi',
  tftpServerName: 'tftp.lab',
  reservations: [
    { mac: '52:54:00:12:34:56', address: '192.168.50.20' },
    { mac: '52:54:00:12:34:57', address: '192.168.50.21', bootFile: 'special/host21.efi' },
  ],
  customOptions: [{ code: 42, value: 'ip:192.168.50.1' }],
  allowMacs: ['52:54:00:12:34:56'],
  allowVendorPrefixes: ['PXEClient'],
  force: true,
  offerLogServer: true,
  stopAfterMinutes: 30,
};

describe('the boot services form draft', () => {
  it('turns settings into text and back without losing anything', () => {
    const draft = draftFromDhcp(FULL);
    expect(draft.reservations).toBe(
      '52:54:00:12:34:56=192.168.50.20\n52:54:00:12:34:57=192.168.50.21,special/host21.efi',
    );
    expect(draft.customOptions).toBe('42=ip:192.168.50.1');
    const back = dhcpFromDraft(draft);
    expect(back.unreadable).toEqual({});
    expect(back.settings).toEqual(FULL);
    expect(dhcpFromDraft(draftFromDhcp(DHCP_DEFAULTS)).settings).toEqual(DHCP_DEFAULTS);
  });

  it('says which lines it cannot read, beside their field', () => {
    const { errors } = checkDraft({
      ...draftFromDhcp(FULL),
      reservations: '52:54:00:12:34:56=192.168.50.20\njust-a-mac',
      customOptions: 'forty-two',
    });
    expect(errors.reservations).toEqual(['"just-a-mac" must look like MAC=IP or MAC=IP,boot file.']);
    expect(errors.customOptions).toEqual(['"forty-two" must look like CODE=VALUE, e.g. 42=ip:10.0.0.1.']);
  });

  it('puts each message of the shared check beside its field', () => {
    const bad: DhcpSettings = {
      ...FULL,
      rangeEnd: '10.0.0.5',
      router: 'gateway',
      leaseSeconds: 5,
      dns: ['dns'],
      domainName: 'bad domain',
      bootFileUefi: 'a\u0001b',
      bootFileIpxe: 'x'.repeat(200),
      bootFileArm64: 'y'.repeat(200),
      tftpServerName: 'z'.repeat(100),
      reservations: [{ mac: 'nope', address: '192.168.50.20', bootFile: 'q'.repeat(200) }],
      customOptions: [{ code: 3, value: 'u8:1' }],
      allowMacs: ['also-nope'],
      allowVendorPrefixes: ['PXE\u0007'],
      stopAfterMinutes: 0,
    };
    const { errors } = checkDraft(draftFromDhcp(bad));
    expect(Object.keys(errors).sort()).toEqual(
      [
        'allowMacs',
        'allowVendorPrefixes',
        'bootFileArm64',
        'bootFileIpxe',
        'bootFileUefi',
        'customOptions',
        'dns',
        'domainName',
        'leaseSeconds',
        'rangeStart',
        'reservations',
        'router',
        'stopAfterMinutes',
        'tftpServerName',
      ].sort(),
    );
    expect(errors.general).toBeUndefined();
    expect(errors.rangeStart).toContain(
      'Range end 10.0.0.5 is outside 192.168.50.0/24, the subnet of 192.168.50.1.',
    );
    // nothing the check says is left without a field
    for (const m of validateDhcpSettings(bad)) expect(fieldOfMessage(m)).not.toBe('general');
  });

  it('marks the interface, the range and the boot files for what the check says about them', () => {
    expect(fieldOfMessage('Interface address "" is not an IPv4 address.')).toBe('interfaceAddress');
    expect(
      fieldOfMessage('The range 10.0.0.1-10.0.0.9 contains the router 10.0.0.5; leave it out of the pool.'),
    ).toBe('rangeStart');
    expect(fieldOfMessage('proxyDHCP only tells PXE clients what to boot: set at least one boot file.')).toBe(
      'bootFile',
    );
    expect(fieldOfMessage('Boot file of 52:54:00:12:34:56 is 200 bytes; the BOOTP field holds 127.')).toBe(
      'reservations',
    );
    expect(fieldOfMessage('Something else entirely.')).toBe('general');
  });
});

describe('the range suggested for an interface', () => {
  it('is .100-.199 on a /24, away from the interface address', () => {
    expect(suggestRange('192.168.1.5', 24)).toEqual({ start: '192.168.1.100', end: '192.168.1.199' });
    expect(suggestRange('192.168.1.150', 24)).toEqual({ start: '192.168.1.151', end: '192.168.1.250' });
    expect(suggestRange('127.0.0.1', 8)).toEqual({ start: '127.0.0.100', end: '127.0.0.199' });
  });

  it('fits small subnets and passes the shared check', () => {
    for (const [address, prefix] of [
      ['10.0.0.1', 28],
      ['10.0.0.14', 28],
      ['10.0.0.1', 30],
      ['172.16.5.9', 25],
      ['10.1.2.3', 16],
    ] as const) {
      const range = suggestRange(address, prefix);
      expect(range, `${address}/${prefix}`).toBeDefined();
      const settings = {
        ...DHCP_DEFAULTS,
        mode: 'provision' as const,
        interfaceAddress: address,
        prefixLength: prefix,
        rangeStart: range?.start ?? '',
        rangeEnd: range?.end ?? '',
      };
      expect(validateDhcpSettings(settings), `${address}/${prefix}`).toEqual([]);
    }
  });

  it('is none where no pool fits', () => {
    expect(suggestRange('10.0.0.1', 31)).toBeUndefined();
    expect(suggestRange('10.0.0.1', 32)).toBeUndefined();
    expect(suggestRange('', 24)).toBeUndefined();
  });

  it('replaces a range that does not fit the chosen interface, and keeps one that does', () => {
    const draft = draftFromDhcp({ ...FULL });
    expect(chooseInterface(draft, { address: '10.9.0.1', prefix: 24 })).toEqual({
      interfaceAddress: '10.9.0.1',
      prefixLength: 24,
      rangeStart: '10.9.0.100',
      rangeEnd: '10.9.0.199',
    });
    expect(chooseInterface(draft, { address: '192.168.50.2', prefix: 24 })).toEqual({
      interfaceAddress: '192.168.50.2',
      prefixLength: 24,
    });
  });
});

describe('the interface choices', () => {
  it('lists every IPv4 address, the ones devices can reach first', () => {
    const interfaces: NetInterface[] = [
      {
        name: 'lo',
        internal: true,
        up: true,
        isDefault: false,
        addresses: [{ address: '127.0.0.1', family: 'IPv4', prefix: 8 }],
      },
      {
        name: 'eth0',
        internal: false,
        up: true,
        isDefault: true,
        addresses: [
          { address: 'fe80::1', family: 'IPv6', prefix: 64 },
          { address: '192.168.1.5', family: 'IPv4', prefix: 24 },
          { address: '10.0.0.5', family: 'IPv4', prefix: 16 },
        ],
      },
    ];
    expect(ipv4Choices(interfaces).map((c) => `${c.interface} ${c.address}/${c.prefix}`)).toEqual([
      'eth0 192.168.1.5/24',
      'eth0 10.0.0.5/16',
      'lo 127.0.0.1/8',
    ]);
  });
});

describe('the time a lease has left', () => {
  it('reads as a person would say it', () => {
    expect(formatTimeLeft(-5)).toBe('expired');
    expect(formatTimeLeft(0)).toBe('expired');
    expect(formatTimeLeft(44_200)).toBe('45 s');
    expect(formatTimeLeft(12 * 60_000)).toBe('12 min');
    expect(formatTimeLeft(185 * 60_000)).toBe('3 h 05 min');
    expect(formatTimeLeft(52 * 3_600_000)).toBe('2 d 4 h');
  });
});
