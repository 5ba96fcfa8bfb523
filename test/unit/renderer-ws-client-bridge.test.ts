// The browser bridge against a real WebSocket server on loopback (the `ws` package stands in for
// the browser's WebSocket; both speak the same events).
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { AddressInfo } from 'node:net';
import type { EngineEvent } from '../../shared/events';
import type { WebRequest } from '../../shared/web-protocol';
import { createWsBridge, type ConnectionState, type SocketLike } from '../../renderer/ws-client-bridge';
import { until } from '../helpers/wait';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

async function server(onRequest: (req: WebRequest, socket: WebSocket) => void) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  wss.on('connection', (socket) => {
    socket.on('message', (data) => onRequest(JSON.parse(String(data)) as WebRequest, socket));
  });
  cleanups.push(() => wss.close());
  return { wss, url: `ws://127.0.0.1:${(wss.address() as AddressInfo).port}/ws` };
}

function bridgeFor(url: string) {
  const bridge = createWsBridge(url, {
    createSocket: (u) => new WebSocket(u) as unknown as SocketLike,
    baseDelayMs: 20,
    maxDelayMs: 100,
    queueTimeoutMs: 2000,
  });
  cleanups.push(() => bridge.close());
  return bridge;
}

describe('WebSocket bridge', () => {
  it('calls methods, resolves results and rejects server errors with their message', async () => {
    const { url } = await server((req, socket) => {
      if (req.method === 'setRoot')
        socket.send(JSON.stringify({ id: req.id, ok: true, result: { ok: true, value: req.args[0] } }));
      else socket.send(JSON.stringify({ id: req.id, ok: false, error: 'Not allowed here.' }));
    });
    const bridge = bridgeFor(url);
    await expect(bridge.setRoot('/srv/tftp')).resolves.toEqual({ ok: true, value: '/srv/tftp' });
    await expect(bridge.startServer()).rejects.toThrow('Not allowed here.');
  });

  it('delivers pushes to the listeners of their channel', async () => {
    const { wss, url } = await server(() => undefined);
    const bridge = bridgeFor(url);
    const batches: EngineEvent[][] = [];
    const off = bridge.on('events', (events) => batches.push(events));
    const states: ConnectionState[] = [];
    bridge.onConnection((s) => states.push(s));
    await until(() => wss.clients.size === 1 && states.includes('open'));
    const event: EngineEvent = { type: 'log', time: 1, level: 'info', message: 'hi' };
    for (const c of wss.clients) c.send(JSON.stringify({ push: 'events', payload: [event] }));
    await until(() => batches.length === 1);
    expect(batches[0]).toEqual([event]);
    off();
    for (const c of wss.clients) c.send(JSON.stringify({ push: 'events', payload: [event] }));
    await new Promise((r) => setTimeout(r, 50));
    expect(batches).toHaveLength(1);
  });

  it('fails calls in flight when the socket drops, then reconnects and serves new calls', async () => {
    let answer = false;
    const { wss, url } = await server((req, socket) => {
      if (answer) socket.send(JSON.stringify({ id: req.id, ok: true, result: 'pong' }));
      else socket.terminate();
    });
    const bridge = bridgeFor(url);
    const states: ConnectionState[] = [];
    bridge.onConnection((s) => states.push(s));
    await expect(bridge.listInterfaces()).rejects.toThrow(/lost/);
    await until(() => states.filter((s) => s === 'open').length >= 2);
    expect(states).toContain('reconnecting');
    answer = true;
    await expect(bridge.listInterfaces()).resolves.toBe('pong');
    expect(wss.clients.size).toBe(1);
  });

  it('queues calls made before the socket opens, and gives up on them when no server comes', async () => {
    const { url } = await server((req, socket) =>
      socket.send(JSON.stringify({ id: req.id, ok: true, result: 7 })),
    );
    const bridge = bridgeFor(url);
    await expect(bridge.listFiles()).resolves.toBe(7); // sent on open

    // a port that was free a moment ago: nothing listens there now
    const gone = await server(() => undefined);
    gone.wss.close();
    const dead = createWsBridge(gone.url, {
      createSocket: (u) => new WebSocket(u) as unknown as SocketLike,
      baseDelayMs: 20,
      maxDelayMs: 50,
      queueTimeoutMs: 200,
    });
    cleanups.push(() => dead.close());
    await expect(dead.getSnapshot()).rejects.toThrow(/Not connected/);
  });
});
