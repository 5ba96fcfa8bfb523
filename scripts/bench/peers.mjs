// The servers under comparison: how to find, start, detect readiness of and stop each one.
// Each gets a fresh random high port on 127.0.0.1 (`command` takes another address for the runs in a
// network namespace), its stdout/stderr go to .bench/logs/<id>.log
// (a file, not a pipe: a chatty server must never block on a full pipe or cost the bench CPU).
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freeUdpPort } from './files.mjs';
import { spawnTracked, stopGroup } from './processes.mjs';

const SETUP_HINT = 'run scripts/setup-bench-peers.sh';

function firstExisting(paths) {
  return paths.find((p) => existsSync(p));
}

function versionOf(file, args) {
  try {
    const out = execFileSync(file, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 5000,
    });
    return out.split('\n')[0].trim();
  } catch (error) {
    return (
      String(error.stdout || error.stderr || '')
        .split('\n')[0]
        .trim() || 'unknown'
    );
  }
}

/** Definitions in report order: ours first, then the node:dgram floor, then the peers. */
export function serverDefinitions(repoRoot) {
  const cli = join(repoRoot, 'dist-electron/electron/cli/cli.js');
  const atftpd = firstExisting([join(repoRoot, '.bench/peers/atftpd/usr/sbin/atftpd'), '/usr/sbin/atftpd']);
  const inTftpd = firstExisting(['/usr/sbin/in.tftpd', '/usr/bin/in.tftpd']);
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8'));
  return [
    {
      id: 'tftp-desk',
      missing: existsSync(cli) ? undefined : `engine not built (${cli} is missing); run npm run build:engine`,
      version: () => `tftp-desk ${pkg.version} (node ${process.version})`,
      ready: 'line',
      command: (port, root, host = '127.0.0.1') => [
        process.execPath,
        [
          join(repoRoot, 'bin/tftp-desk.js'),
          'serve',
          '--root',
          root,
          '--host',
          host,
          '--port',
          String(port),
        ].concat(['--uploads', 'overwrite', '--max-window', '64', '--max-blksize', '65464']),
      ],
    },
    {
      // Not a product: the least a node:dgram server can do per block, the ceiling for ours (see
      // node-floor-server.mjs and README.md). Lock-step: downloads (also windowed) and uploads.
      id: 'node-floor',
      missing: undefined,
      version: () => `node ${process.version} (scripts/bench/node-floor-server.mjs)`,
      ready: 'line',
      command: (port, root) => [
        process.execPath,
        [join(repoRoot, 'scripts/bench/node-floor-server.mjs'), '--root', root, '--port', String(port)],
      ],
    },
    {
      id: 'tftpd-hpa',
      missing: inTftpd ? undefined : `in.tftpd not found; ${SETUP_HINT} (installs apt package tftpd-hpa)`,
      version: () => versionOf(inTftpd, ['-V']),
      ready: 'port',
      command: (port, root, host = '127.0.0.1') => [
        inTftpd,
        ['-L', '-s', '-c', '-B', '65464', '-a', `${host}:${port}`, root],
      ],
    },
    {
      id: 'atftpd',
      missing: atftpd ? undefined : `atftpd not found in .bench/peers; ${SETUP_HINT}`,
      version: () => versionOf(atftpd, ['-V']),
      ready: 'port',
      command: (port, root, host = '127.0.0.1') => [
        atftpd,
        ['--daemon', '--no-fork', '--port', String(port), '--bind-address', host, '--no-multicast'].concat([
          '--maxthread',
          '300',
          root,
        ]),
      ],
    },
  ];
}

function udpPortBound(port) {
  const needle = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  return readFileSync('/proc/net/udp', 'utf8').includes(needle);
}

function logTail(path, from) {
  try {
    return readFileSync(path, 'utf8').slice(from).trim().split('\n').slice(-5).join(' | ');
  } catch {
    return '';
  }
}

async function waitReady(def, child, port, logPath, logFrom, timeoutMs) {
  const until = Date.now() + timeoutMs;
  const line = `listening on 127.0.0.1:${port}`;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
      const how =
        child.pid === undefined ? 'could not be started' : `exited (${child.exitCode ?? child.signalCode})`;
      return `${how}: ${logTail(logPath, logFrom) || 'no output'}`;
    }
    const ready = def.ready === 'line' ? logTail(logPath, logFrom).includes(line) : udpPortBound(port);
    if (ready) return undefined;
    await sleep(20);
  }
  return `not ready after ${timeoutMs / 1000} s: ${logTail(logPath, logFrom) || 'no output'}`;
}

/** Starts a server (pinned to `cpus` if given); retries on a fresh port; throws with a readable reason. */
export async function startServer(def, { root, cpus, logDir, extraArgs = [], readyTimeoutMs = 15000 }) {
  const logPath = join(logDir, `${def.id}.log`);
  let reason = '';
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freeUdpPort();
    const logFrom = existsSync(logPath) ? statSync(logPath).size : 0;
    const fd = openSync(logPath, 'a');
    const [cmd, args] = def.command(port, root);
    const child = spawnTracked(cmd, [...args, ...extraArgs], { cpus, stdio: ['ignore', fd, fd] });
    closeSync(fd);
    reason = (await waitReady(def, child, port, logPath, logFrom, readyTimeoutMs)) ?? '';
    if (!reason) {
      return {
        id: def.id,
        def,
        child,
        pid: child.pid,
        port,
        cpus,
        root,
        logDir,
        logPath,
        logFrom,
        extraArgs,
      };
    }
    await stopGroup(child, 500);
  }
  throw new Error(`${def.id} did not start: ${reason} (log: ${logPath})`);
}

export function isAlive(server) {
  return server.child.exitCode === null && server.child.signalCode === null;
}

const CRASH_SIGNALS = new Set(['SIGSEGV', 'SIGABRT', 'SIGBUS', 'SIGILL', 'SIGFPE', 'SIGTRAP', 'SIGSYS']);

/**
 * Why a server is no longer running, or undefined while it is. The bench never signals a server in
 * the middle of a measurement, so a signal means another process on this shared machine sent it
 * (a pattern kill, or a stale pid that the kernel handed to our server): `outside` marks that case.
 */
export function exitReason(server) {
  if (isAlive(server)) return undefined;
  const { exitCode, signalCode } = server.child;
  let output = '';
  try {
    output = readFileSync(server.logPath, 'utf8').slice(server.logFrom);
  } catch {
    // No log: nothing to add.
  }
  const tail = output.trim().split('\n').slice(-3).join(' | ');
  // A crash is a result; a clean exit or a stop signal mid-run was asked for by someone else.
  if (CRASH_SIGNALS.has(signalCode) || (exitCode !== null && exitCode !== 0)) {
    const how = signalCode ? `crashed (${signalCode})` : `exited with code ${exitCode}`;
    return { outside: false, text: `server ${how}${tail ? `: ${tail}` : ''}` };
  }
  const announced = /(SIG[A-Z]+): stopping/.exec(output)?.[1];
  const how = signalCode ?? announced ?? 'a clean exit (code 0)';
  return { outside: true, text: `server stopped by ${how}, not sent by the bench` };
}

export function stopServer(server) {
  return stopGroup(server.child);
}

/** A fresh process on a new port: after a stall, a wedged session must not bleed into the next run. */
export async function restartServer(server) {
  await stopServer(server);
  const { root, cpus, logDir, extraArgs } = server;
  return startServer(server.def, { root, cpus, logDir, extraArgs });
}
