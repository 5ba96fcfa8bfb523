// Network namespaces for the runs that need a network of their own (loss, link): creating them,
// starting a server inside one, and deleting every one of them afterwards, also after an error or
// Ctrl-C (bench.mjs calls removeNamespacesSync on exit). Each namespace name carries the run's prefix
// and random hex, so it collides neither with another run nor with another bench on this machine.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnTracked, stopGroup } from './processes.mjs';

/** Runs a setup command (ip, tc, nft) to completion; throws with its stderr when it fails. */
export function sh(args, input) {
  const r = spawnSync(args[0], args.slice(1), { input, timeout: 10_000 });
  if (r.status !== 0)
    throw new Error(`${args.join(' ')}: ${r.stderr?.toString().trim() || r.error?.message}`);
  return r.stdout.toString();
}

/** Why namespaces with these tools cannot be made here, or undefined. */
export function namespaceUnavailable(tools) {
  if (process.getuid?.() !== 0) return `needs root (ip netns, ${tools.filter((t) => t !== 'ip').join(', ')})`;
  for (const tool of tools) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed`;
    }
  }
  return undefined;
}

const namespaces = new Set();

/** Deletes every namespace the bench made that is still there (the bench's last words on exit). */
export function removeNamespacesSync() {
  for (const ns of namespaces) ns.remove();
}

/**
 * An empty namespace named `<prefix>-<random hex><suffix>`, or with `tag` given `<prefix>-<tag><suffix>`
 * (namespaces made together share a tag). `exec` prefixes a command line to run it inside.
 */
export function createNamespace(prefix, { tag = randomBytes(4).toString('hex'), suffix = '' } = {}) {
  const name = `${prefix}-${tag}${suffix}`;
  sh(['ip', 'netns', 'add', name]);
  const ns = {
    name,
    exec: ['ip', 'netns', 'exec', name],
    remove: () => {
      namespaces.delete(ns);
      spawnSync('ip', ['netns', 'del', name], { timeout: 10_000 });
    },
  };
  namespaces.add(ns);
  return ns;
}

/** The local-address column of /proc/net/udp for an IPv4 address and port ("0100007F:1F90"). */
function procNetAddress(host, port) {
  const bytes = host.split('.').map((part) => Number(part).toString(16).toUpperCase().padStart(2, '0'));
  return `${bytes.reverse().join('')}:${port.toString(16).toUpperCase().padStart(4, '0')} `;
}

function udpPortBound(pid, host, port) {
  // /proc/<pid>/net/udp shows the sockets of that process's namespace.
  try {
    return readFileSync(`/proc/${pid}/net/udp`, 'utf8').includes(procNetAddress(host, port));
  } catch {
    return false;
  }
}

/**
 * Starts a server definition (peers.mjs) inside `ns` on `host` and a random port (a fresh namespace
 * has every port free), its output appended to `logDir/<logName>`, pinned to `cpus` if given.
 * Resolves when it serves.
 */
export async function startInNamespace(def, ns, { host, root, logDir, logName, cpus }) {
  const port = 20_000 + Math.floor(Math.random() * 40_000);
  const logPath = join(logDir, logName);
  const logFrom = existsSync(logPath) ? statSync(logPath).size : 0;
  const fd = openSync(logPath, 'a');
  const [cmd, args] = def.command(port, root, host);
  const child = spawnTracked(ns.exec[0], [...ns.exec.slice(1), cmd, ...args], {
    cpus,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    const ready =
      def.ready === 'line'
        ? readFileSync(logPath, 'utf8').slice(logFrom).includes(`listening on ${host}:${port}`)
        : udpPortBound(child.pid, host, port);
    if (ready) return { id: def.id, child, port, root };
    await sleep(20);
  }
  await stopGroup(child, 500);
  throw new Error(`${def.id} did not start in the namespace (log: ${logPath})`);
}

/**
 * Starts every server that is installed inside `ns` (see startInNamespace), saying which were
 * skipped and why; `logName(id)` names each one's log file.
 */
export async function startAvailable(defs, ns, { logName, ...options }, log) {
  const servers = [];
  for (const def of defs) {
    if (def.missing) {
      log(`  skip ${def.id}: ${def.missing}`);
      continue;
    }
    try {
      servers.push(await startInNamespace(def, ns, { ...options, logName: logName(def.id) }));
    } catch (error) {
      log(`  skip ${def.id}: ${error.message}`);
    }
  }
  return servers;
}
