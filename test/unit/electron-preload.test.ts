// Bundles the preload exactly as the build does and runs it in a fresh context with a stand-in
// 'electron' module: what crosses into the page must be the contract and nothing else.
import { describe, expect, it } from 'vitest';
import { build } from 'esbuild';
import { runInNewContext } from 'node:vm';
import { INVOKE_METHODS, eventChannel, invokeChannel } from '../../shared/ipc-contract.js';

async function loadPreload() {
  const out = await build({
    entryPoints: ['electron/shell/preload.ts'],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    external: ['electron'],
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]!.text;
  const exposed: Record<string, unknown> = {};
  const invoked: unknown[][] = [];
  const listeners = new Map<string, ((event: unknown, payload: unknown) => void)[]>();
  const required: string[] = [];
  const electron = {
    contextBridge: {
      exposeInMainWorld: (key: string, api: unknown) => {
        exposed[key] = api;
      },
    },
    ipcRenderer: {
      invoke: (...args: unknown[]) => {
        invoked.push(args);
        return Promise.resolve('ok');
      },
      on: (channel: string, fn: (event: unknown, payload: unknown) => void) => {
        listeners.set(channel, [...(listeners.get(channel) ?? []), fn]);
      },
      removeListener: (channel: string, fn: (event: unknown, payload: unknown) => void) => {
        listeners.set(
          channel,
          (listeners.get(channel) ?? []).filter((f) => f !== fn),
        );
      },
    },
    webUtils: {
      getPathForFile: (file: { path?: string }) => {
        if (!file.path) throw new Error('not a file');
        return file.path;
      },
    },
  };
  const module = { exports: {} };
  const require = (name: string) => {
    required.push(name);
    if (name !== 'electron') throw new Error(`a sandboxed preload cannot load ${name}`);
    return electron;
  };
  runInNewContext(code, { require, module, exports: module.exports });
  return { exposed, invoked, listeners, required };
}

describe('preload bridge', () => {
  it('needs nothing but electron (sandboxed preloads cannot load other modules)', async () => {
    const { required } = await loadPreload();
    expect(required).toEqual(['electron']);
  });

  it('exposes window.tftp with exactly the contract', async () => {
    const { exposed } = await loadPreload();
    expect(Object.keys(exposed)).toEqual(['tftp']);
    const api = exposed.tftp as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual([...INVOKE_METHODS, 'on', 'pathForFile'].sort());
    for (const key of Object.keys(api)) expect(typeof api[key]).toBe('function');
  });

  it('maps each call to its invoke channel with the arguments as given', async () => {
    const { exposed, invoked } = await loadPreload();
    const api = exposed.tftp as Record<string, (...a: unknown[]) => Promise<unknown>>;
    await api.setRoot!('/srv/tftp');
    await api.getSnapshot!();
    await api.updateSettings!({ port: 69 });
    expect(invoked).toEqual([
      [invokeChannel('setRoot'), '/srv/tftp'],
      [invokeChannel('getSnapshot')],
      [invokeChannel('updateSettings'), { port: 69 }],
    ]);
  });

  it('hands listeners the payload only, unsubscribes, and refuses unknown channels', async () => {
    const { exposed, listeners } = await loadPreload();
    const api = exposed.tftp as {
      on: (c: string, l: (...a: unknown[]) => void) => () => void;
      pathForFile: (f: unknown) => string;
    };
    const got: unknown[][] = [];
    const off = api.on('events', (...args) => got.push(args));
    const fns = listeners.get(eventChannel('events'))!;
    expect(fns).toHaveLength(1);
    fns[0]!({ sender: 'the ipc event' }, [{ type: 'log' }]);
    expect(got).toEqual([[[{ type: 'log' }]]]);
    off();
    expect(listeners.get(eventChannel('events'))).toHaveLength(0);
    expect(() => api.on('tftp:getSnapshot', () => undefined)).toThrow(/Unknown event channel/);
    expect(() => api.on('interfaces', 'not a function' as never)).toThrow(/function/);
    expect(api.pathForFile({ path: '/home/u/fw' })).toBe('/home/u/fw');
    expect(api.pathForFile({})).toBe('');
  });
});
