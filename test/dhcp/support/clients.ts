// Real DHCP clients and a real rival server inside a lab host's namespace, every one with a
// deadline: busybox udhcpc, ISC dhclient, dnsmasq, and the raw UDP probe (udp-probe.ts). The
// clients' scripts only record what they are told (udhcpc's environment, dhclient's reason and
// new_* variables); the dhclient script also puts the address on the interface, which a renewal
// (unicast from that address) needs.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killGroup, runProcess, type ProcessResult } from '../../helpers/run-process.js';
import { supportBundles } from './bundle.js';
import { parseMessage, type ParsedMessage } from './dhcp-wire.js';
import type { Host } from './netns.js';
import type { ProbeConfig, ProbeLine, ProbeStep } from './udp-probe.js';

const scratch: string[] = [];

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tftp-desk-dhcp-client-'));
  scratch.push(dir);
  return dir;
}

/** Removes the clients' scripts and records (afterAll). */
export function removeClientFiles(): void {
  for (const dir of scratch.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** One call of a client's script: the event (udhcpc) or reason (dhclient) and its variables. */
export interface ScriptCall {
  event: string;
  env: Record<string, string>;
}

function readCalls(file: string): ScriptCall[] {
  if (!existsSync(file)) return [];
  const calls: ScriptCall[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (line.startsWith('@@event=')) calls.push({ event: line.slice(8), env: {} });
    else {
      const eq = line.indexOf('=');
      const last = calls[calls.length - 1];
      if (last && eq > 0) last.env[line.slice(0, eq)] = line.slice(eq + 1);
    }
  }
  return calls;
}

export interface UdhcpcResult {
  result: ProcessResult;
  calls: ScriptCall[];
  /** the variables of the 'bound' call, when it got a lease */
  bound?: Record<string, string>;
}

/**
 * `busybox udhcpc` once on the host's eth0: exits after a lease (-q) or when none came (-n).
 * `extra`: more flags, e.g. ['-x', '0x5d:0007'] (client architecture 7, x64 UEFI).
 */
export async function udhcpc(host: Host, extra: readonly string[] = [], tries = 3): Promise<UdhcpcResult> {
  const dir = scratchDir();
  const record = join(dir, 'calls');
  const script = join(dir, 'script.sh');
  writeFileSync(script, `#!/bin/sh\n{ echo "@@event=$1"; env; } >> '${record}'\n`);
  chmodSync(script, 0o755);
  const args = [
    'env',
    '-i',
    'PATH=/usr/sbin:/usr/bin:/sbin:/bin',
    'busybox',
    'udhcpc',
    '-f',
    '-q',
    '-n',
    '-i',
    'eth0',
    '-s',
    script,
    '-t',
    String(tries),
    '-T',
    '1',
    ...extra,
  ];
  const result = await runProcess(host.exec[0] as string, [...host.exec.slice(1), ...args], {
    timeoutMs: 5000 + tries * 4000,
  });
  const calls = readCalls(record);
  const bound = calls.find((c) => c.event === 'bound')?.env;
  return { result, calls, ...(bound ? { bound } : {}) };
}

export interface Dhclient {
  readonly calls: () => ScriptCall[];
  /** waits for a script call with this reason (after `after` calls); throws after timeoutMs */
  waitFor(reason: string, timeoutMs: number, after?: number): Promise<ScriptCall>;
  /** sends DHCPRELEASE (`dhclient -r`), which also ends the running dhclient */
  release(): Promise<ProcessResult>;
  /** ends it without a release */
  kill(): Promise<void>;
  output(): string;
}

/** ISC dhclient in the foreground on the host's eth0 (`-d`), with its own lease and pid files. */
export function dhclient(host: Host): Dhclient {
  const dir = scratchDir();
  const record = join(dir, 'calls');
  const script = join(dir, 'script.sh');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `{ echo "@@event=$reason"; env; } >> '${record}'`,
      'case "$reason" in',
      '  PREINIT) ip link set dev "$interface" up ;;',
      '  BOUND|RENEW|REBIND|REBOOT) ip addr replace "$new_ip_address/$new_subnet_mask" dev "$interface" ;;',
      '  EXPIRE|FAIL|RELEASE|STOP) ip addr flush dev "$interface" ;;',
      'esac',
      'exit 0',
      '',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  const files = [
    '-sf',
    script,
    '-lf',
    join(dir, 'leases'),
    '-pf',
    join(dir, 'pid'),
    '-cf',
    join(dir, 'conf'),
  ];
  writeFileSync(join(dir, 'conf'), '');
  let output = '';
  const child: ChildProcess = spawn(
    host.exec[0] as string,
    [...host.exec.slice(1), 'dhclient', '-4', '-d', '-v', ...files, 'eth0'],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const calls = () => readCalls(record);
  return {
    calls,
    output: () => output,
    async waitFor(reason, timeoutMs, after = 0) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const found = calls()
          .slice(after)
          .find((c) => c.event === reason);
        if (found) return found;
        if (Date.now() > end) throw new Error(`dhclient: no ${reason} within ${timeoutMs} ms:\n${output}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    async release() {
      const r = await runProcess(
        host.exec[0] as string,
        [...host.exec.slice(1), 'dhclient', '-4', '-r', '-v', ...files, 'eth0'],
        {
          timeoutMs: 20_000,
        },
      );
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
      return r;
    },
    async kill() {
      killGroup(child.pid, 'SIGKILL');
      await exited;
    },
  };
}

export interface Dnsmasq {
  readonly output: () => string;
  stop(): Promise<void>;
}

/**
 * dnsmasq as a DHCP server (no DNS) on eth0 of the namespace `exec` runs in; that interface needs a
 * static address. `wildcard`: listen on 0.0.0.0:67 without SO_REUSEADDR (its default without
 * --bind-interfaces), so no other program can bind port 67 beside it.
 */
export async function dnsmasq(exec: readonly string[], range: string, wildcard = false): Promise<Dnsmasq> {
  const dir = scratchDir();
  const args = [
    'dnsmasq',
    '--no-daemon',
    '--conf-file=/dev/null',
    '--port=0',
    '--interface=eth0',
    ...(wildcard ? [] : ['--bind-interfaces']),
    `--dhcp-range=${range}`,
    `--dhcp-leasefile=${join(dir, 'leases')}`,
    `--pid-file=${join(dir, 'pid')}`,
    '--no-ping',
    '--log-dhcp',
    '--user=root',
  ];
  let output = '';
  const child = spawn(exec[0] as string, [...exec.slice(1), ...args], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = Date.now() + 10_000;
  while (!/DHCP, IP range/.test(output)) {
    if (Date.now() > end || child.exitCode !== null) throw new Error(`dnsmasq did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    output: () => output,
    async stop() {
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export interface ProbeReply {
  from: string;
  port: number;
  bytes: Buffer;
  message: ParsedMessage;
}

export interface ProbeResult {
  replies: ProbeReply[];
  /** every reply, also those not printed */
  count: number;
  sent: number;
  errors: string[];
  result: ProcessResult;
}

/**
 * A path for one probe to mark "listening" (its `readyFile`) and another to wait for
 * (`awaitFile`), so a sender never sends before a listener in another namespace has bound.
 */
export function listeningMark(): string {
  return join(scratchDir(), 'listening');
}

/** Runs the raw UDP probe in the host's namespace. */
export async function probe(
  host: Host,
  bind: { address: string; port: number },
  steps: ProbeStep[],
  listenMs: number,
  maxReplies = 100,
  readyFile?: string,
): Promise<ProbeResult> {
  const { probe: script } = await supportBundles();
  const config: ProbeConfig = { bind, steps, listenMs, maxReplies, ...(readyFile ? { readyFile } : {}) };
  const file = join(scratchDir(), 'probe.json');
  writeFileSync(file, JSON.stringify(config));
  const result = await runProcess(
    host.exec[0] as string,
    [...host.exec.slice(1), process.execPath, script, file],
    { timeoutMs: listenMs + 60_000 },
  );
  const replies: ProbeReply[] = [];
  const errors: string[] = [];
  let count = 0;
  let sent = 0;
  for (const text of result.stdout.split('\n')) {
    if (!text.trim()) continue;
    const line = JSON.parse(text) as ProbeLine;
    if (line.t === 'reply') {
      const bytes = Buffer.from(line.hex, 'hex');
      let message: ParsedMessage;
      try {
        message = parseMessage(bytes);
      } catch (err) {
        errors.push(`unreadable reply from ${line.from}: ${(err as Error).message}`);
        continue;
      }
      replies.push({ from: line.from, port: line.port, bytes, message });
    } else if (line.t === 'sent') sent += line.n;
    else if (line.t === 'error') errors.push(line.message);
    else count = line.replies;
  }
  return { replies, count, sent, errors, result };
}
