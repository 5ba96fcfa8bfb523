import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { APP_DEFAULTS, MAX_RECENT_ROOTS } from '../../shared/settings.js';
import {
  createConfSettingsStore,
  createMemorySettingsStore,
  defaultSettings,
  ensureDefaultRoot,
  migrateSettings,
} from '../../electron/app/settings-store.js';
import { toEngineSettings } from '../../electron/app/engine-settings.js';

const dirs: string[] = [];
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'tftp-desk-settings-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migrateSettings', () => {
  it('fills defaults for garbage input', () => {
    for (const raw of [undefined, null, 42, 'x', [], [1]]) {
      expect(migrateSettings(raw)).toEqual({ ...APP_DEFAULTS, root: '' });
    }
    expect(migrateSettings({}, '/srv/tftp').root).toBe('/srv/tftp');
  });

  it('keeps valid values, replaces invalid ones, drops unknown keys', () => {
    const s = migrateSettings({
      root: '/data/tftp',
      port: 6969,
      uploads: 'create',
      allow: ['10.0.0.0/8'],
      maxBlksize: 3, // invalid
      timeout: 'soon', // invalid
      theme: 'neon', // invalid
      notifications: true,
      hosts: ['not-an-ip'], // invalid
      portRange: { from: 50000, to: 50100, extra: 1 },
      somethingOld: 'x',
      __proto__: { polluted: true },
    });
    expect(s.root).toBe('/data/tftp');
    expect(s.port).toBe(6969);
    expect(s.uploads).toBe('create');
    expect(s.allow).toEqual(['10.0.0.0/8']);
    expect(s.maxBlksize).toBe(APP_DEFAULTS.maxBlksize);
    expect(s.timeout).toBe(APP_DEFAULTS.timeout);
    expect(s.theme).toBe('system');
    expect(s.notifications).toBe(true);
    expect(s.hosts).toEqual([]);
    expect(s.portRange).toEqual({ from: 50000, to: 50100 });
    expect('somethingOld' in s).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('treats a null port range as none and cleans the recent list', () => {
    const many = Array.from({ length: 20 }, (_, i) => `/r${i}`);
    const s = migrateSettings({ portRange: null, recentRoots: ['/a', '/a', '', ...many] });
    expect(s.portRange).toBeUndefined();
    expect(s.recentRoots[0]).toBe('/a');
    expect(s.recentRoots).toHaveLength(MAX_RECENT_ROOTS);
    expect(migrateSettings({ recentRoots: ['/a', 3] }).recentRoots).toEqual([]);
  });

  it('keeps the recent device addresses only when they are a short list of addresses', () => {
    expect(
      migrateSettings({ recentDevices: ['192.0.2.1:69', '192.0.2.1:69', '[::1]:6969'] }).recentDevices,
    ).toEqual(['192.0.2.1:69', '[::1]:6969']);
    expect(migrateSettings({ recentDevices: ['192.0.2.1', 7] }).recentDevices).toEqual([]);
    expect(migrateSettings({ recentDevices: ['a\0b'] }).recentDevices).toEqual([]);
    expect(
      migrateSettings({ recentDevices: Array.from({ length: 50 }, (_, i) => `h${i}`) }).recentDevices,
    ).toEqual([]);
  });
});

describe('settings stores', () => {
  it('memory store returns copies and merges patches', () => {
    const store = createMemorySettingsStore(defaultSettings('/x'));
    const a = store.get();
    a.allow.push('1.2.3.4');
    expect(store.get().allow).toEqual([]);
    store.set({ port: 1069, portRange: { from: 2000, to: 3000 } });
    expect(store.get()).toMatchObject({ root: '/x', port: 1069, portRange: { from: 2000, to: 3000 } });
  });

  it('conf store persists to config.json in cwd and survives a reopen', () => {
    const cwd = tmp();
    const store = createConfSettingsStore({ cwd, fallbackRoot: '/home/u/TFTP' });
    expect(store.get().root).toBe('/home/u/TFTP');
    store.set({ port: 6969, portRange: { from: 50000, to: 50010 }, recentRoots: ['/a'] });
    store.set({ portRange: undefined });
    const onDisk = JSON.parse(readFileSync(join(cwd, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(onDisk.port).toBe(6969);
    expect('portRange' in onDisk).toBe(false);
    const again = createConfSettingsStore({ cwd });
    expect(again.get()).toMatchObject({ root: '/home/u/TFTP', port: 6969, recentRoots: ['/a'] });
    expect(again.get().portRange).toBeUndefined();
  });

  it('keeps device profile rules across a reopen, drops a list with a bad rule, and hands them to the engine', () => {
    const cwd = tmp();
    const store = createConfSettingsStore({ cwd, fallbackRoot: '/srv' });
    expect(store.get().profiles).toEqual([]);
    const rules = [
      { match: '10.0.0.0/24', profile: 'old-u-boot' },
      { match: 'client:cisco', profile: 'cisco-rommon' },
    ];
    store.set({ profiles: rules });
    expect(createConfSettingsStore({ cwd }).get().profiles).toEqual(rules);
    expect(toEngineSettings(createConfSettingsStore({ cwd }).get()).profiles).toEqual(rules);
    const bad = migrateSettings({ profiles: [...rules, { match: '10.0.0.1', profile: 'turbo' }] });
    expect(bad.profiles).toEqual([]);
  });

  it('conf store repairs a hand-edited file instead of failing to start', () => {
    const cwd = tmp();
    writeFileSync(join(cwd, 'config.json'), JSON.stringify({ root: '/srv', port: 70000, uploads: 'yes' }));
    const store = createConfSettingsStore({ cwd });
    expect(store.get()).toMatchObject({ root: '/srv', port: APP_DEFAULTS.port, uploads: 'off' });
    const broken = tmp();
    writeFileSync(join(broken, 'config.json'), '{ not json');
    expect(createConfSettingsStore({ cwd: broken, fallbackRoot: '/r' }).get().root).toBe('/r');
  });
});

describe('ensureDefaultRoot', () => {
  it('creates ~/TFTP with a README on first run and leaves an existing folder alone', () => {
    const home = tmp();
    const root = ensureDefaultRoot(home);
    expect(root).toBe(join(home, 'TFTP'));
    expect(readFileSync(join(root, 'README.txt'), 'utf8')).toMatch(/served by TFTP Desk/);
    const other = tmp();
    mkdirSync(join(other, 'TFTP'));
    ensureDefaultRoot(other);
    expect(existsSync(join(other, 'TFTP', 'README.txt'))).toBe(false);
    // a second call on the first home does not throw
    expect(ensureDefaultRoot(home)).toBe(root);
  });
});
