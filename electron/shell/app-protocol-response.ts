// Answers one app:// request from the built renderer: resolveAppUrl decides which file, this reads
// it and attaches the headers. Plain fetch-API types only, so tests drive it without Electron
// (main.ts hands it to protocol.handle). Inside a packaged app dist/ is in app.asar, which
// Electron's fs reads transparently.
import { readFile } from 'node:fs/promises';
import { APP_CSP, resolveAppUrl } from './app-protocol.js';

const BASE_HEADERS = {
  'Content-Security-Policy': APP_CSP,
  'X-Content-Type-Options': 'nosniff',
  // nothing outside the app origin may embed or read these files
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Referrer-Policy': 'no-referrer',
  // the files change only with a new build, and reading them from disk costs next to nothing
  'Cache-Control': 'no-cache',
};

const TEXT = 'text/plain; charset=utf-8';

function plain(status: number, body: string, extra: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...BASE_HEADERS, 'Content-Type': TEXT, ...extra } });
}

export async function appProtocolResponse(distDir: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plain(405, 'Method not allowed', { Allow: 'GET, HEAD' });
  }
  const target = resolveAppUrl(distDir, request.url);
  if ('status' in target) return plain(target.status, target.status === 403 ? 'Forbidden' : 'Not found');
  let body: Buffer;
  try {
    body = await readFile(target.path);
  } catch {
    // missing, a directory, unreadable: all the same to the page
    return plain(404, 'Not found');
  }
  const headers = {
    ...BASE_HEADERS,
    'Content-Type': target.mime,
    'Content-Length': String(body.byteLength),
  };
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}
