// The renderer's CSP meta tag in a real Chromium, under the browser UI (`tftp-desk serve --ui`).
// The same page runs on app://tftp-desk/ in the desktop window, where the meta tag and the app
// protocol's header apply; here the UI server adds its own header. One test strips that header so
// the meta tag is proven on its own: its connect-src 'self' must admit the page's own ws:// origin
// (CSP3 same-origin WebSocket matching) and nothing else.
import { expect, test, type BrowserType, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

function freePort(kind: 'tcp' | 'udp'): Promise<number> {
  return new Promise((done, fail) => {
    if (kind === 'udp') {
      const s = createSocket('udp4');
      s.once('error', fail);
      s.bind(0, '127.0.0.1', () => {
        const { port } = s.address();
        s.close(() => done(port));
      });
      return;
    }
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => done(typeof a === 'object' && a !== null ? a.port : 0));
    });
  });
}

let child: ChildProcess;
let url: string;
let root: string;

test.beforeAll(async () => {
  if (!existsSync(join(ROOT, 'dist', 'index.html'))) throw new Error('dist/ is missing: run `npm run build`');
  root = mkdtempSync(join(tmpdir(), 'tftp-desk-csp-'));
  const [port, uiPort] = [await freePort('udp'), await freePort('tcp')];
  const args = ['bin/tftp-desk.js', 'serve', '--root', root, '--host', '127.0.0.1', '--port', String(port)];
  child = spawn(process.execPath, [...args, '--ui', '--ui-port', String(uiPort)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no UI URL within 15 s:\n${out}`)), 15_000);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (m?.[1] !== undefined) {
        clearTimeout(timer);
        done(m[1]);
      }
    });
    child.once('exit', (code) => fail(new Error(`tftp-desk exited (${code}):\n${out}`)));
  });
});

test.afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((done) => child.once('exit', done));
    child.kill('SIGTERM');
    await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  if (root) rmSync(root, { recursive: true, force: true });
});

/** Opens the UI collecting console messages, page errors and CSP violation events. */
async function openUi(page: Page, opts: { stripHeaderCsp: boolean }) {
  const messages: string[] = [];
  const sockets: string[] = [];
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await page.addInitScript(() => {
    const w = window as unknown as { cspViolations: string[] };
    w.cspViolations = [];
    document.addEventListener('securitypolicyviolation', (e) =>
      w.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`),
    );
  });
  // the token URL sets the cookie and redirects to /; a route sees only the first URL of a
  // redirect, so the header is stripped on a second, direct load of /
  const first = await page.goto(url);
  expect(first?.ok()).toBe(true);
  expect(await first?.headerValue('content-security-policy')).toContain("connect-src 'self'");
  if (opts.stripHeaderCsp) {
    await page.route('**/*', async (route) => {
      if (route.request().resourceType() !== 'document') return route.continue();
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['content-security-policy'];
      await route.fulfill({ response, headers });
    });
    messages.length = 0;
    sockets.length = 0;
    const second = await page.goto(new URL('/', url).href);
    expect(second?.ok()).toBe(true);
    expect(await second?.headerValue('content-security-policy')).toBeNull();
  }
  const violations = () =>
    page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);
  return { messages, sockets, violations };
}

/** The project's Chromium flags (playwright.config.ts), plus any extra. */
function launchOptions(extra: string[]) {
  const flags = ['--no-sandbox', '--disable-gpu', '--disable-background-networking'];
  flags.push('--disable-component-update', '--disable-sync', '--no-first-run', ...extra);
  return {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: process.env.HEADFUL !== undefined ? flags : ['--headless', ...flags],
  };
}

/**
 * The page to test in. With the header stripped, a browser of its own: a page fulfilled by the
 * test's route has no network address, so Chromium's Local Network Access checks would refuse its
 * loopback WebSocket before CSP is consulted; that one feature is switched off there.
 */
async function pageFor(stripHeaderCsp: boolean, page: Page, browserType: BrowserType) {
  if (!stripHeaderCsp) return { page, close: async () => undefined };
  const browser = await browserType.launch(launchOptions(['--disable-features=LocalNetworkAccessChecks']));
  return { page: await browser.newPage(), close: () => browser.close() };
}

for (const stripHeaderCsp of [false, true]) {
  const label = stripHeaderCsp ? 'the meta tag alone' : 'the meta tag and the header together';

  test(`${label}: the UI loads, its WebSocket connects, nothing is refused`, async ({
    page: own,
    playwright,
  }) => {
    const { page, close } = await pageFor(stripHeaderCsp, own, playwright.chromium);
    try {
      const ui = await openUi(page, { stripHeaderCsp });
      const origin = new URL(page.url()).host;
      const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
      expect(policy).toContain("connect-src 'self';");
      await expect(page.getByText('Listening on').first()).toBeVisible();
      expect(ui.sockets).toEqual([`ws://${origin}/ws`]);
      expect(await ui.violations()).toEqual([]);
      expect(ui.messages).toEqual([]);
    } finally {
      await close();
    }
  });

  test(`${label}: inline scripts and other WebSocket origins are refused`, async ({
    page: own,
    playwright,
  }) => {
    const { page, close } = await pageFor(stripHeaderCsp, own, playwright.chromium);
    try {
      const ui = await openUi(page, { stripHeaderCsp });
      await expect(page.getByText('Listening on').first()).toBeVisible();
      const otherPort = await freePort('tcp');
      const probe = await page.evaluate(async (port) => {
        const w = window as unknown as { inlineRan: boolean };
        w.inlineRan = false;
        const s = document.createElement('script');
        s.textContent = 'window.inlineRan = true';
        document.body.append(s);
        // Chromium refuses a CSP-blocked WebSocket asynchronously: it closes without ever opening
        const opened = await new Promise<boolean>((done) => {
          const ws = new WebSocket(`ws://127.0.0.1:${port}/ws`);
          ws.onopen = () => done(true);
          ws.onclose = () => done(false);
          setTimeout(() => done(ws.readyState === WebSocket.OPEN), 2000);
        });
        return { inlineRan: w.inlineRan, opened };
      }, otherPort);
      expect(probe).toEqual({ inlineRan: false, opened: false });
      const seen = await ui.violations();
      expect(seen.some((v) => v.startsWith('script-src'))).toBe(true);
      expect(seen).toContain(`connect-src ws://127.0.0.1:${otherPort}/ws`);
    } finally {
      await close();
    }
  });
}
