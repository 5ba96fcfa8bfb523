import { describe, expect, it } from 'vitest';
import {
  customOptionBytes,
  DHCP_DEFAULTS,
  validateDhcpSettings,
  type DhcpSettings,
} from '../../shared/dhcp.js';
import {
  broadcastOf,
  formatIpv4,
  networkOf,
  normalizeMac,
  parseIpv4,
  prefixMask,
} from '../../shared/ipv4.js';
import { parseCustomOption } from '../../electron/dhcp/options.js';

const GOOD: DhcpSettings = {
  ...DHCP_DEFAULTS,
  mode: 'provision',
  interfaceAddress: '10.99.0.1',
  prefixLength: 24,
  rangeStart: '10.99.0.100',
  rangeEnd: '10.99.0.199',
  router: '10.99.0.254',
  dns: ['10.99.0.53', '9.9.9.9'],
  domainName: 'lab.example',
  bootFile: 'undionly.kpxe',
  reservations: [{ mac: 'AA-BB-CC-DD-EE-01', address: '10.99.0.20', bootFile: 'r.efi' }],
  allowMacs: ['aabb.ccdd.ee02'],
  allowVendorPrefixes: ['PXEClient'],
  customOptions: [
    { code: 43, value: 'hex:01 02 03' },
    { code: 42, value: 'ip:10.99.0.123' },
  ],
};

const check = (over: Partial<DhcpSettings>) => validateDhcpSettings({ ...GOOD, ...over });

