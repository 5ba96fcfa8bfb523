// First run as a network engineer meets it: port 69 refused or taken offers a one-click move to
// 6969, the device commands name the address on the default route, and a fresh install serves
// ~/TFTP on port 69 with uploads off.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServerState } from '../../shared/events';
import type { NetInterface } from '../../shared/ipc-contract';
import { createConfSettingsStore, ensureDefaultRoot } from '../../electron/app/settings-store.js';
import { bindErrorState } from '../../electron/tftp/server-errors.js';
import { FALLBACK_PORT, portFixFor } from '../../renderer/lib/port-fix';
import {
  addressOptions,
  preferredAddresses,
  resolveCommandAddress,
} from '../../renderer/store/interfaces-store';
import { LOOPBACK } from '../helpers/interfaces';

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(code), { code });

describe('the port fix', () => {
  it('offers 6969 when port 69 is refused or taken', () => {
    expect(portFixFor(bindErrorState(errno('EACCES'), '0.0.0.0', 69), 69)).toBe(6969);
    expect(portFixFor(bindErrorState(errno('EPERM'), '0.0.0.0', 69), 69)).toBe(6969);
    expect(portFixFor(bindErrorState(errno('EADDRINUSE'), '0.0.0.0', 69), 69)).toBe(6969);
    expect(portFixFor(bindErrorState(errno('EADDRINUSE'), '127.0.0.1', 40123), 40123)).toBe(6969);
  });

  it('offers 6970 when 6969 is the port that failed', () => {
    expect(FALLBACK_PORT).toBe(6969);
    expect(portFixFor(bindErrorState(errno('EADDRINUSE'), '::', 6969), 6969)).toBe(6970);
    expect(portFixFor(bindErrorState(errno('EACCES'), '::', 6969), 6969)).toBe(6970);
    // and from 6970 back to 6969 (the user may have moved 6969's holder away meanwhile)
    expect(portFixFor(bindErrorState(errno('EADDRINUSE'), '::', 6970), 6970)).toBe(6969);
  });

  it('offers nothing when another port would not help', () => {
    const states: ServerState[] = [
      { state: 'stopped' },
      { state: 'starting' },
      { state: 'stopping' },
      { state: 'listening', addresses: [], root: '/srv/tftp' },
      bindErrorState(errno('EADDRNOTAVAIL'), '10.1.2.3', 69),
      bindErrorState(errno('EHOSTUNREACH'), '10.1.2.3', 69),
      { state: 'error', code: 'ROOT_MISSING', message: 'Choose a folder to serve first.' },
      { state: 'error', code: 'INVALID_SETTINGS', message: 'Port must be a whole number.' },
    ];
    for (const state of states) expect(portFixFor(state, 69), JSON.stringify(state)).toBeNull();
    // settings not loaded yet: no port to move from
    expect(portFixFor(bindErrorState(errno('EACCES'), '0.0.0.0', 69), undefined)).toBeNull();
  });

  it('leaves a hint that tells how to keep port 69', () => {
    const refused = bindErrorState(errno('EACCES'), '0.0.0.0', 69);
    expect(refused.hint).toMatch(/6969/);
    const taken = bindErrorState(errno('EADDRINUSE'), '0.0.0.0', 6969);
    expect(taken.hint).toMatch(/6970/);
  });
});

const lo = LOOPBACK;
const docker: NetInterface = {
  name: 'docker0',
  internal: false,
  up: true,
  isDefault: false,
  addresses: [{ address: '172.17.0.1', family: 'IPv4', prefix: 16 }],
};
const wifi: NetInterface = {
  name: 'wlan0',
  internal: false,
  up: true,
  isDefault: true,
  addresses: [
    { address: 'fe80::1c2b:3cff:fe4d:5e6f', family: 'IPv6', prefix: 64 },
    { address: '2001:db8:1::25', family: 'IPv6', prefix: 64 },
    { address: '192.168.1.25', family: 'IPv4', prefix: 24 },
  ],
};
const usbEth: NetInterface = {
  name: 'enx001122334455',
  internal: false,
  up: true,
  isDefault: false,
  addresses: [
    { address: 'fe80::211:22ff:fe33:4455', family: 'IPv6', prefix: 64 },
    { address: '169.254.10.20', family: 'IPv4', prefix: 16 },
  ],
};

