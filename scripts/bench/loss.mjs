// The loss run: every server and client inside a network namespace made for this run, whose
// loopback drops a share of UDP packets at random on input (nftables `numgen random`; each packet on
// loopback passes the input hook once, so DATA and ACKs both lose). Under loss the servers' timers
// decide the time, so this prints seconds to finish (or "fail") per run, not MB/s, and a verdict per
// client against the targets: every run within the limit, and no slower than the best C server.
// The namespace is deleted afterwards, also after an error or Ctrl-C.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { MiB, makeDataFile, verify, verifyEventually } from './files.mjs';
import { createNamespace, namespaceUnavailable, sh, startAvailable } from './netns.mjs';
import { runClient, stopGroup } from './processes.mjs';

const HOST = '127.0.0.1';
const SERVERS = ['tftp-desk', 'tftpd-hpa', 'atftpd'];
const C_SERVERS = ['tftpd-hpa', 'atftpd'];

/** Loss rates with their file size and target (seconds every run must stay within). */
export const LOSS_RATES = [
  { percent: 5, size: 1 * MiB, targetS: 10 },
  { percent: 1, size: 2 * MiB, targetS: 5 },
];

// Lock-step unless a window is named. atftp lock-step asks for no windowsize at all (how scripts
// fetch); busybox and tftp-hpa ask for nothing but what is shown.
const CLIENTS = [
  { label: 'curl get 512', cmd: 'curl', get: true, args: (t) => curl(t, 512, ['-o', t.out]) },
  { label: 'curl get 1468', cmd: 'curl', get: true, args: (t) => curl(t, 1468, ['-o', t.out]) },
  { label: 'atftp get 1468', cmd: 'atftp', get: true, args: (t) => atftp(t, ['blksize 1468'], '-g', t.out) },
  {
    label: 'atftp get 1468 w8',
    cmd: 'atftp',
    get: true,
    args: (t) => atftp(t, ['blksize 1468', 'windowsize 8'], '-g', t.out),
  },
  { label: 'busybox get 512', cmd: 'busybox', get: true, args: (t) => busybox(t, '-g', t.out) },
  {
    label: 'tftp-hpa get 512',
    cmd: 'tftp',
    get: true,
    args: (t) => ['-4', '-l', '-m', 'octet', HOST, String(t.port), '-c', 'get', t.name, t.out],
    // tftp-hpa 5.2 exits 0 after a failure; it says so on stdout/stderr instead.
    failed: /error|timed out/i,
  },
  { label: 'curl put 1468', cmd: 'curl', get: false, args: (t) => curl(t, 1468, ['-T', t.src]) },
  { label: 'atftp put 1468', cmd: 'atftp', get: false, args: (t) => atftp(t, ['blksize 1468'], '-p', t.src) },
  { label: 'busybox put 512', cmd: 'busybox', get: false, args: (t) => busybox(t, '-p', t.src) },
];

function curl(t, blksize, rest) {
  return ['-sS', '--tftp-blksize', String(blksize), ...rest, `tftp://${HOST}:${t.port}/${t.name}`];
}

function atftp(t, options, how, local) {
  return [...options.flatMap((o) => ['--option', o]), how, '-r', t.name, '-l', local, HOST, String(t.port)];
}

function busybox(t, how, local) {
  return ['tftp', '-b', '512', how, '-r', t.name, '-l', local, HOST, String(t.port)];
}

/** Why the loss run cannot run here, or undefined. */
export function lossUnavailable() {
  return namespaceUnavailable(['ip', 'nft']);
}

/** A namespace with its loopback up, 127.0.0.2 on it (tftpd-hpa wants a non-loopback address) and the drop rule. */
function createLossNamespace(percent) {
  const ns = createNamespace('tdloss');
  try {
    sh([...ns.exec, 'ip', 'link', 'set', 'lo', 'up']);
    sh([...ns.exec, 'ip', 'addr', 'add', '127.0.0.2/8', 'dev', 'lo']);
    const rules = [
      'table inet tdloss {',
      '  chain input {',
      '    type filter hook input priority 0; policy accept;',
      `    meta l4proto udp numgen random mod 100 < ${percent} drop`,
      '  }',
      '}',
    ].join('\n');
    sh([...ns.exec, 'nft', '-f', '-'], rules);
  } catch (error) {
    ns.remove();
    throw error;
  }
  return ns;
}

let sequence = 0;

