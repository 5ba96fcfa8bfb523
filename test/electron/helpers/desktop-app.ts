// The real desktop app for the Electron suites: a throwaway profile (settings folder and served
// folder), a launch of the development build or of a packaged app, and the checks that it is gone
// after a quit. Nothing here imports the `electron` module; the binary is found through its
// package's path.txt, as the package itself does.
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync, readdirSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { AppSettings } from '../../../shared/settings.js';

export const REPO = resolve(import.meta.dirname, '..', '..', '..');

/** What the development launch needs from `npm run build`. */
const BUILT = [
  'dist/index.html',
  'dist-electron/electron/shell/main.js',
  'dist-electron/electron/shell/preload.cjs',
];

/** The Electron binary npm installed, or undefined (installs here skip its download). */
export function electronBinary(): string | undefined {
  const pathTxt = join(REPO, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathTxt)) return undefined;
  const binary = join(REPO, 'node_modules', 'electron', 'dist', readFileSync(pathTxt, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

/** Why the development app cannot be launched here, or null when it can. */
export function devAppMissing(): string | null {
  if (electronBinary() === undefined) {
    return 'no Electron binary here (node_modules/electron/path.txt or its binary is missing: the install skipped the download)';
  }
  for (const file of BUILT) {
    if (!existsSync(join(REPO, file))) return `${file} is missing: run \`npm run build\` first`;
  }
  return null;
}

/** Chromium's sandbox refuses to run as root; CI runs as a normal user and keeps it on. */
export function sandboxArgs(): string[] {
  return process.platform === 'linux' && process.getuid?.() === 0 ? ['--no-sandbox'] : [];
}

export interface Profile {
  /** the temporary folder holding everything below */
  dir: string;
  /** Electron's userData: settings (config.json), caches */
  userData: string;
  /** the folder the app serves */
  root: string;
  /** HOME for the app on Linux, so nothing lands in the real one */
  home: string;
  settingsFile: string;
}

/**
 * A fresh profile whose settings serve `root` on loopback only: the app starts with them as if the
 * user had chosen them, through the settings file the app itself reads (conf's config.json).
 */
export async function makeProfile(settings: Partial<AppSettings>): Promise<Profile> {
  // realpath: macOS's tmpdir is a symlink and Windows' may be an 8.3 short name; the app shows real paths
  const dir = realpathSync.native(await mkdtemp(join(tmpdir(), 'tftp-desk-electron-')));
  const profile = {
    dir,
    userData: join(dir, 'user-data'),
    root: join(dir, 'served'),
    home: join(dir, 'home'),
    settingsFile: join(dir, 'user-data', 'config.json'),
  };
  await Promise.all([profile.userData, profile.root, profile.home].map((d) => mkdir(d, { recursive: true })));
  await writeFile(
    profile.settingsFile,
    JSON.stringify({ root: profile.root, hosts: ['127.0.0.1'], autoStart: false, ...settings }, null, 2),
  );
  return profile;
}

export async function readSettings(profile: Profile): Promise<Partial<AppSettings>> {
  return JSON.parse(await readFile(profile.settingsFile, 'utf8')) as Partial<AppSettings>;
}

/** The environment the app runs with: the profile's settings folder (and home, on Linux). */
export function appEnv(profile: Profile): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    // a stray ELECTRON_RUN_AS_NODE would start Node instead of the app
    if (v !== undefined && k !== 'ELECTRON_RUN_AS_NODE') env[k] = v;
  }
  // HOME only on Linux: elsewhere Electron finds the keychain or the user profile through it, and the
  // app needs no home of its own once the profile names the served folder.
  env.TFTP_DESK_USER_DATA = profile.userData;
  if (process.platform === 'linux') env.HOME = profile.home;
  return env;
}

export async function removeProfile(profile: Profile | undefined): Promise<void> {
  if (profile) await rm(profile.dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Processes that still carry the profile path: Electron's helpers (renderer, GPU, utility) inherit
 * the app's environment, so on Linux any orphan shows the profile in /proc/PID/environ, and on
 * macOS in `ps -E`. Windows has neither; there only the app's own process is checked.
 */
export function processesOfProfile(profile: Profile): number[] {
  const needle = profile.userData;
  if (process.platform === 'linux') {
    const found: number[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
      try {
        if (readFileSync(`/proc/${name}/environ`, 'latin1').includes(needle)) found.push(Number(name));
      } catch {
        // gone meanwhile, or another user's
      }
    }
    return found;
  }
  if (process.platform === 'darwin') {
    const ps = spawnSync('ps', ['-axE', '-ww', '-o', 'pid=,command='], { encoding: 'latin1' });
    return ps.stdout
      .split('\n')
      .filter((line) => line.includes(needle))
      .map((line) => Number(line.trim().split(/\s+/)[0]))
      .filter((pid) => pid !== process.pid);
  }
  return [];
}

/** Whether a UDP socket can bind `port` on 127.0.0.1 right now (the app has let go of it). */
export function udpPortFree(port: number): Promise<boolean> {
  const socket = createSocket('udp4');
  return new Promise((resolve) => {
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });
}

/** A UDP port above 20000 that was free a moment ago. */
export async function highUdpPort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = 20_000 + Math.floor(Math.random() * 40_000);
    if (await udpPortFree(port)) return port;
  }
  throw new Error('no free UDP port above 20000 after 50 tries');
}

/**
 * The packaged app's executable: TFTP_DESK_PACKAGED_APP when set, else what `electron-builder --dir`
 * left in release/ for this OS (linux-unpacked, win-unpacked, mac or mac-arm64). Undefined when
 * there is none.
 */
export function packagedExecutable(): string | undefined {
  const fromEnv = process.env.TFTP_DESK_PACKAGED_APP;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : undefined;
  const release = join(REPO, 'release');
  const dirs = (process.platform === 'darwin' ? ['mac-arm64', 'mac', 'mac-universal'] : [])
    .concat(process.platform === 'win32' ? ['win-unpacked'] : [])
    .concat(process.platform === 'linux' ? ['linux-unpacked'] : [])
    .map((d) => join(release, d))
    .filter((d) => existsSync(d));
  for (const dir of dirs) {
    const names = readdirSync(dir);
    if (process.platform === 'darwin') {
      const bundle = names.find((n) => n.endsWith('.app'));
      if (!bundle) continue;
      const macos = join(dir, bundle, 'Contents', 'MacOS');
      const [binary] = readdirSync(macos);
      if (binary) return join(macos, binary);
    } else if (process.platform === 'win32') {
      const exe = names.find((n) => n.endsWith('.exe') && !/^uninstall/i.test(n));
      if (exe) return join(dir, exe);
    } else if (names.includes('tftp-desk')) {
      return join(dir, 'tftp-desk');
    }
  }
  return undefined;
}

/** A TCP port on 127.0.0.1 that was free a moment ago (for Chromium's DevTools endpoint). */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
