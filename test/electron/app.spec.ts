// The desktop app end to end, in a real Electron (Playwright's _electron): the built app with a
// throwaway profile and served folder, driven the way a user does, with curl as the device. Then the
// security of the running app, checked from the page's side and the main process's.
// Runs where an Electron binary is installed (CI on Windows, macOS and Linux); elsewhere it skips
// and says why.
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { APP_CSP, APP_INDEX_URL } from '../../electron/shell/app-protocol.js';
import { INVOKE_METHODS } from '../../shared/ipc-contract.js';
import { curlGet, randomFile, sha256 } from '../e2e/helpers/clients.js';
import {
  REPO,
  appEnv,
  devAppMissing,
  electronBinary,
  highUdpPort,
  isAlive,
  makeProfile,
  processesOfProfile,
  readSettings,
  removeProfile,
  sandboxArgs,
  udpPortFree,
  type Profile,
} from './helpers/desktop-app.js';

const reason = devAppMissing();
if (reason !== null) console.log(`electron: skipped: ${reason}`);

const PRELOAD = join(REPO, 'dist-electron', 'electron', 'shell', 'preload.cjs');

async function launch(profile: Profile): Promise<ElectronApplication> {
  return electron.launch({
    executablePath: electronBinary(),
    args: [...sandboxArgs(), REPO],
    cwd: REPO,
    env: appEnv(profile),
  });
}

async function windowsVisible(app: ElectronApplication): Promise<boolean[]> {
  return app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().map((w) => w.isVisible()));
}

async function startServer(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Start' }).click();
  await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
}

