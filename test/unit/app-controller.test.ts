import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent } from '../../shared/events.js';
import type { NetInterface } from '../../shared/ipc-contract.js';
import { createAppController, type AppController } from '../../electron/app/controller.js';
import type { InterfaceWatcher } from '../../electron/app/interface-watcher.js';
import { NOT_IN_BROWSER, type NativeDialogs } from '../../electron/app/native-dialogs.js';
import {
  createMemorySettingsStore,
  defaultSettings,
  type SettingsStore,
} from '../../electron/app/settings-store.js';
import {
  fakeEngineFactory,
  finished,
  log,
  manualTimer,
  progress,
  started,
  type ManualTimer,
} from './app-fakes.js';

let base: string;
let root: string;
let store: SettingsStore;
let timer: ManualTimer;
let factory: ReturnType<typeof fakeEngineFactory>;
let controller: AppController;
let batches: EngineEvent[][];

function staticWatcher(list: NetInterface[] = []): InterfaceWatcher & { change(l: NetInterface[]): void } {
  const listeners = new Set<(l: NetInterface[]) => void>();
  let current = list;
  return {
    current: () => current,
    onChange: (l) => (listeners.add(l), () => listeners.delete(l)),
    dispose: () => listeners.clear(),
    change(l) {
      current = l;
      for (const x of listeners) x(l);
    },
  };
}

function make(opts: { dialogs?: NativeDialogs; watcher?: InterfaceWatcher } = {}) {
  controller = createAppController({
    dataDir: base,
    settings: store,
    createEngine: factory.create,
    platform: 'linux',
    timer,
    dialogs: opts.dialogs,
    interfaces: opts.watcher ?? staticWatcher(),
  });
  batches = [];
  controller.on('events', (b) => batches.push(b));
  return controller;
}

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'tftp-desk-ctl-'));
  root = join(base, 'root');
  mkdirSync(root);
  store = createMemorySettingsStore({ ...defaultSettings(root), port: 6969 });
  timer = manualTimer();
  factory = fakeEngineFactory();
  make();
});
afterEach(async () => {
  await controller.dispose();
  rmSync(base, { recursive: true, force: true });
});

describe('app controller: server lifecycle', () => {
  it('starts an engine with the engine part of the settings and reports it everywhere', async () => {
    const snap0 = await controller.getSnapshot();
    expect(snap0.server).toEqual({ state: 'stopped' });
    expect(snap0.capabilities).toEqual({ nativeDialogs: false, platform: 'linux' });

    const state = await controller.startServer();
    expect(state.state).toBe('listening');
    expect(factory.engines).toHaveLength(1);
    const given = factory.engines[0]!.settings as unknown as Record<string, unknown>;
    expect(given.root).toBe(root);
    expect(given.port).toBe(6969);
    expect('theme' in given || 'recentRoots' in given).toBe(false);
    expect((await controller.getSnapshot()).server).toEqual(state);
    expect(controller.serverState).toEqual(state);
    const servers = batches.flat().filter((e) => e.type === 'server');
    expect(servers.map((e) => e.type === 'server' && e.server.state)).toEqual(['starting', 'listening']);
  });

  it('a double start makes one engine; stop releases it; start again makes a fresh one', async () => {
    const [a, b] = await Promise.all([controller.startServer(), controller.startServer()]);
    expect(a.state).toBe('listening');
    expect(b.state).toBe('listening');
    expect(factory.engines).toHaveLength(1);
    expect((await controller.stopServer()).state).toBe('stopped');
    expect(factory.engines[0]!.stops).toBe(1);
    expect((await controller.getSnapshot()).server).toEqual({ state: 'stopped' });
    await controller.startServer();
    expect(factory.engines).toHaveLength(2);
  });

  it('keeps a start error on screen and can retry', async () => {
    factory = fakeEngineFactory({
      failWith: {
        state: 'error',
        code: 'EADDRINUSE',
        message: 'Port 6969 is in use.',
        hint: 'Stop the other server.',
      },
    });
    make();
    const state = await controller.startServer();
    expect(state).toMatchObject({ state: 'error', code: 'EADDRINUSE' });
    expect((await controller.getSnapshot()).server).toMatchObject({ state: 'error', code: 'EADDRINUSE' });
    factory.engines[0]!.nextStart = new Error('boom');
    await controller.startServer();
    expect(factory.engines).toHaveLength(2);
  });

  it('an engine that throws on start becomes an INTERNAL error state, not a crash', async () => {
    const create = factory.create;
    await controller.dispose();
    controller = createAppController({
      dataDir: base,
      settings: store,
      platform: 'linux',
      timer,
      interfaces: staticWatcher(),
      createEngine: (s) => {
        const e = create(s);
        e.nextStart = new Error('socket exploded');
        return e;
      },
    });
    expect(await controller.startServer()).toEqual({
      state: 'error',
      code: 'INTERNAL',
      message: 'socket exploded',
    });
  });

  it('refuses to start without a root', async () => {
    store.set({ root: '' });
    expect(await controller.startServer()).toMatchObject({ state: 'error', code: 'ROOT_MISSING' });
    expect(factory.engines).toHaveLength(0);
  });
});

