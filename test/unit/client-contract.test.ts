// The device address as typed in the Send to device tab: HOST, HOST:PORT, a bare IPv6 address, or
// [IPv6]:PORT; and the recent list the tab offers.
import { describe, expect, it } from 'vitest';
import { parseDeviceAddress, pushRecentDevice } from '../../shared/client-contract.js';
import { MAX_RECENT_DEVICES } from '../../shared/settings.js';

describe('parseDeviceAddress', () => {
  it('reads a host with or without a port', () => {
    expect(parseDeviceAddress('192.168.1.20')).toEqual({ host: '192.168.1.20', port: 69 });
    expect(parseDeviceAddress(' 192.168.1.20:6969 ')).toEqual({ host: '192.168.1.20', port: 6969 });
    expect(parseDeviceAddress('router.lan:69')).toEqual({ host: 'router.lan', port: 69 });
    expect(parseDeviceAddress('fe80::1')).toEqual({ host: 'fe80::1', port: 69 });
    expect(parseDeviceAddress('[fe80::1]:6969')).toEqual({ host: 'fe80::1', port: 6969 });
    expect(parseDeviceAddress('[::1]')).toEqual({ host: '::1', port: 69 });
  });

  it('explains what is wrong', () => {
    expect(parseDeviceAddress('')).toBe('Enter the device address.');
    expect(parseDeviceAddress(':69')).toBe('Enter the device address.');
    for (const bad of ['host:0', 'host:65536', 'host:6x', 'host:'])
      expect(parseDeviceAddress(bad), bad).toBe('The port must be a whole number from 1 to 65535.');
    for (const bad of ['a b', 'x\0y', '[::1', '[::1]:', 'h'.repeat(256)])
      expect(parseDeviceAddress(bad), bad).toBe('That device address is not valid.');
  });
});

describe('pushRecentDevice', () => {
  it('puts the newest first, once, and keeps a bounded list', () => {
    expect(pushRecentDevice(['a', 'b', 'c'], 'b')).toEqual(['b', 'a', 'c']);
    const long = Array.from({ length: 20 }, (_, i) => `h${i}`);
    expect(pushRecentDevice(long, 'new')).toHaveLength(MAX_RECENT_DEVICES);
  });
});
