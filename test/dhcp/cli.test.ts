// `tftp-desk serve --dhcp ... --syslog` as a user runs it, in network namespaces this file makes
// (support/netns.ts): the CLI picks the interface whose subnet holds the range, busybox udhcpc gets
// a lease and the boot file's name, fetches that file over TFTP from the address it was given, and
// sends a syslog message there; the CLI tells each step (human lines and --json events) and the
// lease is on disk in --data-dir. Flags that cannot work are refused before anything listens.
// Skipped without root.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, makeTempRoot, randomData, removeTempDirs, sha256 } from '../helpers/files.js';
import { killGroup, runProcess } from '../helpers/run-process.js';
import { settle } from '../helpers/wait.js';
import { removeClientFiles, udhcpc } from './support/clients.js';
import { Lab, netnsUnavailable, SERVER_ADDRESS } from './support/netns.js';

const CLI = fileURLToPath(new URL('../../bin/tftp-desk.js', import.meta.url));
const unavailable = netnsUnavailable();

/** Waits for `check` to hold; fails saying what it waited for. */
async function soon(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  if (!(await settle(check, (ok) => ok, timeoutMs))) throw new Error(`${what}: not within ${timeoutMs} ms`);
}

/** The CLI in the lab's server namespace, its output collected line by line. */
class CliRun {
  readonly child: ChildProcess;
  out = '';
  err = '';
  exit: Promise<number | null>;