const pick = (ifaces: NetInterface[], hosts: string[] = []) =>
  resolveCommandAddress(ifaces, hosts, null)?.address;

describe('the address the device uses', () => {
  it('is the default-route IPv4 when listening on all interfaces, not loopback', () => {
    expect(pick([lo, docker, usbEth, wifi])).toBe('192.168.1.25');
    expect(pick([lo, wifi])).toBe('192.168.1.25');
  });

  it('orders the whole list: default route (IPv4, IPv6), other external, link-local, loopback', () => {
    const order = preferredAddresses(addressOptions([lo, docker, usbEth, wifi], []), [
      lo,
      docker,
      usbEth,
      wifi,
    ]).map((o) => o.address);
    expect(order).toEqual([
      '192.168.1.25',
      '2001:db8:1::25',
      '172.17.0.1',
      'fe80::1c2b:3cff:fe4d:5e6f',
      '169.254.10.20',
      'fe80::211:22ff:fe33:4455',
      '127.0.0.1',
      '::1',
    ]);
  });

  it('takes the default route IPv6 over another interface when the default has no IPv4', () => {
    const v6only: NetInterface = { ...wifi, addresses: wifi.addresses.filter((a) => a.family === 'IPv6') };
    expect(pick([lo, docker, v6only])).toBe('2001:db8:1::25');
  });

  it('falls back to other external addresses, and to loopback only when nothing else exists', () => {
    expect(pick([lo, docker])).toBe('172.17.0.1');
    // a direct cable with no DHCP: the self-assigned IPv4 is what the device can use
    expect(pick([lo, usbEth])).toBe('169.254.10.20');
    expect(pick([lo])).toBe('127.0.0.1');
    expect(pick([])).toBeUndefined();
  });

  it('treats --host 0.0.0.0 and --host :: as all interfaces, never offering the wildcard', () => {
    expect(pick([lo, docker, wifi], ['0.0.0.0'])).toBe('192.168.1.25');
    expect(addressOptions([lo, wifi], ['0.0.0.0']).map((o) => o.address)).toEqual([
      '127.0.0.1',
      '192.168.1.25',
    ]);
    expect(pick([lo, docker, wifi], ['::'])).toBe('192.168.1.25');
  });

  it('stays within the addresses listened on, and keeps a pick that still exists', () => {
    expect(pick([lo, docker, wifi], ['127.0.0.1'])).toBe('127.0.0.1');
    expect(pick([lo, docker, wifi], ['172.17.0.1'])).toBe('172.17.0.1');
    expect(resolveCommandAddress([lo, wifi], [], '::1')?.address).toBe('::1');
    expect(resolveCommandAddress([lo, wifi], [], '10.0.0.9')?.address).toBe('192.168.1.25');
  });
});

describe('a fresh install', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('has no root yet (so the app creates ~/TFTP), port 69 and uploads off', () => {
    const userData = mkdtempSync(join(tmpdir(), 'tftp-desk-first-run-'));
    const home = mkdtempSync(join(tmpdir(), 'tftp-desk-home-'));
    dirs.push(userData, home);
    const store = createConfSettingsStore({ cwd: userData });
    expect(store.get()).toMatchObject({ root: '', port: 69, uploads: 'off', autoStart: false });
    // what electron/shell/main.ts does when no root is stored
    store.set({ root: ensureDefaultRoot(home) });
    expect(store.get().root).toBe(join(home, 'TFTP'));
    expect(readFileSync(join(home, 'TFTP', 'README.txt'), 'utf8')).toMatch(/served by TFTP Desk/);
    expect(createConfSettingsStore({ cwd: userData }).get().root).toBe(join(home, 'TFTP'));
  });
});
