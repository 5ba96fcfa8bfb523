import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { WebPush, WebResponse } from '../../shared/web-protocol.js';
import { TOKEN_COOKIE, WS_PATH } from '../../shared/web-protocol.js';
import { createAppController, type AppController } from '../../electron/app/controller.js';
import { createMemorySettingsStore, defaultSettings } from '../../electron/app/settings-store.js';
import { startUiServer, type UiServer } from '../../electron/web/ui-server.js';
import { fakeEngineFactory } from './app-fakes.js';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(
  port: number,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

let base: string;
let dist: string;
let controller: AppController;
let ui: UiServer;
let port: number;
let cookie: string;
const sockets: WebSocket[] = [];

beforeEach(async () => {
  base = mkdtempSync(join(tmpdir(), 'tftp-desk-ui-'));
  dist = join(base, 'dist');
  mkdirSync(join(dist, 'assets'), { recursive: true });
  mkdirSync(join(base, 'root'));
  writeFileSync(
    join(dist, 'index.html'),
    '<!doctype html><title>TFTP Desk</title><script src="./assets/app.js"></script>',
  );
  writeFileSync(join(dist, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(dist, 'assets', 'style.css'), 'body{}');
  writeFileSync(join(base, 'secret.txt'), 'outside');
  const factory = fakeEngineFactory();
  controller = createAppController({
    dataDir: base,
    settings: createMemorySettingsStore(defaultSettings(join(base, 'root'))),
    createEngine: factory.create,
    platform: 'linux',
  });
  ui = await startUiServer({ controller, staticDir: dist, port: 0 });
  port = Number(new URL(ui.url).port);
  cookie = `${TOKEN_COOKIE}=${ui.token}`;
});

afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await ui.close();
  await controller.dispose();
  rmSync(base, { recursive: true, force: true });
});

function connect(headers: Record<string, string>, path = WS_PATH): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    sockets.push(ws);
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function nextMessage(
  ws: WebSocket,
  match: (m: WebResponse | WebPush) => boolean = () => true,
): Promise<WebResponse | WebPush> {
  return new Promise((resolve) => {
    const on = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as WebResponse | WebPush;
      if (match(m)) {
        ws.off('message', on);
        resolve(m);
      }
    };
    ws.on('message', on);
  });
}

async function call(ws: WebSocket, id: number, method: string, args: unknown[] = []): Promise<WebResponse> {
  const reply = nextMessage(ws, (m) => 'id' in m && m.id === id);
  ws.send(JSON.stringify({ id, method, args }));
  return (await reply) as WebResponse;
}

