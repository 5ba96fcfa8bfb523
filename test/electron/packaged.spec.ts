// The packaged app (electron-builder --dir) as users get it: app.asar, the download-thread bundle
// unpacked beside it, the tray icons, the flipped fuses. Its fuses turn Node's inspector off, so
// Playwright's _electron cannot drive it; the test starts the executable itself and drives its page
// over Chromium's DevTools protocol instead. Runs where a packaged app exists (CI, after packaging;
// TFTP_DESK_PACKAGED_APP names the executable); elsewhere it skips and says why.
import { chromium, expect, test, type Browser, type Page } from '@playwright/test';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { APP_INDEX_URL } from '../../electron/shell/app-protocol.js';
import { INVOKE_METHODS } from '../../shared/ipc-contract.js';
import type { Snapshot } from '../../shared/ipc-contract.js';
import { curlGet, randomFile, sha256 } from '../e2e/helpers/clients.js';
import {
  REPO,
  appEnv,
  freeTcpPort,
  highUdpPort,
  isAlive,
  makeProfile,
  packagedExecutable,
  processesOfProfile,
  removeProfile,
  sandboxArgs,
  udpPortFree,
  type Profile,
} from './helpers/desktop-app.js';

const executable = packagedExecutable();
const reason =
  executable === undefined
    ? 'no packaged app (run `npx electron-builder --dir`, or set TFTP_DESK_PACKAGED_APP to its executable)'
    : null;
if (reason !== null) console.log(`electron-packaged: skipped: ${reason}`);

/** A fuse's byte in the binary: ASCII '1' when on, '0' when off (@electron/fuses' FuseState). */
const FUSE_ON = 0x31;
const FUSE_OFF = 0x30;

/** electron-builder.yml's fuse names, as @electron/fuses numbers them */
const FUSES: Record<string, FuseV1Options> = {
  runAsNode: FuseV1Options.RunAsNode,
  enableCookieEncryption: FuseV1Options.EnableCookieEncryption,
  enableNodeOptionsEnvironmentVariable: FuseV1Options.EnableNodeOptionsEnvironmentVariable,
  enableNodeCliInspectArguments: FuseV1Options.EnableNodeCliInspectArguments,
  enableEmbeddedAsarIntegrityValidation: FuseV1Options.EnableEmbeddedAsarIntegrityValidation,
  onlyLoadAppFromAsar: FuseV1Options.OnlyLoadAppFromAsar,
  grantFileProtocolExtraPrivileges: FuseV1Options.GrantFileProtocolExtraPrivileges,
};

/** Connects to the app's DevTools endpoint once it is up (bounded: 60 tries, 500 ms apart). */
async function connect(debugPort: number, output: () => string): Promise<Browser> {
  let last: unknown;
  for (let attempt = 0; attempt < 60; attempt += 1) {
    try {
      return await chromium.connectOverCDP(`http://127.0.0.1:${debugPort}`);
    } catch (err) {
      last = err;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
  throw new Error(`the packaged app's DevTools endpoint never answered: ${String(last)}\n${output()}`);
}

/** The app's own page among the targets (bounded: 60 tries, 500 ms apart). */
async function appPage(browser: Browser): Promise<Page> {
  for (let attempt = 0; attempt < 60; attempt += 1) {
    const page = browser
      .contexts()
      .flatMap((c) => c.pages())
      .find((p) => p.url() === APP_INDEX_URL);
    if (page) return page;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`no page at ${APP_INDEX_URL}`);
}

/** Asks the app to quit as the OS does at logout (SIGTERM: Electron runs app.quit()). */
function waitForExit(child: ChildProcess, ms: number): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), ms);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

function forceKill(child: ChildProcess): void {
  if (child.pid === undefined || !isAlive(child.pid)) return;
  if (process.platform === 'win32') spawnSync('taskkill', ['/PID', String(child.pid), '/T', '/F']);
  else child.kill('SIGKILL');
}

