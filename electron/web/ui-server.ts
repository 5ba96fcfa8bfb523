// `tftp-desk serve --ui`: the renderer over HTTP on loopback plus one WebSocket that speaks the
// same calls as the Electron IPC bridge (shared/web-protocol.ts). Loopback only: the token
// travels in clear HTTP, so the server is never offered to the network.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, WebSocket } from 'ws';
import { EVENT_CHANNELS, type EventChannel, type EventChannels } from '../../shared/ipc-contract.js';
import { WS_PATH, type WebPush } from '../../shared/web-protocol.js';
import type { AppController } from '../app/controller.js';
import { sendStatic } from './static-files.js';
import {
  allowedHosts,
  contentSecurityPolicy,
  createToken,
  hasValidCookie,
  isAllowedHost,
  isAllowedOrigin,
  tokenCookie,
  tokensEqual,
} from './web-auth.js';
import { MAX_MESSAGE_BYTES, handleWebMessage } from './ws-call-handler.js';

export interface UiServerOptions {
  controller: AppController;
  /** the built renderer: index.html + assets */
  staticDir: string;
  /** a loopback address; default 127.0.0.1 */
  host?: string;
  /** 0 = a free port */
  port?: number;
}

export interface UiServer {
  /** open this (it carries the token) */
  url: string;
  token: string;
  close(): Promise<void>;
}

/** a client that stops reading is cut off rather than buffered without end */
const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

const BASE_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

function plain(res: ServerResponse, status: number, text: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, {
    ...BASE_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
    ...extra,
  });
  res.end(text);
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

export async function startUiServer(opts: UiServerOptions): Promise<UiServer> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopbackHost(host)) {
    throw new Error(`The browser UI listens on loopback only (127.0.0.1, ::1 or localhost), not ${host}.`);
  }
  const { controller, staticDir } = opts;
  const token = createToken();
  let allowed: string[] = [];
  const clients = new Set<WebSocket>();

  const server = createServer((req, res) => {
    handleHttp(req, res).catch(() => {
      if (!res.headersSent) plain(res, 500, 'Internal error');
      else res.destroy();
    });
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!isAllowedHost(req.headers.host, allowed) || !isAllowedOrigin(req.headers.origin, allowed)) {
      return plain(res, 403, 'Forbidden');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return plain(res, 405, 'Method not allowed', { Allow: 'GET, HEAD' });
    const url = new URL(req.url ?? '/', 'http://localhost');
    const given = url.searchParams.get('token');
    if (given !== null) {
      if (!tokensEqual(given, token)) return plain(res, 401, 'The access token is not valid.');
      // always to the app's root: echoing the request path could be turned into an open redirect
      res.writeHead(302, {
        ...BASE_HEADERS,
        'Set-Cookie': tokenCookie(token),
        Location: '/',
        'Cache-Control': 'no-store',
      });
      return void res.end();
    }
    if (!hasValidCookie(req.headers.cookie, token)) {
      return plain(res, 401, 'Open the address printed by tftp-desk: it carries the access token.');
    }
    const headers = {
      ...BASE_HEADERS,
      'Content-Security-Policy': contentSecurityPolicy(req.headers.host as string),
    };
    await sendStatic(res, staticDir, url.pathname, req.method === 'HEAD', headers);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (!isAllowedHost(req.headers.host, allowed) || !isAllowedOrigin(req.headers.origin, allowed)) {
      return rejectUpgrade(socket, 403, 'Forbidden');
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== WS_PATH) return rejectUpgrade(socket, 404, 'Not Found');
    const authed =
      hasValidCookie(req.headers.cookie, token) || tokensEqual(url.searchParams.get('token'), token);
    if (!authed) return rejectUpgrade(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    clients.add(ws);
    ws.on('error', () => ws.terminate());
    ws.on('close', () => clients.delete(ws));
    ws.on('message', (data, isBinary) => {
      if (isBinary) {
        return send(ws, JSON.stringify({ id: -1, ok: false, error: 'Send text messages.' }));
      }
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as ArrayBuffer).toString('utf8');
      void handleWebMessage(controller, text).then((response) => {
        let out: string;
        try {
          out = JSON.stringify(response);
        } catch {
          out = JSON.stringify({ id: response.id, ok: false, error: 'The result could not be sent.' });
        }
        send(ws, out);
      });
    });
  }

  function send(ws: WebSocket, text: string): void {
    if (ws.readyState !== WebSocket.OPEN) return;
    if (ws.bufferedAmount > MAX_BUFFERED_BYTES) return void ws.terminate();
    ws.send(text);
  }

  function broadcast<K extends EventChannel>(channel: K, payload: EventChannels[K]): void {
    if (clients.size === 0) return;
    const message: WebPush<K> = { push: channel, payload };
    const text = JSON.stringify(message);
    for (const ws of clients) send(ws, text);
  }

  const unsubscribe = EVENT_CHANNELS.map(<K extends EventChannel>(channel: K) =>
    controller.on(channel, (payload) => broadcast(channel, payload)),
  );

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch((err: unknown) => {
    for (const u of unsubscribe) u();
    const code = (err as { code?: string }).code;
    throw new Error(
      code === 'EADDRINUSE'
        ? `Port ${opts.port} is already in use; choose another port for the browser UI.`
        : `The browser UI could not listen on ${host}: ${code ?? 'unknown error'}.`,
    );
  });
  const port = (server.address() as AddressInfo).port;
  allowed = allowedHosts(port, host);
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    token,
    async close() {
      for (const u of unsubscribe) u();
      for (const ws of clients) ws.close(1001, 'server closing');
      wss.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const ws of clients) ws.terminate();
      });
    },
  };
}
