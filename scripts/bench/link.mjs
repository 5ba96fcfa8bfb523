// The link run: servers and clients on the two ends of a rate-limited link instead of loopback. Two
// network namespaces made for this run (servers in one, clients in the other) joined by a veth pair,
// with a tbf qdisc on the egress of both ends (data server -> client, ACKs client -> server) at
// 100 Mbit/s and then 1 Gbit/s. Loopback skips the qdisc layer in practice, hence the veth. It prints
// MB/s and the share of the line rate each server reaches per client, checks that tbf did limit the
// link (no run faster than the line, all payload seen by the qdisc) and prints the qdiscs' drops.
// Both namespaces (and with them the veth pair) are deleted afterwards, also after an error or Ctrl-C.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { MiB, makeDataFile, verify } from './files.mjs';
import { createNamespace, namespaceUnavailable, sh, startAvailable } from './netns.mjs';
import { CpuMeter } from './proc-stats.mjs';
import { runClient, stopGroup } from './processes.mjs';
import { median } from './report.mjs';

const SERVERS = ['tftp-desk', 'tftpd-hpa', 'atftpd'];
// Addresses inside this run's own namespaces: nothing else can see them.
const SERVER_HOST = '10.213.13.1';
const CLIENT_HOST = '10.213.13.2';
const BLKSIZE = 1468;
// Bytes on the link per DATA block beyond its payload, as tbf counts them (skb length on a veth
// includes the Ethernet header): TFTP opcode + block number, UDP, IPv4, Ethernet. blksize 1468 is the
// largest whose datagram fits the veth's MTU of 1500.
const HEADER_BYTES = 4 + 8 + 20 + 14;
export const BEST_SHARE = BLKSIZE / (BLKSIZE + HEADER_BYTES);

/**
 * Line rates with the file size that takes a few seconds at each, and tbf's bucket (about 1 ms at the
 * rate, at least 10 full frames) and queue (`latency`: the most a packet may wait before tbf drops it).
 */
export function linkRates(quick) {
  return [
    { label: '100 Mbit/s', tc: '100mbit', bitsPerS: 100e6, size: (quick ? 4 : 32) * MiB, burst: '16kb' },
    { label: '1 Gbit/s', tc: '1gbit', bitsPerS: 1e9, size: (quick ? 8 : 64) * MiB, burst: '128kb' },
  ].map((rate) => ({ ...rate, latency: '20ms' }));
}

// curl is lock-step; atftp asks for windowsize 8, which tftpd-hpa does not grant (it would answer
// lock-step, a different measurement), so that cell says "not granted" as in the windowed run.
const CLIENTS = [
  {
    label: `curl ${BLKSIZE}`,
    cmd: 'curl',
    args: (t) => [
      'curl',
      '-sS',
      '--tftp-blksize',
      String(BLKSIZE),
      '-o',
      t.out,
      `tftp://${SERVER_HOST}:${t.port}/${t.name}`,
    ],
  },
  {
    label: `atftp ${BLKSIZE} w8`,
    cmd: 'atftp',
    notGrantedBy: ['tftpd-hpa'],
    args: (t) => [
      'atftp',
      ...['--option', `blksize ${BLKSIZE}`, '--option', 'windowsize 8'],
      ...['-g', '-r', t.name, '-l', t.out, SERVER_HOST, String(t.port)],
    ],
  },
];

/** Why the link run cannot run here, or undefined. */
export function linkUnavailable() {
  return namespaceUnavailable(['ip', 'tc']);
}

/** A command line of words without spaces, as sh() takes it. */
function words(line) {
  return line.split(' ');
}

function inside(ns, line) {
  return sh([...ns.exec, ...words(line)]);
}

/** Two namespaces (tdlink-<hex>-srv, tdlink-<hex>-cli) joined by a veth pair made directly inside them. */
function createLink() {
  const server = createNamespace('tdlink', { suffix: '-srv' });
  const tag = server.name.slice('tdlink-'.length, -'-srv'.length);
  let client;
  try {
    client = createNamespace('tdlink', { tag, suffix: '-cli' });
    const ends = [
      { ns: server, dev: `tdl${tag}s`, address: `${SERVER_HOST}/24` },
      { ns: client, dev: `tdl${tag}c`, address: `${CLIENT_HOST}/24` },
    ];
    const [near, far] = ends;
    sh(
      words(
        `ip link add name ${near.dev} netns ${server.name} type veth peer name ${far.dev} netns ${client.name}`,
      ),
    );
    for (const end of ends) {
      inside(end.ns, 'ip link set lo up');
      inside(end.ns, `ip addr add ${end.address} dev ${end.dev}`);
      inside(end.ns, `ip link set ${end.dev} up`);
    }
    return {
      server,
      client,
      ends,
      remove: () => {
        server.remove();
        client.remove();
      },
    };
  } catch (error) {
    server.remove();
    client?.remove();
    throw error;
  }
}

