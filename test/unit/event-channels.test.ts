// Pushed event channels: one list in the contract, and every place that carries pushes carries
// each channel on it. The stand-in controller below emits any listed channel, including ones the
// real controller has no reason to send in a test.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createEventHub, type EventHub } from '../../shared/event-hub.js';
import {
  EVENT_CHANNELS,
  eventChannel,
  isEventChannel,
  type EventChannel,
  type EventChannels,
} from '../../shared/ipc-contract.js';
import { TOKEN_COOKIE, WS_PATH, type WebPush } from '../../shared/web-protocol.js';
import type { AppController } from '../../electron/app/controller.js';
import { forwardPushes } from '../../electron/ipc/handlers.js';
import { startUiServer } from '../../electron/web/ui-server.js';

/** A payload for each channel, different per channel so a mix-up shows. */
const SAMPLE: { [K in EventChannel]: EventChannels[K] } = {
  events: [{ type: 'log', time: 1, level: 'info', message: 'hello' }],
  interfaces: [{ name: 'lo', addresses: [], internal: true, up: true, isDefault: false }],
  'syslog-state': { state: 'listening', addresses: [{ address: '127.0.0.1', port: 5514, family: 'IPv4' }] },
  'syslog-messages': [
    {
      id: 1,
      receivedAt: 2,
      peer: { address: '127.0.0.1', port: 40000 },
      format: 'raw',
      message: 'hi',
      raw: 'hi',
    },
  ],
  'syslog-dropped': {
    type: 'syslog-dropped',
    service: 'syslog',
    time: 3,
    since: 2,
    dropped: { rateLimited: 1, notAllowed: 0 },
    senders: [],
    otherSenders: 0,
    total: { rateLimited: 1, notAllowed: 0 },
  },
  'syslog-cleared': null,
  'dhcp-state': { status: 'running', mode: 'proxy', message: 'serving' },
  'dhcp-leases': [
    { mac: '02:00:00:00:00:01', address: '10.0.0.100', state: 'bound', expiresAt: 9, reserved: false },
  ],
  'client-transfer': {
    state: 'running',
    id: 1,
    request: { direction: 'put', device: '127.0.0.1:6969', localName: 'fw.bin', remoteName: 'fw.bin' },
    bytes: 1468,
    total: 4096,
    elapsedMs: 12,
  },
  firewall: {
    port: 69,
    profile: 'public',
    adapter: 'Ethernet 2',
    message: 'Windows Firewall drops requests on this network.',
    command: 'netsh advfirewall firewall add rule name="TFTP Desk (UDP 69)"',
  },
};

function standInController(hub: EventHub): AppController {
  return { on: (channel, listener) => hub.on(channel, listener) } as Partial<AppController> as AppController;
}

const emitAll = (hub: EventHub) => {
  for (const channel of EVENT_CHANNELS) hub.emit(channel, SAMPLE[channel]);
};

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('the event channel list', () => {
  it('names the channels and nothing else', () => {
    for (const channel of EVENT_CHANNELS) expect(isEventChannel(channel)).toBe(true);
    for (const other of ['tftp:getSnapshot', 'tftp-event:events', '__proto__', 'constructor', '', 42, null]) {
      expect(isEventChannel(other)).toBe(false);
    }
    expect(new Set(EVENT_CHANNELS.map(eventChannel)).size).toBe(EVENT_CHANNELS.length);
  });
});

describe('event hub', () => {
  it('delivers to the channel subscribed, unsubscribes, and clears', () => {
    const hub = createEventHub();
    const got: [string, unknown][] = [];
    const offs = EVENT_CHANNELS.map((c) => hub.on(c, (p) => got.push([c, p])));
    emitAll(hub);
    expect(got).toEqual(EVENT_CHANNELS.map((c) => [c, SAMPLE[c]]));
    offs[0]!();
    got.length = 0;
    emitAll(hub);
    expect(got.map(([c]) => c)).toEqual(EVENT_CHANNELS.slice(1));
    hub.clear();
    got.length = 0;
    emitAll(hub);
    expect(got).toEqual([]);
  });

  it('refuses unknown channels and non-functions, and ignores pushes on unknown channels', () => {
    const hub = createEventHub();
    expect(() => hub.on('tftp:getSnapshot' as EventChannel, () => undefined)).toThrow(
      /Unknown event channel/,
    );
    expect(() => hub.on('__proto__' as EventChannel, () => undefined)).toThrow(/Unknown event channel/);
    expect(() => hub.on('events', 'no' as never)).toThrow(/function/);
    expect(() => hub.emit('nope' as EventChannel, [] as never)).not.toThrow();
  });

  it('a listener that throws is reported and the others still hear the push', () => {
    const errors: unknown[] = [];
    const hub = createEventHub((e) => errors.push(e));
    const heard: string[] = [];
    hub.on('events', () => {
      throw new Error('broken view');
    });
    hub.on('events', () => heard.push('second'));
    hub.emit('events', SAMPLE.events);
    expect(heard).toEqual(['second']);
    expect(errors).toEqual([new Error('broken view')]);
  });
});

describe('every listed channel is carried', () => {
  it('over Electron IPC to the current window', () => {
    const hub = createEventHub();
    const sent: [string, unknown][] = [];
    const target = { send: (c: string, p: unknown) => void sent.push([c, p]), isDestroyed: () => false };
    const off = forwardPushes(standInController(hub), () => target);
    emitAll(hub);
    expect(sent).toEqual(EVENT_CHANNELS.map((c) => [eventChannel(c), SAMPLE[c]]));
    off();
    emitAll(hub);
    expect(sent).toHaveLength(EVENT_CHANNELS.length);
  });

  it('over the browser UI WebSocket', async () => {
    const base = mkdtempSync(join(tmpdir(), 'tftp-desk-channels-'));
    cleanups.push(() => rmSync(base, { recursive: true, force: true }));
    mkdirSync(join(base, 'dist'));
    writeFileSync(join(base, 'dist', 'index.html'), '<!doctype html><title>TFTP Desk</title>');
    const hub = createEventHub();
    const ui = await startUiServer({ controller: standInController(hub), staticDir: join(base, 'dist') });
    cleanups.push(() => ui.close());
    const { host } = new URL(ui.url);
    const ws = new WebSocket(`ws://${host}${WS_PATH}`, {
      headers: { Cookie: `${TOKEN_COOKIE}=${ui.token}` },
    });
    cleanups.push(() => ws.terminate());
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const pushes: WebPush[] = [];
    const all = new Promise<void>((resolve) => {
      ws.on('message', (data: Buffer) => {
        pushes.push(JSON.parse(data.toString('utf8')) as WebPush);
        if (pushes.length === EVENT_CHANNELS.length) resolve();
      });
    });
    emitAll(hub);
    await all;
    expect(pushes).toEqual(EVENT_CHANNELS.map((c) => ({ push: c, payload: SAMPLE[c] })));
  });
});