describe('validateDhcpSettings', () => {
  it('accepts a sound provision setup, a proxy setup, and anything while off', () => {
    expect(validateDhcpSettings(GOOD)).toEqual([]);
    expect(check({ mode: 'proxy', rangeStart: '', rangeEnd: '', router: undefined })).toEqual([]);
    expect(validateDhcpSettings(DHCP_DEFAULTS)).toEqual([]);
    expect(check({ mode: 'off', rangeStart: 'garbage' })).toEqual([]);
  });

  const refused: [string, Partial<DhcpSettings>, string][] = [
    [
      'an unreadable interface address',
      { interfaceAddress: '10.99.0' },
      'Interface address "10.99.0" is not an IPv4 address.',
    ],
    ['a /31', { prefixLength: 31 }, 'Prefix length /31 must be a whole number from 8 to 30.'],
    [
      'the interface on the network address',
      { interfaceAddress: '10.99.0.0', rangeStart: '10.99.0.100' },
      'Interface address 10.99.0.0 is the network or broadcast address of 10.99.0.0/24.',
    ],
    [
      'a range outside the subnet',
      { rangeStart: '10.98.0.100' },
      'Range start 10.98.0.100 is outside 10.99.0.0/24, the subnet of 10.99.0.1.',
    ],
    [
      'start after end',
      { rangeStart: '10.99.0.200', rangeEnd: '10.99.0.100' },
      'Range start 10.99.0.200 is after range end 10.99.0.100.',
    ],
    [
      'a range holding our own address',
      { rangeStart: '10.99.0.1', rangeEnd: '10.99.0.50' },
      "The range 10.99.0.1-10.99.0.50 contains this server's own address 10.99.0.1; move the range or the interface address.",
    ],
    [
      'a range holding the router',
      { rangeEnd: '10.99.0.254' },
      'The range 10.99.0.100-10.99.0.254 contains the router 10.99.0.254; leave it out of the pool.',
    ],
    [
      'the broadcast address as range end',
      { rangeEnd: '10.99.0.255' },
      'Range end 10.99.0.255 is the broadcast address of 10.99.0.0/24.',
    ],
    [
      'the network address as range start',
      { rangeStart: '10.99.0.0' },
      'Range start 10.99.0.0 is the network address of 10.99.0.0/24.',
    ],
    [
      'a router off the subnet',
      { router: '192.168.1.1' },
      'Router 192.168.1.1 is outside 10.99.0.0/24, the subnet of 10.99.0.1.',
    ],
    ['a bad DNS server', { dns: ['8.8.8'] }, 'DNS server "8.8.8" is not an IPv4 address.'],
    [
      'a lease of 10 s',
      { leaseSeconds: 10 },
      'Lease time 10 s must be a whole number of seconds, at least 60.',
    ],
    [
      'a bad domain',
      { domainName: 'lab example' },
      'Domain name "lab example" may hold only letters, digits, dots and hyphens.',
    ],
    [
      'a malformed reservation MAC',
      { reservations: [{ mac: 'aa:bb:cc:dd:ee', address: '10.99.0.20' }] },
      'Reservation MAC "aa:bb:cc:dd:ee" is not a MAC address (like aa:bb:cc:dd:ee:ff).',
    ],
    [
      'a reservation on our own address',
      { reservations: [{ mac: 'aa:bb:cc:dd:ee:01', address: '10.99.0.1' }] },
      "Reserved address 10.99.0.1 is this server's own address.",
    ],
    [
      'two reservations for one address',
      {
        reservations: [
          { mac: 'aa:bb:cc:dd:ee:01', address: '10.99.0.20' },
          { mac: 'aa:bb:cc:dd:ee:02', address: '10.99.0.20' },
        ],
      },
      'Address 10.99.0.20 is reserved for both aa:bb:cc:dd:ee:01 and aa:bb:cc:dd:ee:02.',
    ],
    [
      'two reservations for one MAC, spelt differently',
      {
        reservations: [
          { mac: 'aa:bb:cc:dd:ee:01', address: '10.99.0.20' },
          { mac: 'AABBCCDDEE01', address: '10.99.0.21' },
        ],
      },
      'MAC aa:bb:cc:dd:ee:01 has more than one reservation.',
    ],
    [
      'a malformed allowed MAC',
      { allowMacs: ['zz:bb:cc:dd:ee:ff'] },
      'Allowed MAC "zz:bb:cc:dd:ee:ff" is not a MAC address (like aa:bb:cc:dd:ee:ff).',
    ],
    [
      'an empty vendor prefix',
      { allowVendorPrefixes: [''] },
      'Vendor class prefix "" must be non-empty printable text.',
    ],
    [
      'custom option 0',
      { customOptions: [{ code: 0, value: 'x' }] },
      'Option 0 cannot be a custom option: code 0 is the pad byte.',
    ],
    [
      'custom option 255',
      { customOptions: [{ code: 255, value: 'x' }] },
      'Option 255 cannot be a custom option: code 255 is the end marker.',
    ],
    [
      'custom option 53',
      { customOptions: [{ code: 53, value: 'u8:5' }] },
      'Option 53 cannot be a custom option: the service sets option 53 (message type) itself.',
    ],
    [
      'custom option 54',
      { customOptions: [{ code: 54, value: 'ip:10.0.0.1' }] },
      'Option 54 cannot be a custom option: the service sets option 54 (server identifier) to the interface address.',
    ],
    [
      'custom option 3',
      { customOptions: [{ code: 3, value: 'ip:10.0.0.1' }] },
      'Option 3 cannot be a custom option: use the Router setting.',
    ],
    [
      'custom option 256',
      { customOptions: [{ code: 256, value: 'x' }] },
      'Option code 256 must be a whole number from 1 to 254.',
    ],
    [
      'custom option 1.5',
      { customOptions: [{ code: 1.5, value: 'x' }] },
      'Option code 1.5 must be a whole number from 1 to 254.',
    ],
    [
      'one code twice',
      {
        customOptions: [
          { code: 100, value: 'a' },
          { code: 100, value: 'b' },
        ],
      },
      'Option 100 is set twice; give each code once.',
    ],
    [
      'bad hex',
      { customOptions: [{ code: 43, value: 'hex:0g' }] },
      'Option 43: "hex:0g" is not hex (two digits per byte).',
    ],
    [
      'a bad IP list',
      { customOptions: [{ code: 42, value: 'ip:10.0.0.1,10.0.0' }] },
      'Option 42: "10.0.0" is not an IPv4 address.',
    ],
    [
      'an oversized value',
      { customOptions: [{ code: 125, value: `hex:${'00'.repeat(256)}` }] },
      'Option 125: the value is 256 bytes; one option holds at most 255.',
    ],
    [
      'a boot file longer than the file field',
      { bootFile: 'x'.repeat(128) },
      'Boot file is 128 bytes; the BOOTP field holds 127.',
    ],
    [
      'a TFTP server name longer than sname',
      { tftpServerName: 's'.repeat(64) },
      'TFTP server name is 64 bytes; the BOOTP field holds 63.',
    ],
    [
      'a control character in a boot file',
      { bootFileUefi: 'a\nb' },
      'UEFI boot file "a\nb" holds a control character.',
    ],
    [
      'auto-stop after 0 minutes',
      { stopAfterMinutes: 0 },
      'Auto-stop after 0 minutes must be a whole number of minutes, at least 1.',
    ],
    [
      'proxy mode without any boot file',
      { mode: 'proxy', bootFile: undefined, reservations: [] },
      'proxyDHCP only tells PXE clients what to boot: set at least one boot file.',
    ],
  ];
  for (const [name, over, message] of refused) {
    it(`refuses ${name}`, () => {
      expect(check(over)).toContain(message);
    });
  }

  it('refuses an unknown mode', () => {
    expect(check({ mode: 'relay' as DhcpSettings['mode'] })).toEqual(['Unknown DHCP mode "relay".']);
  });

  it('lets a reservation lie outside the pool but inside the subnet', () => {
    expect(check({ reservations: [{ mac: 'aa:bb:cc:dd:ee:01', address: '10.99.0.250' }] })).toEqual([]);
  });
});

