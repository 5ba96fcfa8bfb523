// The syslog receiver inside the app: the real receiver on loopback, real `logger` (util-linux)
// sending RFC 3164 and RFC 5424, and what the controller pushes to the windows and keeps for a
// window that opens later. Settings persist in their own file; start at launch only when left on.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { EventChannel, EventChannels } from '../../shared/ipc-contract.js';
import type { SyslogMessage } from '../../shared/syslog.js';
import { createAppController, type AppController } from '../../electron/app/controller.js';
import { createMemorySettingsStore, defaultSettings } from '../../electron/app/settings-store.js';
import {
  createConfSyslogSettingsStore,
  createMemorySyslogSettingsStore,
  type SyslogSettingsStore,
} from '../../electron/app/syslog-settings-store.js';
import { fakeEngineFactory } from './app-fakes.js';

const run = promisify(execFile);

let controller: AppController;
let syslogStore: SyslogSettingsStore;
let pushes: { channel: EventChannel; payload: unknown }[];
let waiters: (() => void)[];
const cleanups: (() => Promise<void> | void)[] = [];

/** the controller's data folder (the DHCP lease file would live there); removed after each test */
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tftp-desk-syslog-data-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

const CHANNELS = ['syslog-state', 'syslog-messages', 'syslog-dropped', 'syslog-cleared'] as const;

function make(store: SyslogSettingsStore = syslogStore): AppController {
  const c = createAppController({
    settings: createMemorySettingsStore(defaultSettings('')),
    createEngine: fakeEngineFactory().create,
    platform: 'linux',
    interfaces: { current: () => [], onChange: () => () => undefined, dispose: () => undefined },
    syslogSettings: store,
    dataDir: dataDir(),
  });
  for (const channel of CHANNELS)
    c.on(channel, (payload) => {
      pushes.push({ channel, payload });
      for (const w of waiters.splice(0)) w();
    });
  cleanups.push(() => c.dispose());
  return c;
}

function pushed<K extends EventChannel>(channel: K): EventChannels[K][] {
  return pushes.filter((p) => p.channel === channel).map((p) => p.payload as EventChannels[K]);
}

const messages = (): SyslogMessage[] => pushed('syslog-messages').flat();

/** Waits until `done()` holds, re-checking at each push; fails after `ms` (a bound, not a timing claim). */
async function until(done: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    const left = deadline - Date.now();
    if (left <= 0) throw new Error(`timed out waiting for ${what}`);
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, Math.min(left, 200));
      waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function logger(port: number, ...args: string[]): Promise<void> {
  await run('logger', ['--udp', '--server', '127.0.0.1', '--port', String(port), ...args]);
}

async function sendRaw(port: number, texts: string[]): Promise<void> {
  const s: Socket = createSocket('udp4');
  try {
    for (const text of texts)
      await new Promise<void>((resolve, reject) =>
        s.send(Buffer.from(text), port, '127.0.0.1', (err) => (err ? reject(err) : resolve())),
      );
  } finally {
    s.close();
  }
}

/** Listening on loopback only, on a free high port. */
async function startOnLoopback(c: AppController): Promise<number> {
  const port = await freeUdpPort();
  const saved = await c.setSyslogSettings({ host: '127.0.0.1', port });
  expect(saved.ok).toBe(true);
  const state = await c.startSyslog();
  expect(state).toMatchObject({ state: 'listening', addresses: [{ address: '127.0.0.1', port }] });
  return port;
}