describe('app controller: sessions', () => {
  it('books sessions from batches: live, then history, logs bounded per batch', async () => {
    await controller.startServer();
    const eng = factory.engines[0]!;
    eng.emit(started('s1'));
    for (let i = 1; i <= 100; i++) eng.emit(progress('s1', i * 10));
    eng.emit(log('hello'));
    timer.advance(100);
    let snap = await controller.getSnapshot();
    expect(snap.sessions).toHaveLength(1);
    expect(snap.sessions[0]).toMatchObject({ bytes: 1000, started: { id: 's1', file: 'boot.bin' } });
    expect(controller.activeSessions).toBe(1);
    expect(snap.log.map((l) => l.message)).toContain('hello');
    const before = batches.length;
    eng.emit(finished('s1'));
    timer.advance(100);
    expect(batches.length).toBe(before + 1);
    snap = await controller.getSnapshot();
    expect(snap.sessions).toHaveLength(0);
    expect(snap.history).toHaveLength(1);
    expect(snap.history[0]!.end.type).toBe('session-finished');
  });

  it('a snapshot plus the batches after it never count an event twice', async () => {
    await controller.startServer();
    const eng = factory.engines[0]!;
    eng.emit(started('s1'));
    timer.advance(100);
    eng.emit(started('s2')); // pending, not yet in a batch
    const snap = await controller.getSnapshot();
    expect(snap.sessions.map((s) => s.started.id)).toEqual(['s1']);
    timer.advance(100);
    expect(batches.at(-1)!.map((e) => e.type === 'session-started' && e.id)).toEqual(['s2']);
  });

  it('stopping ends sessions the engine left open, so the UI has no ghost rows', async () => {
    await controller.startServer();
    factory.engines[0]!.emit(started('ghost'));
    timer.advance(100);
    await controller.stopServer();
    const snap = await controller.getSnapshot();
    expect(snap.sessions).toHaveLength(0);
    expect(snap.history[0]!.end).toMatchObject({ type: 'session-failed', id: 'ghost', by: 'server' });
    expect(batches.flat().some((e) => e.type === 'session-failed' && e.id === 'ghost')).toBe(true);
  });
});

describe('app controller: settings', () => {
  it('rejects invalid settings and stores nothing', async () => {
    const r = await controller.updateSettings({ port: 0, uploads: 'sometimes' as never });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(Object.keys(r.errors).sort()).toEqual(['port', 'uploads']);
    expect(store.get().port).toBe(6969);
    const r2 = await controller.updateSettings({ root: join(base, 'nope') });
    expect(r2).toMatchObject({ ok: false, errors: { root: expect.stringMatching(/does not exist/) } });
    expect(store.get().root).toBe(root);
  });

  it('drops unknown keys instead of storing them', async () => {
    const r = await controller.updateSettings({ port: 7000, bogus: 1 } as never);
    expect(r.ok).toBe(true);
    expect('bogus' in store.get()).toBe(false);
  });

  it('applies engine-only changes in place and restarts for a new port', async () => {
    await controller.startServer();
    const first = factory.engines[0]!;
    expect((await controller.updateSettings({ uploads: 'create', theme: 'dark' })).ok).toBe(true);
    expect(first.updates.map((u) => u.uploads)).toEqual(['create']);
    expect(factory.engines).toHaveLength(1);
    await controller.updateSettings({ theme: 'light' });
    expect(first.updates).toHaveLength(1); // app-only: the engine is not bothered

    const r = await controller.updateSettings({ port: 7070 });
    expect(r.ok && r.settings.port).toBe(7070);
    expect(first.stops).toBe(1);
    expect(factory.engines).toHaveLength(2);
    expect(factory.engines[1]!.settings.port).toBe(7070);
    expect((await controller.getSnapshot()).server).toMatchObject({ state: 'listening' });
  });

  it('a stopped server is not started by a settings change', async () => {
    await controller.updateSettings({ port: 7071 });
    expect(factory.engines).toHaveLength(0);
  });

  it('setRoot validates the folder, restarts a listening server and remembers it as recent', async () => {
    const other = join(base, 'other');
    mkdirSync(other);
    writeFileSync(join(base, 'file.txt'), 'x');
    await controller.startServer();
    expect(await controller.setRoot('relative')).toMatchObject({ ok: false });
    expect(await controller.setRoot(join(base, 'file.txt'))).toMatchObject({ ok: false });
    expect(await controller.setRoot(other)).toEqual({ ok: true, value: other });
    expect(store.get().root).toBe(other);
    expect(store.get().recentRoots).toEqual([other]);
    expect(factory.engines).toHaveLength(2);
    expect(factory.engines[1]!.settings.root).toBe(other);
    await controller.setRoot(root);
    expect(store.get().recentRoots).toEqual([root, other]);
  });
});