describe('custom option values', () => {
  const bytes = (v: string) => {
    const r = customOptionBytes(v);
    return r.ok ? [...r.bytes] : r.error;
  };
  it('reads hex, IP lists, numbers and text', () => {
    expect(bytes('hex:0a0B:0c-0d 0e')).toEqual([10, 11, 12, 13, 14]);
    expect(bytes('hex:')).toEqual([]);
    expect(bytes('ip:1.2.3.4, 5.6.7.8')).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(bytes('u8:255')).toEqual([255]);
    expect(bytes('u16:1500')).toEqual([5, 220]);
    expect(bytes('u32:86400')).toEqual([0, 1, 81, 128]);
    expect(bytes('text:ip:not an address')).toEqual([...Buffer.from('ip:not an address')]);
    expect(bytes('http://wpad/wpad.dat')).toEqual([...Buffer.from('http://wpad/wpad.dat')]);
    expect(bytes('u8:256')).toBe('"u8:256" is not a number from 0 to 255');
    expect(bytes('u16:-1')).toBe('"u16:-1" is not a number from 0 to 65535');
  });

  it('parses CODE=VALUE as typed on the command line', () => {
    expect(parseCustomOption('43=hex:010203')).toEqual({
      ok: true,
      option: { code: 43, value: 'hex:010203' },
    });
    expect(parseCustomOption('252=http://wpad/x=y')).toEqual({
      ok: true,
      option: { code: 252, value: 'http://wpad/x=y' },
    });
    expect(parseCustomOption('43')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/not CODE=VALUE/),
    });
    expect(parseCustomOption('x=1')).toMatchObject({ ok: false, error: '"x" is not an option code (1-254)' });
    expect(parseCustomOption('0=1')).toMatchObject({ ok: false, error: 'option code 0 is outside 1-254' });
    expect(parseCustomOption('53=u8:1')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^option 53 cannot be a custom option/),
    });
    expect(parseCustomOption('42=ip:1.2.3')).toEqual({
      ok: false,
      error: 'option 42: "1.2.3" is not an IPv4 address',
    });
  });
});

describe('IPv4 and MAC helpers', () => {
  it('parses and formats addresses strictly', () => {
    expect(parseIpv4('10.99.0.1')).toBe(0x0a630001);
    expect(parseIpv4('255.255.255.255')).toBe(0xffffffff);
    for (const bad of ['', '1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.x', ' 1.2.3.4'])
      expect(parseIpv4(bad)).toBeUndefined();
    expect(formatIpv4(0xc0a80101)).toBe('192.168.1.1');
    expect(formatIpv4(prefixMask(20))).toBe('255.255.240.0');
    expect(formatIpv4(networkOf(0x0a630a05, 16))).toBe('10.99.0.0');
    expect(formatIpv4(broadcastOf(0x0a630a05, 16))).toBe('10.99.255.255');
  });

  it('normalises the usual MAC spellings', () => {
    for (const m of [
      'AA:BB:CC:DD:EE:FF',
      'aa-bb-cc-dd-ee-ff',
      'aabb.ccdd.eeff',
      'AABBCCDDEEFF',
      ' aa:bb:cc:dd:ee:ff ',
    ])
      expect(normalizeMac(m)).toBe('aa:bb:cc:dd:ee:ff');
    for (const m of ['aa:bb:cc:dd:ee', 'aa:bb-cc:dd:ee:ff', 'gg:bb:cc:dd:ee:ff', 'aabbccddeeff00'])
      expect(normalizeMac(m)).toBeUndefined();
  });
});
