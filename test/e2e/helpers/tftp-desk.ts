// Starts the real `tftp-desk serve --ui` on free loopback ports with a temporary root, and stops
// it by its process id.
import { spawn, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { freeUdpPort } from '../../helpers/ports';

const REPO = join(import.meta.dirname, '..', '..', '..');

export interface RunningServer {
  /** the printed UI URL with its token */
  url: string;
  port: number;
  root: string;
  output(): string;
  stop(): Promise<void>;
}

export async function freeTcpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export { freeUdpPort };

export async function tempRoot(prefix = 'tftp-desk-e2e-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

function waitForExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export async function startTftpDesk(
  opts: { root?: string; args?: string[]; port?: number; env?: Record<string, string> } = {},
): Promise<RunningServer> {
  const root = opts.root ?? (await tempRoot());
  const port = opts.port ?? (await freeUdpPort());
  const uiPort = await freeTcpPort();
  const args = ['bin/tftp-desk.js', 'serve', '--root', root, '--host', '127.0.0.1', '--port', String(port)];
  args.push('--ui', '--ui-port', String(uiPort), ...(opts.args ?? []));
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...opts.env },
  });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`tftp-desk printed no UI URL within 15 s:\n${out}`)),
      15_000,
    );
    const check = () => {
      const match = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`tftp-desk exited (${code}) before printing its UI URL:\n${out}`));
    });
  });

  return {
    url,
    port,
    root,
    output: () => out,
    async stop() {
      child.kill('SIGTERM');
      if (!(await waitForExit(child, 5000))) {
        child.kill('SIGKILL');
        await waitForExit(child, 2000);
      }
      if (opts.root === undefined) await rm(root, { recursive: true, force: true });
    },
  };
}

/**
 * Holds a UDP port on 127.0.0.1 while the page is pointed at it (Settings → port → Save), so Start
 * fails with the port in use; `check` runs against the error, and the port is always let go.
 */
export async function withPortTaken(app: Page, check: (port: number) => Promise<void>): Promise<void> {
  const port = await freeUdpPort();
  const squatter = createSocket('udp4');
  await new Promise<void>((resolve) => squatter.bind(port, '127.0.0.1', () => resolve()));
  try {
    await app.getByRole('tab', { name: 'Settings' }).click();
    await app.locator('#set-port').fill(String(port));
    await app.getByRole('button', { name: 'Save settings' }).click();
    await check(port);
  } finally {
    squatter.close();
  }
}