test.describe.serial('the desktop app', () => {
  test.skip(reason !== null, reason ?? '');

  let profile: Profile;
  let port: number;
  let firmwareSum: string;
  let app: ElectronApplication;
  let page: Page;

  test.beforeAll(async () => {
    port = await highUdpPort();
    profile = await makeProfile({ port });
    firmwareSum = await randomFile(join(profile.root, 'firmware.bin'), 1_000_000);
    app = await launch(profile);
    page = await app.firstWindow();
  });

  test.afterAll(async () => {
    if (app && isAlive(app.process().pid ?? -1)) await app.close();
    await removeProfile(profile);
  });

  test('opens its window on the app page, serving the profile folder', async () => {
    await expect(page).toHaveTitle(/TFTP Desk/);
    expect(page.url()).toBe(APP_INDEX_URL);
    await expect.poll(() => windowsVisible(app)).toEqual([true]);
    await expect(page.getByTestId('root-path')).toHaveText(profile.root);
  });

  test('serves a curl download, live and then in history with its SHA-256', async () => {
    await startServer(page);
    const out = test.info().outputPath('firmware.bin');
    // blksize 8 turns 1 MB into 125,000 round trips: long enough to see the transfer live
    const download = curlGet(port, 'firmware.bin', out, 8);
    const row = page.locator('[data-session]').filter({ hasText: 'firmware.bin' });
    await expect(row).toBeVisible();
    await expect(page.getByTestId('live-count')).toHaveText('1');

    const result = await download;
    expect(result.code, result.stderr).toBe(0);
    expect(await sha256(out)).toBe(firmwareSum);
    await expect(row).toHaveCount(0);
    const done = page.locator('[data-history]').filter({ hasText: 'firmware.bin' });
    await expect(done).toContainText('Done');
    await expect(done).toContainText(firmwareSum.slice(0, 16));
  });

  test('exposes window.tftp to the page, and nothing else', async () => {
    const probe = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return {
        require: typeof w.require,
        process: typeof w.process,
        module: typeof w.module,
        keys: Object.keys((w.tftp ?? {}) as object).sort(),
        globals: Object.getOwnPropertyNames(window),
      };
    });
    expect(probe).toMatchObject({
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      keys: [...INVOKE_METHODS, 'on', 'pathForFile'].sort(),
    });
    // the same page from the same origin in a window without our preload: the difference in globals
    // is exactly what the preload put into the page
    const bare = await app.evaluate(async ({ BrowserWindow }, url) => {
      const win = new BrowserWindow({
        show: false,
        webPreferences: { sandbox: true, contextIsolation: true },
      });
      try {
        await win.loadURL(url);
        return (await win.webContents.executeJavaScript('Object.getOwnPropertyNames(window)')) as string[];
      } finally {
        win.destroy();
      }
    }, APP_INDEX_URL);
    expect(probe.globals.filter((name) => !bare.includes(name))).toEqual(['tftp']);
  });

  test('refuses popups and navigation away from the app', async () => {
    expect(await page.evaluate(() => window.open('https://example.com') === null)).toBe(true);
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    // the guard cancels the navigation: the page is still ours and can still call the bridge
    await expect(page.getByTestId('root-path')).toHaveText(profile.root);
    expect(page.url()).toBe(APP_INDEX_URL);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  test('holds its content security policy', async () => {
    const probe = await page.evaluate(async (port) => {
      const response = await fetch('/index.html');
      const escape = await fetch('/assets/..%2f..%2fpackage.json');
      const violations: string[] = [];
      document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
      const inline = document.createElement('script');
      inline.textContent = 'window.__inlineRan = true';
      document.head.append(inline);
      let evalRan = false;
      try {
        // eslint-disable-next-line no-eval -- the point: the CSP must refuse eval
        evalRan = (0, eval)('true') as boolean;
      } catch {
        // refused by the CSP
      }
      const outside = await fetch(`http://127.0.0.1:${port}/`).then(
        () => 'reached',
        () => 'blocked',
      );
      await new Promise((resolve) => setTimeout(resolve, 100)); // violation events are queued
      return {
        origin: location.origin,
        status: response.status,
        csp: response.headers.get('content-security-policy'),
        escape: escape.status,
        inlineRan: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true,
        evalRan,
        outside,
        violated: violations.length > 0,
      };
    }, port);
    expect(probe).toEqual({
      origin: 'app://tftp-desk',
      status: 200,
      csp: APP_CSP,
      escape: 403,
      inlineRan: false,
      evalRan: false,
      outside: 'blocked',
      violated: true,
    });
  });

  test('rejects bridge calls from a page on another origin', async () => {
    // our own preload in a window showing a page that is not the app: the main process must refuse
    const answer = await app.evaluate(async ({ BrowserWindow }, preload) => {
      const win = new BrowserWindow({
        show: false,
        webPreferences: { preload, sandbox: true, contextIsolation: true },
      });
      try {
        await win.loadURL('data:text/html,<title>elsewhere</title>');
        return (await win.webContents.executeJavaScript(
          'window.tftp.getSnapshot().then(() => "answered", (e) => "refused: " + e.message)',
        )) as string;
      } finally {
        win.destroy();
      }
    }, PRELOAD);
    expect(answer).toMatch(/^refused: .*did not come from TFTP Desk/);
  });

  test('denies web permissions and holds the single-instance lock', async () => {
    const camera = await page.evaluate(async () => {
      try {
        await navigator.mediaDevices.getUserMedia({ video: true });
        return 'granted';
      } catch (err) {
        return (err as Error).name;
      }
    });
    expect(camera).not.toBe('granted');
    expect(await app.evaluate(({ app }) => app.hasSingleInstanceLock())).toBe(true);
  });

  test('keeps serving from the tray when the window is closed', async () => {
    const testInfo = test.info();
    await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
    await expect.poll(() => windowsVisible(app)).toEqual([false]);
    const out = testInfo.outputPath('again.bin');
    const result = await curlGet(port, 'firmware.bin', out);
    expect(result.code, result.stderr).toBe(0);
    expect(await sha256(out)).toBe(firmwareSum);
    // back from the tray: the same window, with the transfer that ran meanwhile
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.show());
    await expect.poll(() => windowsVisible(app)).toEqual([true]);
    await expect(page.locator('[data-history]').filter({ hasText: 'firmware.bin' })).toHaveCount(2);
  });

  test('keeps a changed setting across a restart', async () => {
    await page.getByRole('tab', { name: 'Settings' }).click();
    await page.getByLabel('Uploads (write requests)').selectOption('create');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await expect(page.getByText('Saved.')).toBeVisible();
    expect((await readSettings(profile)).uploads).toBe('create');

    await app.close();
    app = await launch(profile);
    page = await app.firstWindow();
    await page.getByRole('tab', { name: 'Settings' }).click();
    await expect(page.getByLabel('Uploads (write requests)')).toHaveValue('create');
    await page.getByRole('tab', { name: 'Transfers' }).click();
  });

  test('quits cleanly mid-upload: no process left, port released, no upload temporary', async () => {
    const testInfo = test.info();
    await startServer(page);
    const local = testInfo.outputPath('backup.bin');
    await randomFile(local, 2_000_000);
    // 250,000 blocks of 8 bytes: still running when the app quits
    const upload: ChildProcess = spawn(
      'curl',
      ['-sS', '--tftp-blksize', '8', '-T', local, `tftp://127.0.0.1:${port}/backup.bin`],
      { stdio: 'ignore' },
    );
    try {
      await expect(page.locator('[data-session]').filter({ hasText: 'backup.bin' })).toBeVisible();
      const pid = app.process().pid!;
      await app.close();
      expect(isAlive(pid)).toBe(false);
      expect(processesOfProfile(profile)).toEqual([]);
      expect(await udpPortFree(port)).toBe(true);
      // the aborted upload left nothing: no temporary, no partial file
      expect((await readdir(profile.root)).sort()).toEqual(['firmware.bin']);
    } finally {
      upload.kill();
    }
  });
});
