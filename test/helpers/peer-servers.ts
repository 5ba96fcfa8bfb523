// Other TFTP servers on loopback, for the client's interop tests: tftpd-hpa (in.tftpd, from apt),
// atftpd (on the PATH, or unpacked by scripts/setup-bench-peers.sh into .bench/peers, because
// Debian's atftpd package replaces tftpd-hpa) and busybox tftpd (under busybox udpsvd, when this
// busybox has both applets; Debian's does not). Each runs in the foreground in its own process
// group, so stop() also ends the children tftpd-hpa forks per transfer.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { RawClient } from './raw-client.js';
import { REPO_ROOT } from './cli-process.js';
import { freeUdpPort } from './ports.js';
import { isInstalled, killGroup } from './run-process.js';
import { request } from './tftp-wire.js';

export type PeerName = 'tftpd-hpa' | 'atftpd' | 'busybox';

export interface PeerServer {
  readonly name: PeerName;
  readonly port: number;
  readonly child: ChildProcess;
  /** SIGKILL to the whole group (the server and its transfer children), at once */
  kill(): void;
  stop(): Promise<void>;
}

const BENCH_ATFTPD = join(REPO_ROOT, '.bench/peers/atftpd/usr/sbin/atftpd');

function busyboxHas(applet: string): boolean {
  if (!isInstalled('busybox')) return false;
  const list = spawnSync('busybox', ['--list'], { encoding: 'utf8' });
  return list.stdout.split('\n').includes(applet);
}

/** The command to run a peer, or why it cannot run here (the test skips with that reason). */
export function peerCommand(name: PeerName): { bin: string } | { missing: string } {
  switch (name) {
    case 'tftpd-hpa':
      // atftpd's package also ships an in.tftpd: make sure this one is tftpd-hpa.
      if (!existsSync('/usr/sbin/in.tftpd'))
        return { missing: 'in.tftpd not installed (apt install tftpd-hpa)' };
      return /tftp-hpa/.test(spawnSync('/usr/sbin/in.tftpd', ['-V'], { encoding: 'utf8' }).stdout ?? '')
        ? { bin: '/usr/sbin/in.tftpd' }
        : { missing: '/usr/sbin/in.tftpd is not tftpd-hpa' };
    case 'atftpd':
      if (isInstalled('atftpd')) return { bin: 'atftpd' };
      if (existsSync(BENCH_ATFTPD)) return { bin: BENCH_ATFTPD };
      return { missing: 'atftpd not found (run scripts/setup-bench-peers.sh)' };
    case 'busybox':
      return busyboxHas('tftpd') && busyboxHas('udpsvd')
        ? { bin: 'busybox' }
        : { missing: 'this busybox has no tftpd and udpsvd applets' };
  }
}

function args(name: PeerName, root: string, port: number): string[] {
  switch (name) {
    case 'tftpd-hpa':
      return ['-L', '-s', '-c', '-B', '65464', '-a', `127.0.0.1:${port}`, root];
    case 'atftpd':
      return [
        '--daemon',
        '--no-fork',
        '--no-multicast',
        '--port',
        String(port),
        '--bind-address',
        '127.0.0.1',
        root,
      ];
    case 'busybox':
      return ['udpsvd', '-E', '127.0.0.1', String(port), 'busybox', 'tftpd', '-c', root];
  }
}

/** Polls with an RRQ for a name that does not exist until the server answers anything. */
async function untilAnswering(port: number, child: ChildProcess, timeoutMs = 5000): Promise<void> {
  const probe = await RawClient.open();
  try {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
      probe.send(request('rrq', 'no-such-file.probe', 'octet'), port);
      if ((await probe.maybeNext(150)) !== undefined) return;
    }
    throw new Error(`no answer on port ${port} within ${timeoutMs} ms`);
  } finally {
    await probe.close();
  }
}

/**
 * Starts a peer serving `root` on 127.0.0.1 (`port`, or a free one). The servers drop to nobody, so
 * the root is made world-writable (a test's own temp folder) and its files must be world-readable.
 */
export async function startPeer(name: PeerName, root: string, port?: number): Promise<PeerServer> {
  const command = peerCommand(name);
  if ('missing' in command) throw new Error(command.missing);
  chmodSync(root, 0o777);
  const p = port ?? (await freeUdpPort());
  const child = spawn(command.bin, args(name, root, p), { detached: true, stdio: 'ignore' });
  const kill = () => killGroup(child.pid, 'SIGKILL');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await untilAnswering(p, child);
  } catch (err) {
    kill();
    throw err;
  }
  return {
    name,
    port: p,
    child,
    kill,
    async stop() {
      kill();
      await exited;
    },
  };
}