  constructor(exec: readonly string[], args: readonly string[]) {
    this.child = spawn(exec[0] as string, [...exec.slice(1), process.execPath, CLI, ...args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (d: Buffer) => (this.out += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.err += d.toString()));
    this.exit = new Promise((resolve) => this.child.once('close', (code) => resolve(code)));
  }

  jsonEvents(): Array<Record<string, unknown>> {
    return this.out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  }

  async stop(): Promise<number | null> {
    this.child.kill('SIGINT');
    const timer = setTimeout(() => killGroup(this.child.pid, 'SIGKILL'), 10_000);
    const code = await this.exit;
    clearTimeout(timer);
    return code;
  }
}

describe.skipIf(unavailable)('tftp-desk serve with boot services and syslog', () => {
  let lab: Lab;
  const runs: CliRun[] = [];
  const image = randomData(300_000);

  beforeAll(() => {
    lab = Lab.create();
  });
  // A test that failed half-way leaves its server running: stop it before the next one binds.
  afterEach(async () => {
    for (const r of runs.splice(0)) if (r.child.exitCode === null) await r.stop();
  });
  afterAll(() => {
    lab?.remove();
    removeClientFiles();
    removeTempDirs();
  });

  it('hands a device its address and boot file, serves the file, hears its syslog, and says so (--json)', async () => {
    const root = makeTempRoot({ 'boot/image.bin': image });
    const data = makeTempDir('tftp-desk-dhcp-data-');
    const run = new CliRun(lab.serverExec, [
      'serve',
      '--root',
      root.path,
      '--port',
      '69',
      '--dhcp',
      '10.77.1.100-10.77.1.109',
      '--boot-file',
      'boot/image.bin',
      '--syslog',
      '514',
      '--data-dir',
      data.path,
      '--json',
    ]);
    runs.push(run);
    await soon(
      () =>
        run
          .jsonEvents()
          .some((e) => e.type === 'dhcp-state' && (e.state as { status: string }).status === 'running'),
      15_000,
      `DHCP running (stderr: ${run.err})`,
    );

    const device = lab.host('dev');
    const lease = await udhcpc(device);
    expect(lease.bound?.ip).toMatch(/^10\.77\.1\.10\d$/);
    expect(lease.bound?.siaddr).toBe(SERVER_ADDRESS.lan);
    expect(lease.bound?.boot_file).toBe('boot/image.bin');
    // --syslog on 514 beside --dhcp: option 7 (log server) names us, and the device logs where it says
    // (this busybox prints option 7 by number, in hex)
    const opt7 =
      lease.bound?.logsrv ?? (lease.bound?.opt7?.match(/../g) ?? []).map((h) => parseInt(h, 16)).join('.');
    expect(opt7).toBe(SERVER_ADDRESS.lan);

    // The device as its bootloader would: the address it got, then the file it was told to fetch.
    const ip = lease.bound?.ip as string;
    const dir = makeTempDir('tftp-desk-dev-');
    const exec = device.exec;
    await runProcess(exec[0] as string, [...exec.slice(1), 'ip', 'addr', 'add', `${ip}/24`, 'dev', 'eth0']);
    const get = await runProcess(exec[0] as string, [
      ...exec.slice(1),
      'busybox',
      'tftp',
      '-g',
      '-r',
      'boot/image.bin',
      '-l',
      dir.file('image.bin'),
      SERVER_ADDRESS.lan,
    ]);
    expect(get.code, get.stderr).toBe(0);
    expect(sha256(dir.read('image.bin'))).toBe(sha256(image));
    const log = await runProcess(exec[0] as string, [
      ...exec.slice(1),
      'logger',
      '--udp',
      '--server',
      opt7,
      '--port',
      '514',
      '--rfc5424',
      '-t',
      'uboot',
      'flash written, rebooting',
    ]);
    expect(log.code, log.stderr).toBe(0);
    await soon(() => run.jsonEvents().some((e) => e.type === 'syslog-messages'), 5000, 'the syslog message');
    await soon(() => run.jsonEvents().some((e) => e.type === 'session-finished'), 5000, 'the transfer event');

    const events = run.jsonEvents();
    const acked = events.find(
      (e) => e.type === 'dhcp-decision' && (e.decision as { outcome: string }).outcome === 'acked',
    )?.decision as { mac: string; address: string; bootFile: string } | undefined;
    expect(acked).toMatchObject({ mac: device.mac, address: ip, bootFile: 'boot/image.bin' });
    const started = events.find((e) => e.type === 'session-started') as { peer: string; file: string };
    expect(started.peer.startsWith(`${ip}:`)).toBe(true);
    const finished = events.find((e) => e.type === 'session-finished') as { stats: { sha256: string } };
    expect(finished.stats.sha256).toBe(sha256(image));
    const messages = events.find((e) => e.type === 'syslog-messages') as {
      messages: Array<{ peer: { address: string }; appName: string; message: string }>;
    };
    expect(messages.messages[0]).toMatchObject({
      peer: { address: ip },
      appName: 'uboot',
      message: 'flash written, rebooting',
    });

    expect(await run.stop()).toBe(0);
    const leaseFile = JSON.parse(readFileSync(data.file('dhcp-leases.json'), 'utf8')) as unknown;
    expect(JSON.stringify(leaseFile)).toContain(device.mac);
  }, 60_000);

  it('prints a human line for the start and for every decision', async () => {
    const root = makeTempRoot({ 'pxelinux.0': 'x' });
    const data = makeTempDir('tftp-desk-dhcp-data-');
    const run = new CliRun(lab.serverExec, [
      'serve',
      '--root',
      root.path,
      '--port',
      '69',
      '--dhcp',
      '10.77.1.120-10.77.1.121',
      '--boot-file',
      'pxelinux.0',
      '--data-dir',
      data.path,
    ]);
    runs.push(run);
    await soon(
      () => run.out.includes('dhcp: Handing out 10.77.1.120 - 10.77.1.121 on 10.77.1.1/24'),
      15_000,
      `the running line (stdout: ${run.out}, stderr: ${run.err})`,
    );
    expect(run.out).toContain('dhcp: Checking for another DHCP server');
    const device = lab.host('hum');
    const lease = await udhcpc(device);
    expect(lease.bound?.ip).toMatch(/^10\.77\.1\.12[01]$/);
    await soon(() => run.out.includes(`dhcp REQUEST ${device.mac}`), 5000, 'the REQUEST line');
    expect(run.out).toMatch(
      new RegExp(`dhcp DISCOVER ${device.mac}.* -> offered 10\\.77\\.1\\.12[01] boot pxelinux\\.0: `),
    );
    expect(run.out).toMatch(
      new RegExp(`dhcp REQUEST ${device.mac}.* -> acked ${lease.bound?.ip?.replace(/\./g, '\\.')}`),
    );
    expect(await run.stop()).toBe(0);
  }, 60_000);

  it('refuses flags that cannot work before anything listens', async () => {
    const root = makeTempRoot({ f: 'x' });
    const cases: Array<[string[], RegExp]> = [
      [
        ['--dhcp', '10.99.0.10-10.99.0.20'],
        /No interface of this machine is on the subnet of 10\.99\.0\.10-10\.99\.0\.20/,
      ],
      [['--dhcp', '10.77.1.1-10.77.1.20'], /10\.77\.1\.1/],
      [['--dhcp-proxy', '--dhcp-interface', '10.77.1.1'], /give at least --boot-file/],
      [['--boot-file', 'x'], /--boot-file need --dhcp RANGE/],
      [
        ['--dhcp', '10.77.1.100-10.77.1.110', '--host', '127.0.0.1,10.77.2.1'],
        /TFTP listens only on 127\.0\.0\.1, 10\.77\.2\.1/,
      ],
      [
        ['--dhcp', '10.77.1.100-10.77.1.110', '--dhcp-reserve', 'zz=10.77.1.5'],
        /--dhcp-reserve must look like MAC=IP/,
      ],
    ];
    for (const [flags, message] of cases) {
      const r = await runProcess(lab.serverExec[0] as string, [
        ...lab.serverExec.slice(1),
        process.execPath,
        CLI,
        'serve',
        '--root',
        root.path,
        '--port',
        '69',
        ...flags,
      ]);
      expect(r.code, flags.join(' ')).toBe(2);
      expect(r.stderr, flags.join(' ')).toMatch(message);
    }
    expect(existsSync(root.file('dhcp-leases.json'))).toBe(false);
  }, 60_000);
});
