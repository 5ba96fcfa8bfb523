// app://tftp-desk/: the resolver maps URLs to files inside dist/ and nothing else, and the response
// built from it serves real files with the CSP. Hostile URLs run against a real temp tree with a
// secret beside dist/, so a resolver that escaped would read it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { APP_CSP, APP_INDEX_URL, isAppUrl, resolveAppUrl } from '../../electron/shell/app-protocol.js';
import { appProtocolResponse } from '../../electron/shell/app-protocol-response.js';

const SECRET = 'secret-beside-dist';
const INDEX_BODY = '<!doctype html><title>TFTP Desk</title>';
const base = mkdtempSync(join(tmpdir(), 'tftp-desk-app-protocol-'));
const dist = join(base, 'dist');

beforeAll(() => {
  mkdirSync(join(dist, 'assets'), { recursive: true });
  mkdirSync(join(dist, 'folder.js'));
  writeFileSync(join(dist, 'index.html'), INDEX_BODY);
  writeFileSync(join(dist, 'assets', 'index-abc.js'), 'export const x = 1;\n');
  writeFileSync(join(dist, 'assets', 'index-abc.css'), 'body{}\n');
  writeFileSync(join(dist, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dist, 'tool.exe'), 'MZ');
  writeFileSync(join(base, 'secret.txt'), SECRET);
  mkdirSync(join(base, 'etc'));
  writeFileSync(join(base, 'etc', 'passwd'), SECRET);
});
afterAll(() => rmSync(base, { recursive: true, force: true }));

const HOSTILE = [
  'app://x/../../etc',
  'app://x/index.html',
  'app://evil/index.html',
  'app://tftp-desk.evil/index.html',
  'app://TFTP-DESK/index.html',
  'app://user@tftp-desk/index.html',
  'app://tftp-desk:8080/index.html',
  'file:///etc/passwd',
  'http://tftp-desk/index.html',
  'not a url',
  '',
  'app://tftp-desk/../secret.txt',
  'app://tftp-desk/../../etc/passwd',
  'app://tftp-desk/assets/../../secret.txt',
  'app://tftp-desk/%2e%2e/secret.txt',
  'app://tftp-desk/%2E%2E/%2e%2e/etc/passwd',
  'app://tftp-desk/.%2e/secret.txt',
  'app://tftp-desk/%2e%2e%2fsecret.txt',
  'app://tftp-desk/assets%2f..%2f..%2fsecret.txt',
  'app://tftp-desk/..%5csecret.txt',
  'app://tftp-desk/..\\secret.txt',
  'app://tftp-desk/assets\\..\\..\\secret.txt',
  'app://tftp-desk/index.html%00.js',
  'app://tftp-desk/index.html\0.js',
  'app://tftp-desk//etc/passwd',
  'app://tftp-desk/%2fetc%2fpasswd.txt',
  `app://tftp-desk/${encodeURIComponent(join(base, 'secret.txt'))}`,
  'app://tftp-desk/C:/Windows/win.ini',
  'app://tftp-desk/c%3a%5cwindows%5cwin.ini',
  'app://tftp-desk/CON.js',
  'app://tftp-desk/nul',
  'app://tftp-desk/index.html.',
  'app://tftp-desk/%E0%A4%A.js',
  'app://tftp-desk/a%0d%0a.js',
];