async function oneRun(server, client, source, ns, env, timeoutMs) {
  const n = ++sequence;
  const name = client.get ? source.name : `up-${server.id}-${n}.bin`;
  const out = client.get ? join(env.outDir, `loss-${server.id}-${n}.bin`) : join(server.root, name);
  const args = client.args({ port: server.port, name, out, src: source.path });
  const r = await runClient(ns.exec[0], [...ns.exec.slice(1), client.cmd, ...args], {
    timeoutMs,
    countPattern: undefined,
    serverGone: server.child.exited,
  });
  try {
    if (r.timedOut) return { ok: false, wallMs: r.wallMs, why: 'no completion within the limit' };
    if (r.code !== 0 || client.failed?.test(r.stderr)) {
      return { ok: false, wallMs: r.wallMs, why: `exit ${r.code}: ${r.stderr.split('\n').slice(-1)[0]}` };
    }
    const check = client.get ? await verify(out, source) : await verifyEventually(out, source);
    return check.ok ? { ok: true, wallMs: r.wallMs } : { ok: false, wallMs: r.wallMs, why: check.reason };
  } finally {
    rmSync(out, { force: true });
  }
}

function cell(runs) {
  return runs.map((r) => (r.ok ? String(Math.round(r.wallMs)) : 'fail')).join(', ');
}

/** Worst run of a server (Infinity if any failed): what "every run within the target" is about. */
function worst(runs) {
  return runs.length === 0 ? undefined : Math.max(...runs.map((r) => (r.ok ? r.wallMs : Infinity)));
}

function median(runs) {
  const ms = runs.map((r) => (r.ok ? r.wallMs : Infinity)).sort((a, b) => a - b);
  if (ms.length === 0) return undefined;
  const mid = ms.length >> 1;
  return ms.length % 2 ? ms[mid] : (ms[mid - 1] + ms[mid]) / 2;
}

function verdict(byServer, targetS) {
  const ours = byServer['tftp-desk'];
  if (!ours?.length) return 'not run';
  const oursWorst = worst(ours);
  const within = oursWorst <= targetS * 1000;
  const peers = C_SERVERS.map((id) => median(byServer[id] ?? [])).filter((m) => m !== undefined);
  const best = peers.length ? Math.min(...peers) : undefined;
  const notSlower = best === undefined || median(ours) <= best;
  const parts = [within ? `every run within ${targetS} s` : `NOT every run within ${targetS} s`];
  if (best !== undefined)
    parts.push(notSlower ? 'no slower than the best C server' : 'SLOWER than a C server');
  return `${within && notSlower ? 'PASS' : 'MISS'}: ${parts.join(', ')}`;
}

/**
 * Runs the loss table: env as in bench.mjs (root, outDir, logDir, definitions, selected, repeat).
 * `clients` filters the client labels (substring match), `rates` the loss percentages.
 */
export async function runLoss(env, log, { timeoutS = 30, clients, rates } = {}) {
  const results = [];
  const picked = CLIENTS.filter((c) => !clients || clients.some((s) => c.label.includes(s)));
  const defs = env.definitions.filter((d) => SERVERS.includes(d.id) && env.selected.includes(d.id));
  for (const rate of LOSS_RATES.filter((r) => !rates || rates.includes(r.percent))) {
    log(
      `\nLoss: ${rate.percent} % of UDP dropped at random, ${rate.size / MiB} MiB, limit ${timeoutS} s per run (ms)`,
    );
    const source = makeDataFile(env.root, `loss-${rate.size}.bin`, rate.size);
    const ns = createLossNamespace(rate.percent);
    const servers = [];
    try {
      servers.push(
        ...(await startAvailable(
          defs,
          ns,
          { host: HOST, root: env.root, logDir: env.logDir, logName: (id) => `loss-${id}.log` },
          log,
        )),
      );
      for (const client of picked) {
        const byServer = Object.fromEntries(servers.map((s) => [s.id, []]));
        for (let repeat = 1; repeat <= env.repeat; repeat++) {
          for (const server of servers) {
            const r = await oneRun(server, client, source, ns, env, timeoutS * 1000);
            byServer[server.id].push(r);
            const how = r.ok ? `${Math.round(r.wallMs)} ms` : `FAILED (${r.why})`;
            log(`  ${rate.percent}% ${client.label} #${repeat} ${server.id}: ${how}`);
          }
        }
        results.push({ rate, client: client.label, byServer, verdict: verdict(byServer, rate.targetS) });
      }
    } finally {
      await Promise.all(servers.map((s) => stopGroup(s.child, 1000)));
      ns.remove();
      rmSync(source.path, { force: true });
    }
  }
  return {
    results,
    table: formatLoss(
      results,
      defs.map((d) => d.id),
    ),
  };
}

function formatLoss(results, ids) {
  const lines = [];
  for (const rate of LOSS_RATES) {
    const rows = results.filter((r) => r.rate === rate);
    if (rows.length === 0) continue;
    lines.push(`\nLoss ${rate.percent} %, ${rate.size / MiB} MiB (ms per run, or fail)`);
    lines.push(`| client | ${ids.join(' | ')} | verdict |`, `|---|${ids.map(() => '---|').join('')}---|`);
    for (const row of rows) {
      lines.push(
        `| ${row.client} | ${ids.map((id) => cell(row.byServer[id] ?? [])).join(' | ')} | ${row.verdict} |`,
      );
    }
  }
  return lines.join('\n');
}
