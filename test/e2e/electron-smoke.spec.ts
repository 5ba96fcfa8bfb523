// The desktop shell, end to end: the built app in a real Electron, checked from the page's side
// (no Node, the contract bridge only, no popups or navigation) and from the main process.
// Runs where an Electron binary is installed; elsewhere it skips and says why.
import { _electron as electron, expect, test, type ElectronApplication } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { INVOKE_METHODS } from '../../shared/ipc-contract.js';
import { APP_CSP, APP_INDEX_URL } from '../../electron/shell/app-protocol.js';

const ROOT = resolve(import.meta.dirname, '..', '..');

function missing(): string | null {
  if (!existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt'))) {
    return 'no Electron binary here (node_modules/electron/path.txt is missing; installs skip the download)';
  }
  for (const file of [
    'dist/index.html',
    'dist-electron/electron/shell/main.js',
    'dist-electron/electron/shell/preload.cjs',
  ]) {
    if (!existsSync(join(ROOT, file))) return `${file} is missing: run \`npm run build\` first`;
  }
  return null;
}

const reason = missing();
if (reason !== null) console.log(`electron-smoke: skipped: ${reason}`);

test.describe('Electron shell', () => {
  test.skip(reason !== null, reason ?? '');

  let app: ElectronApplication;
  let home: string;

  test.beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'tftp-desk-electron-'));
    const args = process.getuid?.() === 0 ? ['--no-sandbox', ROOT] : [ROOT];
    app = await electron.launch({
      args,
      cwd: ROOT,
      env: { ...process.env, HOME: home, TFTP_DESK_USER_DATA: join(home, 'user-data') },
    });
  });

  test.afterAll(async () => {
    await app?.close();
    rmSync(home, { recursive: true, force: true });
  });

  test('the page gets the contract bridge and no Node', async () => {
    const page = await app.firstWindow();
    await page.waitForLoadState('domcontentloaded');
    await expect(page).toHaveTitle(/TFTP Desk/);
    const probe = await page.evaluate(() => {
      const w = window as unknown as Record<string, unknown>;
      return {
        require: typeof w.require,
        process: typeof w.process,
        module: typeof w.module,
        keys: Object.keys((w.tftp ?? {}) as object).sort(),
      };
    });
    expect(probe).toEqual({
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      keys: [...INVOKE_METHODS, 'on', 'pathForFile'].sort(),
    });
    const snapshot = await page.evaluate(() =>
      (
        window as unknown as {
          tftp: { getSnapshot(): Promise<{ settings: { root: string }; capabilities: unknown }> };
        }
      ).tftp.getSnapshot(),
    );
    expect(snapshot.settings.root).toBe(join(home, 'TFTP'));
    expect(snapshot.capabilities).toMatchObject({ nativeDialogs: true });
  });

  test('popups and navigation are refused', async () => {
    const page = await app.firstWindow();
    const before = page.url();
    expect(before).toBe(APP_INDEX_URL);
    expect(await page.evaluate(() => window.open('https://example.com') === null)).toBe(true);
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toBe(before);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  test('the page comes from app://tftp-desk/ with the CSP header, and only from dist/', async () => {
    const page = await app.firstWindow();
    const probe = await page.evaluate(async () => {
      const page = await fetch('/index.html');
      const escape = await fetch('/assets/..%2f..%2fpackage.json');
      return {
        origin: location.origin,
        status: page.status,
        csp: page.headers.get('content-security-policy'),
        escape: escape.status,
      };
    });
    expect(probe).toEqual({ origin: 'app://tftp-desk', status: 200, csp: APP_CSP, escape: 403 });
  });

  test('the main process denies permissions and holds the single-instance lock', async () => {
    const page = await app.firstWindow();
    const camera = await page.evaluate(async () => {
      try {
        await navigator.mediaDevices.getUserMedia({ video: true });
        return 'granted';
      } catch (err) {
        return (err as Error).name;
      }
    });
    expect(camera).not.toBe('granted');
    expect(await app.evaluate(({ app: electronApp }) => electronApp.hasSingleInstanceLock())).toBe(true);
  });
});
