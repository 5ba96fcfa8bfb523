import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { INVOKE_METHODS, eventChannel, invokeChannel } from '../../shared/ipc-contract.js';
import { createAppController, type AppController } from '../../electron/app/controller.js';
import { createMemorySettingsStore, defaultSettings } from '../../electron/app/settings-store.js';
import { forwardPushes, registerIpcHandlers, type IpcMainLike } from '../../electron/ipc/handlers.js';
import { isTrustedSender } from '../../electron/ipc/trusted-sender.js';
import { APP_INDEX_URL, isSameAppOrigin } from '../../electron/shell/app-protocol.js';
import { fakeEngineFactory, manualTimer } from './app-fakes.js';

const INDEX = APP_INDEX_URL;

describe('isTrustedSender', () => {
  it('accepts any page of the app origin, with any hash or query', () => {
    expect(INDEX).toBe('app://tftp-desk/index.html');
    for (const url of [
      INDEX,
      INDEX + '#/settings',
      INDEX + '?x=1',
      'app://tftp-desk/',
      'app://tftp-desk/transfers/42',
    ]) {
      expect(isTrustedSender(url, INDEX), url).toBe(true);
    }
  });

  it('refuses other origins, local files and junk', () => {
    for (const url of [
      'https://evil.example/',
      'http://127.0.0.1:5173/',
      'http://tftp-desk/index.html',
      'https://tftp-desk/index.html',
      'app://evil/index.html',
      'app://tftp-desk.evil/index.html',
      'app://tftp-desk:8080/index.html',
      'app://user@tftp-desk/index.html',
      'app://user:pw@tftp-desk/index.html',
      'app:///index.html',
      'app:index.html',
      'file:///etc/passwd',
      'file:///opt/TFTP%20Desk/resources/app.asar/dist/index.html',
      'file://tftp-desk/index.html',
      'data:text/html,<script>1</script>',
      'javascript:alert(1)',
      'about:blank',
      'devtools://devtools/bundled/inspector.html',
      'not a url',
      '',
      undefined,
      null,
    ]) {
      expect(isTrustedSender(url, INDEX), String(url)).toBe(false);
    }
  });

  it('only ever trusts an app: origin, whatever it is given to compare with', () => {
    expect(isSameAppOrigin('file:///a/dist/index.html', 'file:///a/dist/index.html')).toBe(false);
    expect(isSameAppOrigin('http://localhost/', 'http://localhost/')).toBe(false);
    expect(isSameAppOrigin(INDEX, 'not a url')).toBe(false);
    expect(isSameAppOrigin(42, INDEX)).toBe(false);
  });
});

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  const ipc: IpcMainLike = {
    handle: ((channel: string, fn: Handler) => {
      if (handlers.has(channel)) throw new Error('twice');
      handlers.set(channel, fn);
    }) as IpcMainLike['handle'],
    removeHandler: (channel: string) => void handlers.delete(channel),
  };
  return { ipc, handlers };
}

const fromApp = { senderFrame: { url: INDEX, parent: null } };

let base: string;
let controller: AppController;
const timer = manualTimer();
beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'tftp-desk-ipc-'));
  controller = createAppController({
    dataDir: base,
    settings: createMemorySettingsStore(defaultSettings(base)),
    createEngine: fakeEngineFactory().create,
    platform: 'linux',
    timer,
  });
});
afterEach(async () => {
  await controller.dispose();
  rmSync(base, { recursive: true, force: true });
});

describe('IPC handlers', () => {
  it('registers one handler per contract method and removes them all', () => {
    const { ipc, handlers } = fakeIpcMain();
    const off = registerIpcHandlers(ipc, controller, INDEX);
    expect([...handlers.keys()].sort()).toEqual(INVOKE_METHODS.map((m) => invokeChannel(m)).sort());
    off();
    expect(handlers.size).toBe(0);
  });

  it('answers our top frame and refuses foreign or nested frames', async () => {
    const { ipc, handlers } = fakeIpcMain();
    registerIpcHandlers(ipc, controller, INDEX);
    const snapshot = handlers.get('tftp:getSnapshot')!;
    await expect(snapshot(fromApp)).resolves.toMatchObject({ server: { state: 'stopped' } });
    for (const event of [
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      { senderFrame: { url: 'file:///opt/tftp-desk/resources/app.asar/dist/index.html', parent: null } },
      { senderFrame: { url: 'app://other-app/index.html', parent: null } },
      { senderFrame: { url: INDEX, parent: { url: 'https://evil.example/' } } },
      { senderFrame: null },
      {},
    ]) {
      await expect(snapshot(event)).rejects.toThrow('This request did not come from TFTP Desk.');
    }
  });

  it('checks arguments before the controller sees them', async () => {
    const { ipc, handlers } = fakeIpcMain();
    registerIpcHandlers(ipc, controller, INDEX);
    await expect(handlers.get('tftp:setRoot')!(fromApp, 42)).rejects.toThrow('setRoot takes a path.');
    await expect(handlers.get('tftp:setRoot')!(fromApp, '/a\0b')).rejects.toThrow(/NUL/);
    await expect(handlers.get('tftp:updateSettings')!(fromApp, { nodeIntegration: true })).rejects.toThrow(
      /Unknown setting/,
    );
    await expect(handlers.get('tftp:startServer')!(fromApp, 'extra')).rejects.toThrow(/no arguments/);
    await expect(handlers.get('tftp:updateSettings')!(fromApp, { port: 1069 })).resolves.toMatchObject({
      ok: true,
      settings: { port: 1069 },
    });
  });

  it('forwards batched pushes to the current window only while it lives', async () => {
    const sent: [string, unknown][] = [];
    let destroyed = false;
    const target = { send: (c: string, p: unknown) => void sent.push([c, p]), isDestroyed: () => destroyed };
    const off = forwardPushes(controller, () => target);
    await controller.startServer();
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every(([c]) => c === eventChannel('events'))).toBe(true);
    const n = sent.length;
    destroyed = true;
    await controller.stopServer();
    expect(sent.length).toBe(n);
    destroyed = false;
    off();
    await controller.startServer();
    expect(sent.length).toBe(n);
  });
});