describe('app controller: files, dialogs, interfaces', () => {
  it('lists and checksums through the current root', async () => {
    writeFileSync(join(root, 'a.bin'), 'abc');
    const files = await controller.listFiles();
    expect(files.ok && files.value.map((f) => f.name)).toEqual(['a.bin']);
    const sum = await controller.checksum('a.bin');
    expect(sum.ok && sum.value.md5).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect((await controller.checksum('../root/a.bin')).ok).toBe(false);
  });

  it('without native dialogs (browser UI) answers plainly', async () => {
    expect(await controller.chooseRoot()).toBeNull();
    expect(await controller.openRoot()).toEqual({ ok: false, message: NOT_IN_BROWSER });
    expect(await controller.exportLog('x')).toBeNull();
    expect(await controller.chooseClientFile({ direction: 'put' })).toBeNull();
  });

  it('uses native dialogs when the shell provides them', async () => {
    const picked = join(base, 'picked');
    mkdirSync(picked);
    const opened: string[] = [];
    const dialogs: NativeDialogs = {
      chooseFolder: async () => picked,
      openFolder: async (p) => (opened.push(p), ''),
      chooseSavePath: async (name) => join(base, name),
      chooseOpenFile: async (at) => (asked.push(['open', at]), join(base, 'fw.bin')),
      chooseSaveFile: async (at) => (asked.push(['save', at]), join(base, 'saved.cfg')),
    };
    const asked: [string, string | undefined][] = [];
    await controller.dispose();
    make({ dialogs });
    expect((await controller.getSnapshot()).capabilities.nativeDialogs).toBe(true);
    expect(await controller.chooseRoot()).toBe(picked);
    expect(store.get().root).toBe(picked);
    expect(await controller.openRoot()).toEqual({ ok: true, value: null });
    expect(opened).toEqual([picked]);
    const saved = await controller.exportLog('line 1\nline 2\n');
    expect(saved).toMatch(/tftp-desk-log-.*\.txt$/);
    expect(readFileSync(saved!, 'utf8')).toBe('line 1\nline 2\n');

    // Send to device: both dialogs start in the served folder, a get's with the device's file name
    expect(await controller.chooseClientFile({ direction: 'put' })).toBe(join(base, 'fw.bin'));
    expect(await controller.chooseClientFile({ direction: 'get', suggestedName: 'cfg/startup' })).toBe(
      join(base, 'saved.cfg'),
    );
    expect(asked).toEqual([
      ['open', picked],
      ['save', join(picked, 'startup')],
    ]);
  });

  it('pushes interface changes from the watcher', async () => {
    const watcher = staticWatcher();
    await controller.dispose();
    make({ watcher });
    const pushed: NetInterface[][] = [];
    controller.on('interfaces', (l) => pushed.push(l));
    const next = [{ name: 'eth9', addresses: [], internal: false, up: false, isDefault: false }];
    watcher.change(next);
    expect(pushed).toEqual([next]);
    expect((await controller.getSnapshot()).interfaces).toEqual(next);
    expect((await controller.listInterfaces()).length).toBeGreaterThan(0);
  });

  it('dispose stops a listening engine and silences pushes', async () => {
    await controller.startServer();
    await controller.dispose();
    expect(factory.engines[0]!.stops).toBe(1);
    const n = batches.length;
    factory.engines[0]!.emit(log('late'));
    timer.advance(1000);
    expect(batches.length).toBe(n);
  });
});
