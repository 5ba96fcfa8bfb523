import { describe, expect, it } from 'vitest';
import { networkInterfaces } from 'node:os';
import {
  guessDefault,
  listInterfaces,
  parseProcIpv6Route,
  parseProcRoute,
  prefixOf,
  toNetInterfaces,
  type RawInterfaces,
} from '../../electron/app/interfaces.js';
import { createInterfaceWatcher } from '../../electron/app/interface-watcher.js';
import type { NetInterface } from '../../shared/ipc-contract.js';
import { manualTimer } from './app-fakes.js';

const ROUTE = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
eth0\t00000000\t0101A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0
eth0\t0001A8C0\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
wlan0\t00000000\t0100000A\t0002\t0\t0\t600\t00000000\t0\t0\t0
docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0
`;

const IPV6_ROUTE = `00000000000000000000000000000000 00 00000000000000000000000000000000 00 fe800000000000000000000000000001 00000400 00000001 00000000 00000003 eth1
fe800000000000000000000000000000 40 00000000000000000000000000000000 00 00000000000000000000000000000000 00000100 00000001 00000000 00000001 eth0
00000000000000000000000000000000 00 00000000000000000000000000000000 00 00000000000000000000000000000000 ffffffff 00000001 00000000 00200200 lo
`;

const RAW: RawInterfaces = {
  lo: [
    {
      address: '127.0.0.1',
      netmask: '255.0.0.0',
      family: 'IPv4',
      mac: '00:00:00:00:00:00',
      internal: true,
      cidr: '127.0.0.1/8',
    },
    {
      address: '::1',
      netmask: 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      family: 'IPv6',
      mac: '00:00:00:00:00:00',
      internal: true,
      cidr: '::1/128',
      scopeid: 0,
    },
  ],
  eth0: [
    {
      address: '169.254.3.4',
      netmask: '255.255.0.0',
      family: 'IPv4',
      mac: '02:00:00:00:00:01',
      internal: false,
      cidr: null,
    },
  ],
  eth1: [
    {
      address: '192.168.1.20',
      netmask: '255.255.255.0',
      family: 'IPv4',
      mac: '02:00:00:00:00:02',
      internal: false,
      cidr: '192.168.1.20/24',
    },
    {
      address: 'fe80::1',
      netmask: 'ffff:ffff:ffff:ffff::',
      family: 'IPv6',
      mac: '02:00:00:00:00:02',
      internal: false,
      cidr: null,
      scopeid: 2,
    },
  ],
};

describe('interfaces', () => {
  it('reads the prefix from the CIDR, else from the netmask', () => {
    expect(prefixOf({ cidr: '10.1.2.3/22', netmask: '255.255.255.0', family: 'IPv4' })).toBe(22);
    expect(prefixOf({ cidr: null, netmask: '255.255.0.0', family: 'IPv4' })).toBe(16);
    expect(prefixOf({ cidr: null, netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6' })).toBe(64);
    expect(prefixOf({ cidr: null, netmask: 'ffff:ffff:ffff:ff00::', family: 'IPv6' })).toBe(56);
  });

  it('finds default routes in /proc/net/route (up only) and /proc/net/ipv6_route (not lo, not reject)', () => {
    expect(parseProcRoute(ROUTE)).toEqual(['eth0']);
    expect(parseProcRoute('')).toEqual([]);
    expect(parseProcIpv6Route(IPV6_ROUTE)).toEqual(['eth1']);
  });

  it('guesses the first external interface with a routable IPv4 address', () => {
    expect(guessDefault(RAW)).toBe('eth1');
    expect(guessDefault({ lo: RAW.lo })).toBeUndefined();
  });

  it('turns os.networkInterfaces() into the UI list', () => {
    const list = toNetInterfaces(RAW, ['eth1']);
    expect(list.map((i) => [i.name, i.internal, i.up, i.isDefault])).toEqual([
      ['lo', true, true, false],
      ['eth0', false, true, false],
      ['eth1', false, true, true],
    ]);
    expect(list[2]!.addresses).toEqual([
      { address: '192.168.1.20', family: 'IPv4', prefix: 24 },
      { address: 'fe80::1', family: 'IPv6', prefix: 64 },
    ]);
  });

  it('lists this machine’s real interfaces, loopback included', () => {
    const list = listInterfaces();
    const names = Object.keys(networkInterfaces());
    expect(list.map((i) => i.name)).toEqual(names);
    const lo = list.find((i) => i.addresses.some((a) => a.address === '127.0.0.1'));
    expect(lo).toMatchObject({ internal: true, up: true });
    expect(lo!.addresses.find((a) => a.address === '127.0.0.1')!.prefix).toBe(8);
  });
});

describe('interface watcher', () => {
  it('polls every 2 s and reports only changes', () => {
    const timer = manualTimer();
    let current: NetInterface[] = [
      { name: 'eth0', addresses: [], internal: false, up: false, isDefault: false },
    ];
    let reads = 0;
    const watcher = createInterfaceWatcher({
      timer,
      read: () => {
        reads++;
        return structuredClone(current);
      },
    });
    const seen: NetInterface[][] = [];
    watcher.onChange((l) => seen.push(l));
    timer.advance(1999);
    expect(reads).toBe(1);
    timer.advance(1);
    expect(reads).toBe(2);
    timer.advance(4000);
    expect(seen).toHaveLength(0);
    current = [
      {
        name: 'eth0',
        addresses: [{ address: '10.0.0.2', family: 'IPv4', prefix: 8 }],
        internal: false,
        up: true,
        isDefault: true,
      },
    ];
    timer.advance(2000);
    expect(seen).toHaveLength(1);
    expect(watcher.current()[0]!.up).toBe(true);
    timer.advance(6000);
    expect(seen).toHaveLength(1);
    watcher.dispose();
    expect(timer.pending()).toBe(0);
  });
});