test.describe.serial('the packaged app', () => {
  test.skip(reason !== null, reason ?? '');

  let profile: Profile;
  let port: number;
  let child: ChildProcess;
  let output = '';
  let browser: Browser;
  let page: Page;
  const sums = new Map<string, string>();

  test.beforeAll(async () => {
    port = await highUdpPort();
    profile = await makeProfile({ port });
    for (const name of ['a.bin', 'b.bin', 'c.bin'])
      sums.set(name, await randomFile(join(profile.root, name), 3_000_000));
    const debugPort = await freeTcpPort();
    child = spawn(executable!, [...sandboxArgs(), `--remote-debugging-port=${debugPort}`], {
      env: appEnv(profile),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-20_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    browser = await connect(debugPort, () => output);
    page = await appPage(browser);
  });

  test.afterAll(async () => {
    await browser?.close().catch(() => undefined);
    if (child) forceKill(child);
    if (output) console.log(`packaged app output (last 20 kB):\n${output}`);
    await removeProfile(profile);
  });

  test('flips the fuses electron-builder.yml asks for', async () => {
    const config = yaml.load(await readFile(join(REPO, 'electron-builder.yml'), 'utf8')) as {
      electronFuses: Record<string, unknown>;
    };
    const wire = (await getCurrentFuseWire(executable!)) as unknown as Record<number, number>;
    for (const [name, wanted] of Object.entries(config.electronFuses)) {
      const fuse = FUSES[name];
      if (fuse === undefined) continue; // resetAdHocDarwinSignature is an instruction, not a fuse
      expect({ name, state: wire[fuse] }).toEqual({
        name,
        state: wanted ? FUSE_ON : FUSE_OFF,
      });
    }
  });

  test('declares its local-network use to macOS', async () => {
    test.skip(process.platform !== 'darwin', 'Info.plist exists in macOS app bundles only');
    const plist = await readFile(join(executable!, '..', '..', 'Info.plist'), 'utf8');
    expect(plist).toMatch(/<key>NSLocalNetworkUsageDescription<\/key>\s*<string>[^<]*local network/);
  });

  test('opens its window from app.asar with the bridge and the profile folder', async () => {
    await expect(page).toHaveTitle(/TFTP Desk/);
    await expect(page.getByTestId('root-path')).toHaveText(profile.root);
    const keys = await page.evaluate(() => Object.keys((window as unknown as { tftp: object }).tftp).sort());
    expect(keys).toEqual([...INVOKE_METHODS, 'on', 'pathForFile'].sort());
  });

  test('serves concurrent curl downloads, on download threads where the machine has cores', async () => {
    await page.getByRole('button', { name: 'Start' }).click();
    await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
    const results = await Promise.all(
      [...sums.keys()].map(async (name) => {
        const out = test.info().outputPath(name);
        const r = await curlGet(port, name, out);
        return { name, code: r.code, stderr: r.stderr, sum: r.code === 0 ? await sha256(out) : '' };
      }),
    );
    for (const r of results) expect(r, r.stderr).toEqual({ ...r, code: 0, sum: sums.get(r.name) });
    for (const [name, sum] of sums) {
      const done = page.locator('[data-history]').filter({ hasText: name });
      await expect(done).toContainText('Done');
      await expect(done).toContainText(sum.slice(0, 16));
    }
    // the engine keeps a core for the UI: threads run downloads only with three cores or more
    const snapshot = await page.evaluate(() =>
      (window as unknown as { tftp: { getSnapshot(): Promise<Snapshot> } }).tftp.getSnapshot(),
    );
    const onThreads = snapshot.log.filter((e) => /runs on download thread/.test(e.message));
    const failedThreads = snapshot.log.filter(
      (e) => /download thread/i.test(e.message) && e.level === 'error',
    );
    expect(failedThreads).toEqual([]);
    if (availableParallelism() > 2) expect(onThreads.length).toBeGreaterThan(0);
  });

  test('quits when the system asks, releasing the port and leaving no process', async () => {
    test.skip(process.platform === 'win32', 'Windows has no SIGTERM; the development suite proves the quit');
    await browser.close().catch(() => undefined);
    const pid = child.pid!;
    child.kill('SIGTERM');
    expect(await waitForExit(child, 15_000), output).toBe(0);
    expect(isAlive(pid)).toBe(false);
    expect(processesOfProfile(profile)).toEqual([]);
    expect(await udpPortFree(port)).toBe(true);
  });
});