beforeEach(() => {
  pushes = [];
  waiters = [];
  syslogStore = createMemorySyslogSettingsStore();
  controller = make();
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('syslog in the app', () => {
  it('pushes what logger sends in RFC 3164 and RFC 5424, and a new window gets the same messages', async () => {
    const port = await startOnLoopback(controller);
    expect(pushed('syslog-state').at(-1)).toMatchObject({ state: 'listening' });

    await logger(port, '--rfc3164', '-t', 'flashd', '-p', 'local3.warning', 'writing image to flash');
    await logger(port, '--rfc5424', '-t', 'upgrader', '-p', 'daemon.err', 'checksum mismatch');
    await sendRaw(port, ['no priority here']);
    await until(() => messages().length >= 3, 'three messages');

    const [a, b, c] = messages();
    expect(a).toMatchObject({
      format: 'rfc3164',
      facility: 19,
      severity: 4,
      appName: 'flashd',
      message: 'writing image to flash',
      peer: { address: '127.0.0.1' },
    });
    expect(b).toMatchObject({
      format: 'rfc5424',
      facility: 3,
      severity: 3,
      appName: 'upgrader',
      message: 'checksum mismatch',
    });
    expect(c).toMatchObject({ format: 'raw', message: 'no priority here', raw: 'no priority here' });
    expect(c?.severity).toBeUndefined();
    expect(messages().map((m) => m.id)).toEqual([1, 2, 3]);

    const snapshot = await controller.getSyslogSnapshot();
    expect(snapshot.state).toMatchObject({ state: 'listening' });
    expect(snapshot.settings).toMatchObject({ enabled: true, port, host: '127.0.0.1' });
    expect(snapshot.messages).toEqual(messages());
  });

  it('keeps numbering across a stop and a start, and remembers whether the receiver is wanted', async () => {
    const port = await startOnLoopback(controller);
    await logger(port, '--rfc3164', 'before');
    await until(() => messages().length === 1, 'the first message');
    expect(await controller.stopSyslog()).toEqual({ state: 'stopped' });
    expect(syslogStore.get().enabled).toBe(false);
    expect((await controller.getSyslogSnapshot()).messages).toHaveLength(1);

    // a new app start with the same settings: off stays off
    const later = make();
    expect(await later.startSyslogIfEnabled()).toEqual({ state: 'stopped' });
    await later.dispose();

    expect(await controller.startSyslog()).toMatchObject({ state: 'listening' });
    expect(syslogStore.get().enabled).toBe(true);
    await logger(port, '--rfc3164', 'after');
    await until(() => messages().length === 2, 'the second message');
    expect(messages().map((m) => [m.id, m.message])).toEqual([
      [1, 'before'],
      [2, 'after'],
    ]);
  });

  it('starts at launch when it was left on', async () => {
    const port = await freeUdpPort();
    const store = createMemorySyslogSettingsStore({ enabled: true, host: '127.0.0.1', port });
    const app = make(store);
    expect(await app.startSyslogIfEnabled()).toMatchObject({ state: 'listening' });
    await logger(port, '--rfc5424', 'hello at launch');
    await until(() => messages().some((m) => m.message === 'hello at launch'), 'the message');
  });

  it('says clearly when the port is taken, and keeps the error on screen', async () => {
    const holder = createSocket('udp4');
    await new Promise<void>((resolve) => holder.bind(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise<void>((resolve) => holder.close(() => resolve())));
    const port = holder.address().port;
    await controller.setSyslogSettings({ host: '127.0.0.1', port });
    const state = await controller.startSyslog();
    expect(state).toMatchObject({ state: 'error', code: 'EADDRINUSE' });
    if (state.state !== 'error') throw new Error('expected an error');
    expect(state.message).toContain(String(port));
    expect(state.hint).toMatch(/Another program holds it/);
    expect(pushed('syslog-state').at(-1)).toEqual(state);
    expect((await controller.getSyslogSnapshot()).state).toEqual(state);

    // another port is the answer to the error: it is tried at once
    const other = await freeUdpPort();
    const saved = await controller.setSyslogSettings({ port: other });
    expect(saved).toMatchObject({ ok: true, state: { state: 'listening', addresses: [{ port: other }] } });
  });

  it('counts what the allow-list and the rate limit drop, and pushes a summary', async () => {
    const port = await startOnLoopback(controller);
    expect((await controller.setSyslogSettings({ allowList: ['10.0.0.0/8'] })).ok).toBe(true);
    await logger(port, '--rfc3164', 'not allowed');
    await until(() => pushed('syslog-dropped').length > 0, 'a drop summary');
    expect(pushed('syslog-dropped')[0]).toMatchObject({
      dropped: { notAllowed: 1, rateLimited: 0 },
      senders: [{ address: '127.0.0.1', notAllowed: 1 }],
    });
    expect(messages()).toHaveLength(0);

    // one a second, a burst of two: of 12 at once, at least 10 are dropped (restarts the receiver)
    const saved = await controller.setSyslogSettings({ allowList: [], perSenderPerSecond: 1 });
    expect(saved).toMatchObject({ ok: true, state: { state: 'listening' } });
    await sendRaw(
      port,
      Array.from({ length: 12 }, (_, i) => `<14>burst ${i}`),
    );
    const rateLimited = () => pushed('syslog-dropped').reduce((n, e) => n + e.dropped.rateLimited, 0);
    await until(() => rateLimited() + messages().length >= 12, 'every datagram counted');
    expect(rateLimited()).toBeGreaterThanOrEqual(10);
    expect((await controller.getSyslogSnapshot()).dropped).toEqual({
      notAllowed: 1,
      rateLimited: rateLimited(),
    });
  });

  it('checks settings, and clears the kept messages in every window', async () => {
    expect(await controller.setSyslogSettings({ port: 0 })).toMatchObject({
      ok: false,
      errors: { port: expect.any(String) },
    });
    expect(await controller.setSyslogSettings({ allowList: ['not an address'] })).toMatchObject({
      ok: false,
    });
    expect(await controller.setSyslogSettings({ host: 'example.com' })).toMatchObject({ ok: false });
    expect(syslogStore.get().port).toBe(514);

    const port = await startOnLoopback(controller);
    await logger(port, '--rfc3164', 'one');
    await until(() => messages().length === 1, 'a message');
    expect(await controller.clearSyslog()).toBeNull();
    expect(pushed('syslog-cleared')).toEqual([null]);
    expect((await controller.getSyslogSnapshot()).messages).toEqual([]);

    // a smaller cap keeps the newest
    expect((await controller.setSyslogSettings({ maxMessages: 10 })).ok).toBe(true);
    await sendRaw(
      port,
      Array.from({ length: 15 }, (_, i) => `<14>m${i}`),
    );
    await until(() => messages().at(-1)?.message === 'm14', 'the last of fifteen');
    const kept = (await controller.getSyslogSnapshot()).messages.map((m) => m.message);
    expect(kept).toEqual(Array.from({ length: 10 }, (_, i) => `m${i + 5}`));
  });
});

describe('syslog settings on disk', () => {
  it('persist in their own file and survive a bad hand edit value by value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tftp-desk-syslog-settings-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const first = createConfSyslogSettingsStore({ cwd: dir });
    expect(first.get()).toMatchObject({ enabled: false, port: 514, host: '', allowList: [] });
    first.set({ enabled: true, port: 5514, allowList: ['192.0.2.0/24'] });
    expect(createConfSyslogSettingsStore({ cwd: dir }).get()).toMatchObject({
      enabled: true,
      port: 5514,
      allowList: ['192.0.2.0/24'],
    });
    writeFileSync(
      join(dir, 'syslog.json'),
      JSON.stringify({ enabled: true, port: 99999, host: 'nope', extra: 1 }),
    );
    const edited = createConfSyslogSettingsStore({ cwd: dir }).get();
    expect(edited).toMatchObject({ enabled: true, port: 514, host: '' });
    expect(edited).not.toHaveProperty('extra');
  });
});