describe('browser UI server: HTTP', () => {
  it('prints a loopback URL with a 32-byte token', () => {
    expect(ui.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[0-9a-f]{64}$`));
  });

  it('answers 401 without the token, for the page and for assets', async () => {
    expect((await get(port, '/')).status).toBe(401);
    expect((await get(port, '/assets/app.js')).status).toBe(401);
    expect((await get(port, '/?token=' + 'a'.repeat(64))).status).toBe(401);
    expect((await get(port, '/', { Cookie: `${TOKEN_COOKIE}=${'b'.repeat(64)}` })).status).toBe(401);
  });

  it('turns the URL token into an HttpOnly SameSite=Strict cookie and redirects to /', async () => {
    const r = await get(port, `/?token=${ui.token}`);
    expect(r.status).toBe(302);
    expect(r.headers.location).toBe('/');
    const setCookie = String(r.headers['set-cookie']);
    expect(setCookie).toContain(`${TOKEN_COOKIE}=${ui.token}`);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect((await get(port, `/.//evil.example/?token=${ui.token}`)).headers.location).toBe('/');
    const page = await get(port, '/', { Cookie: setCookie.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>TFTP Desk</title>');
  });

  it('serves the renderer with content types, the CSP and no-store for the page', async () => {
    const page = await get(port, '/', { Cookie: cookie });
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['content-security-policy']).toBe(
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self' ws://127.0.0.1:${port}; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
    );
    const js = await get(port, '/assets/app.js', { Cookie: cookie });
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log(1)');
    expect((await get(port, '/assets/style.css', { Cookie: cookie })).headers['content-type']).toMatch(
      /^text\/css/,
    );
    const head = await get(port, '/', { Cookie: cookie }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    expect((await get(port, '/', { Cookie: cookie }, 'POST')).status).toBe(405);
  });

  it('never serves files outside the static folder', async () => {
    for (const path of [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2fsecret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%00',
      '/..\\secret.txt',
      '/assets',
      '/missing.js',
    ]) {
      const r = await get(port, path, { Cookie: cookie });
      expect(r.status, path).toBe(404);
      expect(r.body).not.toContain('outside');
    }
  });

  it('answers 403 to a foreign Host or Origin (DNS rebinding), even with the cookie', async () => {
    expect((await get(port, '/', { Cookie: cookie, Host: `evil.example:${port}` })).status).toBe(403);
    expect((await get(port, '/', { Cookie: cookie, Host: `127.0.0.1:${port + 1}` })).status).toBe(403);
    expect((await get(port, `/?token=${ui.token}`, { Host: `rebind.example:${port}` })).status).toBe(403);
    expect((await get(port, '/', { Cookie: cookie, Origin: 'http://evil.example' })).status).toBe(403);
    expect((await get(port, '/', { Cookie: cookie, Host: `localhost:${port}` })).status).toBe(200);
    expect(
      (
        await get(port, '/', {
          Cookie: cookie,
          Origin: `http://localhost:${port}`,
          Host: `localhost:${port}`,
        })
      ).status,
    ).toBe(200);
  });

  it('refuses to listen beyond loopback', async () => {
    await expect(startUiServer({ controller, staticDir: dist, host: '0.0.0.0' })).rejects.toThrow(
      /loopback only/,
    );
  });
});

describe('browser UI server: WebSocket', () => {
  it('refuses the upgrade without the cookie (401) and from a foreign Origin or Host (403)', async () => {
    await expect(connect({})).rejects.toThrow('HTTP 401');
    await expect(connect({ Cookie: cookie, Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    await expect(connect({ Cookie: cookie, Host: `evil.example:${port}` })).rejects.toThrow('HTTP 403');
    await expect(connect({ Cookie: cookie }, '/other')).rejects.toThrow('HTTP 404');
  });

  it('runs calls: a snapshot round trip, bad requests answered plainly', async () => {
    const ws = await connect({ Cookie: cookie, Origin: `http://127.0.0.1:${port}` });
    const snap = await call(ws, 1, 'getSnapshot');
    expect(snap.ok).toBe(true);
    if (snap.ok)
      expect(snap.result).toMatchObject({
        server: { state: 'stopped' },
        capabilities: { nativeDialogs: false },
      });
    expect(await call(ws, 2, 'dispose')).toEqual({ id: 2, ok: false, error: 'Unknown method.' });
    expect(await call(ws, 3, 'updateSettings', [{ port: 0 }])).toMatchObject({
      id: 3,
      ok: true,
      result: { ok: false, errors: { port: expect.any(String) } },
    });
    expect(await call(ws, 4, 'setRoot', ['relative'])).toMatchObject({
      id: 4,
      ok: true,
      result: { ok: false },
    });
    expect(await call(ws, 5, 'checksum', [1])).toMatchObject({ id: 5, ok: false });
    const bad = nextMessage(ws);
    ws.send('{nope');
    expect(await bad).toEqual({ id: -1, ok: false, error: 'The request is not valid JSON.' });
    const r = await call(ws, 6, 'getSnapshot', 'x' as never);
    expect(r).toEqual({ id: 6, ok: false, error: 'Arguments must be a list.' });
  });

  it('accepts the token in the query too, and pushes batches to every client', async () => {
    const a = await connect({ Cookie: cookie });
    const b = await new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}${WS_PATH}?token=${ui.token}`);
      sockets.push(ws);
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
    const isPush = (m: WebResponse | WebPush) => 'push' in m && m.push === 'events';
    const pa = nextMessage(a, isPush);
    const pb = nextMessage(b, isPush);
    const started = await call(a, 1, 'startServer');
    expect(started).toMatchObject({ ok: true, result: { state: 'listening' } });
    for (const p of [await pa, await pb]) {
      expect(p).toMatchObject({ push: 'events' });
      const events = (p as WebPush<'events'>).payload;
      expect(events.some((e) => e.type === 'server' && e.server.state === 'listening')).toBe(true);
    }
  });
});