describe('resolveAppUrl', () => {
  it('maps the page and its assets to files inside dist', () => {
    const index = { path: join(dist, 'index.html'), mime: 'text/html; charset=utf-8' };
    expect(resolveAppUrl(dist, APP_INDEX_URL)).toEqual(index);
    expect(resolveAppUrl(dist, 'app://tftp-desk/')).toEqual(index);
    expect(resolveAppUrl(dist, 'app://tftp-desk')).toEqual(index);
    expect(resolveAppUrl(dist, 'app://tftp-desk/index.html?x=1#/log')).toEqual(index);
    expect(resolveAppUrl(dist, 'app://tftp-desk/assets/index-abc.js')).toEqual({
      path: join(dist, 'assets', 'index-abc.js'),
      mime: 'text/javascript; charset=utf-8',
    });
    expect(resolveAppUrl(dist, 'app://tftp-desk/FAVICON.SVG')).toMatchObject({ mime: 'image/svg+xml' });
    expect(resolveAppUrl(dist, 'app://tftp-desk/assets/a%20b.css')).toEqual({
      path: join(dist, 'assets', 'a b.css'),
      mime: 'text/css; charset=utf-8',
    });
  });

  it('falls back to index.html only for extensionless paths', () => {
    for (const route of ['settings', 'transfers/42', 'assets/', 'assets']) {
      expect(resolveAppUrl(dist, `app://tftp-desk/${route}`), route).toEqual({
        path: join(dist, 'index.html'),
        mime: 'text/html; charset=utf-8',
      });
    }
    expect(resolveAppUrl(dist, 'app://tftp-desk/missing.js')).toMatchObject({
      path: join(dist, 'missing.js'),
    });
    expect(resolveAppUrl(dist, 'app://tftp-desk/tool.exe')).toEqual({ status: 404 });
  });

  it('refuses traversal, encoded tricks, backslashes, NUL, absolute paths and other origins', () => {
    for (const url of HOSTILE) {
      const r = resolveAppUrl(dist, url);
      expect(r, url).toHaveProperty('status');
      expect([403, 404], url).toContain((r as { status: number }).status);
    }
    expect(resolveAppUrl(dist, 'app://x/../../etc')).toEqual({ status: 403 });
    expect(resolveAppUrl('dist', APP_INDEX_URL)).toEqual({ status: 403 });
  });

  it('never yields a path outside dist, whatever the path', () => {
    const segment = fc.oneof(
      fc.constantFrom('..', '.', '%2e%2e', '%2E.', '', 'assets', 'index.html', 'a.js', '%2f', '%5c', '%00'),
      // encoded separators survive URL parsing, so `..` can hide inside one segment
      fc.constantFrom('..%2fa.js', '%2e%2e%2f', '..%5c', '%2e%2e%2f%2e%2e%2fa.css', '..%2f..%2f'),
      fc.string({ maxLength: 6 }),
    );
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 6 }), (parts) => {
        const r = resolveAppUrl(dist, `app://tftp-desk/${parts.join('/')}`);
        if ('status' in r) return;
        const rel = relative(dist, r.path);
        expect(rel === '..' || rel.startsWith('..' + sep) || rel.startsWith(sep)).toBe(false);
        expect(rel).not.toBe('');
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the window CSP', () => {
  it('is repeated in the page as a meta tag, less frame-ancestors (which a meta tag cannot carry)', () => {
    const html = readFileSync(join(import.meta.dirname, '..', '..', 'renderer', 'index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(APP_CSP).toContain(" frame-ancestors 'none';");
    expect(meta).toBe(APP_CSP.replace(" frame-ancestors 'none';", ''));
  });
});

describe('isAppUrl', () => {
  it('accepts exactly the app origin', () => {
    expect(isAppUrl(APP_INDEX_URL)).toBe(true);
    expect(isAppUrl('app://tftp-desk/settings#x')).toBe(true);
    for (const url of HOSTILE.slice(1, 11)) expect(isAppUrl(url), url).toBe(false);
    expect(isAppUrl(undefined)).toBe(false);
  });
});

describe('appProtocolResponse', () => {
  const get = (url: string, method = 'GET') => appProtocolResponse(dist, new Request(url, { method }));

  it('serves the page and its assets with the CSP and their content types', async () => {
    const page = await get(APP_INDEX_URL);
    expect(page.status).toBe(200);
    expect(await page.text()).toBe(INDEX_BODY);
    expect(page.headers.get('content-security-policy')).toBe(APP_CSP);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');

    const script = await get('app://tftp-desk/assets/index-abc.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await script.text()).toBe('export const x = 1;\n');

    const route = await get('app://tftp-desk/transfers/42');
    expect(await route.text()).toContain('<title>TFTP Desk</title>');
  });

  it('answers 404 for missing files and directories, and never reads outside dist', async () => {
    for (const url of ['app://tftp-desk/assets/nope.js', 'app://tftp-desk/folder.js']) {
      const r = await get(url);
      expect(r.status, url).toBe(404);
      expect(r.headers.get('content-security-policy')).toBe(APP_CSP);
    }
    for (const url of HOSTILE.filter((u) => u.startsWith('app://tftp-desk/'))) {
      let r: Response;
      try {
        r = await get(url);
      } catch {
        continue; // a URL the fetch API itself refuses never reaches us (Chromium's does the same)
      }
      // the fetch API folds `..` away before we see it (as Chromium does): `/etc/passwd` is then
      // just a client-side route, answered with the page itself
      const body = await r.text();
      expect(body, url).not.toContain(SECRET);
      if (r.status === 200) expect(body, url).toBe(INDEX_BODY);
      else expect([403, 404], url).toContain(r.status);
    }
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get(APP_INDEX_URL, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('39');
    expect(await head.text()).toBe('');
    const post = await get(APP_INDEX_URL, 'POST');
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });
});