/** tbf on both ends at this rate; deleting and adding (not replacing) starts the counters at zero. */
function limit(link, rate) {
  for (const end of link.ends) {
    try {
      inside(end.ns, `tc qdisc del dev ${end.dev} root`);
    } catch {
      // No qdisc of ours there yet.
    }
    inside(
      end.ns,
      `tc qdisc add dev ${end.dev} root tbf rate ${rate.tc} burst ${rate.burst} latency ${rate.latency}`,
    );
  }
}

/** Counters of the tbf qdisc on each end: `tc -s qdisc show` parsed, with the text for the log. */
function qdiscStats(link) {
  return link.ends.map((end) => {
    const text = inside(end.ns, `tc -s qdisc show dev ${end.dev}`).trim();
    const m = /Sent (\d+) bytes (\d+) pkt \(dropped (\d+), overlimits (\d+)/.exec(text);
    const [sentBytes, packets, dropped, overlimits] = m ? m.slice(1).map(Number) : [NaN, NaN, NaN, NaN];
    const side = end.ns === link.server ? 'server' : 'client';
    return { dev: end.dev, side, sentBytes, packets, dropped, overlimits, text };
  });
}

let sequence = 0;

/** One download in the client namespace; a failure is an error, no completion in time, or wrong bytes. */
async function oneRun(server, client, source, link, env, { timeoutMs, cpus }) {
  const out = join(env.outDir, `link-${server.id}-${++sequence}.bin`);
  const [cmd, ...args] = client.args({ port: server.port, name: source.name, out });
  // `ip netns exec` and taskset exec the server in place: the child's pid is the server's.
  const meter = new CpuMeter(server.child.pid);
  const r = await runClient(link.client.exec[0], [...link.client.exec.slice(1), cmd, ...args], {
    cpus,
    timeoutMs,
    countPattern: undefined,
    serverGone: server.child.exited,
  });
  const cpuMs = await meter.stop();
  try {
    const run = { ok: false, wallMs: r.wallMs };
    if (r.timedOut) return { ...run, why: 'no completion within the limit' };
    if (r.code !== 0) return { ...run, why: `exit ${r.code}: ${r.stderr.split('\n').slice(-1)[0]}` };
    const check = await verify(out, source);
    if (!check.ok) return { ...run, why: check.reason };
    const mb = source.size / 1e6;
    return { ok: true, wallMs: r.wallMs, mbps: mb / (r.wallMs / 1000), cpuMsPerMB: cpuMs / mb };
  } finally {
    rmSync(out, { force: true });
  }
}

/** Share of the line rate that the payload took: MB/s * 8 / rate. */
function share(mbps, rate) {
  return (mbps * 1e6 * 8) / rate.bitsPerS;
}

function cell(runs, rate, notGranted) {
  if (notGranted) return 'not granted';
  if (runs.length === 0) return '';
  const mbps = median(runs.filter((r) => r.ok).map((r) => r.mbps));
  const failed = runs.filter((r) => !r.ok).length;
  const fails = failed ? `, ${failed}/${runs.length} fail` : '';
  if (mbps === null) return `fail (${runs.length}/${runs.length})`;
  const cpu = median(runs.filter((r) => r.ok).map((r) => r.cpuMsPerMB));
  return `${mbps.toFixed(2)} MB/s (${(share(mbps, rate) * 100).toFixed(1)} %), ${cpu.toFixed(1)} ms/MB${fails}`;
}

/**
 * tbf limits if no run beat the line rate and the server's qdisc sent at least the payload of every
 * run that completed (so the transfers went through it, not around it).
 */
function tbfCheck(rate, runs, stats) {
  const lineMBps = rate.bitsPerS / 8 / 1e6;
  const ok = runs.filter((r) => r.ok);
  const fastest = ok.length ? Math.max(...ok.map((r) => r.mbps)) : 0;
  const payload = ok.length * rate.size;
  const sent = stats.find((s) => s.side === 'server')?.sentBytes ?? 0;
  const limits = fastest < lineMBps && sent >= payload;
  const drops = stats
    .map((s) => `${s.side} ${s.dev}: ${s.dropped} dropped, ${s.overlimits} overlimits`)
    .join('; ');
  // Overlimits count the times tbf held a packet back: none means the line never was the bottleneck.
  const heldBack = stats.find((s) => s.side === 'server')?.overlimits
    ? ''
    : ' (tbf never held a DATA packet back: these runs are bound by CPU and latency, not the line)';
  return {
    limits,
    text:
      `tbf ${limits ? 'limits' : 'DOES NOT LIMIT'}: fastest run ${fastest.toFixed(2)} MB/s of ${lineMBps} MB/s line rate, ` +
      `server qdisc sent ${(sent / 1e6).toFixed(1)} MB for ${(payload / 1e6).toFixed(1)} MB of payload; ${drops}${heldBack}`,
  };
}

/**
 * Runs the link table: env as in bench.mjs (root, outDir, logDir, definitions, selected, repeat).
 * Each rate measures client by client, the servers interleaved (A B C A B C ...).
 */
export async function runLink(env, log, { timeoutS = 60, quick = false, absentClients = [], cpus = 2 } = {}) {
  const rates = linkRates(quick);
  // Each end on its own CPU, as on two hosts. Unpinned, lock-step at 1 Gbit/s swings 3x between the
  // scheduler putting both ends on one CPU or on two (every block is a wake-up on the other end).
  const pin =
    cpus > 1
      ? { server: '0', client: '1', label: 'server CPU 0, client CPU 1' }
      : { server: '0', client: '0', label: 'one CPU only' };
  const clients = CLIENTS.filter((c) => !absentClients.includes(c.cmd));
  const defs = env.definitions.filter((d) => SERVERS.includes(d.id) && env.selected.includes(d.id));
  log(
    `\nLink: veth between two namespaces, tbf on both egresses, blksize ${BLKSIZE}, ${pin.label}, limit ${timeoutS} s per run`,
  );
  for (const c of CLIENTS.filter((c) => absentClients.includes(c.cmd)))
    log(`  skip ${c.label}: ${c.cmd} is not installed`);
  const results = [];
  const checks = [];
  const link = createLink();
  const servers = [];
  const sources = [];
  try {
    servers.push(
      ...(await startAvailable(
        defs,
        link.server,
        { host: SERVER_HOST, root: env.root, logDir: env.logDir, logName: (id) => `link-${id}.log` },
        log,
      )),
    );
    for (const rate of rates) {
      const source = makeDataFile(env.root, `link-${rate.size}.bin`, rate.size);
      sources.push(source);
      limit(link, rate);
      log(
        `  ${rate.label}: tbf rate ${rate.tc} burst ${rate.burst} latency ${rate.latency}, ${rate.size / MiB} MiB`,
      );
      const all = [];
      for (const client of clients) {
        const byServer = Object.fromEntries(servers.map((s) => [s.id, []]));
        const granting = servers.filter((s) => !client.notGrantedBy?.includes(s.id));
        for (let repeat = 1; repeat <= env.repeat; repeat++) {
          for (const server of granting) {
            const r = await oneRun(server, client, source, link, env, {
              timeoutMs: timeoutS * 1000,
              cpus: pin.client,
            });
            byServer[server.id].push(r);
            all.push(r);
            const how = r.ok
              ? `${r.mbps.toFixed(2)} MB/s (${(share(r.mbps, rate) * 100).toFixed(1)} %, ${(r.wallMs / 1000).toFixed(2)} s, server CPU ${r.cpuMsPerMB.toFixed(1)} ms/MB)`
              : `FAILED (${r.why})`;
            log(`  ${rate.label} ${client.label} #${repeat} ${server.id}: ${how}`);
          }
        }
        results.push({ rate, client, byServer });
      }
      const stats = qdiscStats(link);
      for (const s of stats)
        log(`  tc -s qdisc show dev ${s.dev} (${s.side}):\n    ${s.text.split('\n').join('\n    ')}`);
      const check = tbfCheck(rate, all, stats);
      checks.push({ rate: rate.label, ...check, stats });
      log(`  ${check.text}`);
    }
  } finally {
    await Promise.all(servers.map((s) => stopGroup(s.child, 1000)));
    link.remove();
    for (const source of sources) rmSync(source.path, { force: true });
  }
  const ids = defs.map((d) => d.id);
  return {
    pinning: pin.label,
    table: formatLink(results, checks, ids, env.repeat, pin),
    records: results.map(({ rate, client, byServer }) => ({
      rate: rate.label,
      size: rate.size,
      client: client.label,
      runs: byServer,
    })),
    checks: checks.map(({ rate, limits, text, stats }) => ({ rate, limits, text, stats })),
  };
}

function formatLink(results, checks, ids, repeat, pin) {
  const lines = [
    `\nLink speed, blksize ${BLKSIZE}, ${pin.label}: MB/s (median of ${repeat}) and share of the line rate (payload MB/s * 8 / rate)`,
    'server CPU ms/MB: utime+stime of the server and its children over the transfer (lower is better)',
    `best reachable share: ${BLKSIZE}/(${BLKSIZE}+${HEADER_BYTES}) = ${(BEST_SHARE * 100).toFixed(1)} % ` +
      `(TFTP 4 + UDP 8 + IPv4 20 + Ethernet 14 header bytes per block)`,
    `| rate | client | ${ids.join(' | ')} |`,
    `|---|---|${ids.map(() => '---|').join('')}`,
  ];
  for (const { rate, client, byServer } of results) {
    const cells = ids.map((id) =>
      byServer[id] === undefined ? 'not run' : cell(byServer[id], rate, client.notGrantedBy?.includes(id)),
    );
    lines.push(`| ${rate.label}, ${rate.size / MiB} MiB | ${client.label} | ${cells.join(' | ')} |`);
  }
  for (const check of checks) lines.push(`${check.rate}: ${check.text}`);
  return lines.join('\n');
}
