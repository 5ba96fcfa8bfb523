#!/usr/bin/env node
// `npm run bench`: TFTP Desk's server against tftpd-hpa and atftpd on loopback with real clients
// (curl, atftp, busybox), with the node:dgram floor (bench/node-floor-server.mjs) as a reference.
// Prints one table per run type with medians and ratios and writes .bench/last.json. Flags: see scripts/bench/args.mjs or `npm run bench -- --help`.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, release } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { USAGE, UsageError, parseArgs } from './bench/args.mjs';
import { missingClients } from './bench/clients.mjs';
import { makeOpenDir } from './bench/files.mjs';
import { linkUnavailable, runLink } from './bench/link.mjs';
import { lossUnavailable, runLoss } from './bench/loss.mjs';
import { removeNamespacesSync } from './bench/netns.mjs';
import { serverDefinitions } from './bench/peers.mjs';
import { killAllSync, stopAll } from './bench/processes.mjs';
import { formatPlan, ratios, summarise } from './bench/report.mjs';
import { runPlan } from './bench/runner.mjs';
import { runPlans } from './bench/runs.mjs';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(repoRoot, '.bench');
const log = (line) => console.log(line);

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`bench: ${error.message}\n\n${USAGE}`);
  process.exit(2);
}
if (opts.help) {
  console.log(USAGE);
  process.exit(0);
}
const needed = {
  taskset: true,
  curl: true,
  atftp: opts.only.includes('windowed') || opts.only.includes('link'),
  busybox: true,
};
const absent = missingClients(Object.keys(needed).filter((name) => needed[name]));
if (absent.includes('taskset') || absent.includes('busybox')) {
  console.error(`bench: ${absent.join(', ')} not found; run scripts/setup-bench-peers.sh`);
  process.exit(1);
}

// Scratch space for this run only; removed on every way out, including Ctrl-C.
const runDir = join(benchDir, `run-${process.pid}`);
const env = {
  root: makeOpenDir(join(runDir, 'root')),
  outDir: makeOpenDir(join(runDir, 'out')),
  logDir: join(benchDir, 'logs'),
  definitions: serverDefinitions(repoRoot),
  selected: opts.servers,
  repeat: opts.repeat,
  timeoutMs: opts.timeoutS * 1000,
};
rmSync(env.logDir, { recursive: true, force: true });
mkdirSync(env.logDir, { recursive: true });
process.on('exit', () => {
  killAllSync();
  removeNamespacesSync();
  rmSync(runDir, { recursive: true, force: true });
});
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\nbench: ${signal}, stopping servers and clients`);
    void stopAll().finally(() => process.exit(130));
  });
}

const cpus = availableParallelism();
const machine = {
  cpus,
  kernel: release(),
  node: process.version,
  rmemDefault: Number(readFileSync('/proc/sys/net/core/rmem_default', 'utf8')),
  loadavgAtStart: loadavg(),
};
log(
  `TFTP Desk bench: ${opts.quick ? 'quick, ' : ''}repeat ${opts.repeat}, timeout ${opts.timeoutS} s, ${cpus} CPUs, load ${machine.loadavgAtStart.map((l) => l.toFixed(2)).join(' ')}`,
);
const versions = {};
for (const def of env.definitions.filter((d) => opts.servers.includes(d.id))) {
  versions[def.id] = def.missing ? `skipped: ${def.missing}` : def.version();
  log(`  ${def.id}: ${versions[def.id]}`);
}

const results = [];
const tables = [];
for (const plan of runPlans({ quick: opts.quick, cpus }).filter((p) => opts.only.includes(p.type))) {
  if (plan.type === 'windowed' && absent.includes('atftp')) {
    log(`\nskip ${plan.type}: the atftp client is not installed (apt package atftp)`);
    continue;
  }
  const loadBefore = loadavg()[0];
  let outcome;
  try {
    outcome = await runPlan(plan, env, log);
  } catch (error) {
    // After Ctrl-C the signal handler owns the exit; anything else is a bench bug worth one line.
    if (interrupted) await new Promise(() => {});
    console.error(`bench: ${plan.type} aborted: ${error.message}`);
    process.exit(1);
  }
  const { records, ran } = outcome;
  const summary = summarise(plan, records);
  const order = env.definitions.map((d) => d.id).filter((id) => ran.includes(id));
  tables.push(formatPlan(plan, summary, order));
  log(tables.at(-1));
  results.push({
    type: plan.type,
    title: plan.title,
    pinning: plan.pin.label,
    load1: { before: loadBefore, after: loadavg()[0] },
    summary,
    ratios: ratios(plan, summary),
    records,
  });
}

if (opts.only.includes('loss')) {
  const why = lossUnavailable();
  if (why) log(`\nskip loss: ${why}`);
  else {
    const loss = await runLoss(env, log, { clients: opts.lossClients, rates: opts.lossRates });
    tables.push(loss.table);
    log(loss.table);
    results.push({ type: 'loss', title: 'Loss in a network namespace', records: loss.results });
  }
}

if (opts.only.includes('link')) {
  const why = linkUnavailable();
  if (why) log(`\nskip link: ${why}`);
  else {
    const loadBefore = loadavg();
    const link = await runLink(env, log, {
      timeoutS: opts.timeoutS,
      quick: opts.quick,
      absentClients: absent,
      cpus,
    });
    const loads = (l) => l.map((x) => x.toFixed(2)).join(' ');
    tables.push(`${link.table}\nload average ${loads(loadBefore)} before, ${loads(loadavg())} after`);
    log(tables.at(-1));
    results.push({
      type: 'link',
      title: 'Link speed: veth limited by tbf between two network namespaces',
      pinning: link.pinning,
      load: { before: loadBefore, after: loadavg() },
      records: link.records,
      checks: link.checks,
    });
  }
}

log(
  `\n===== Summary (MB/s = 10^6 bytes per wall second of one client process; medians of ${opts.repeat}) =====`,
);
for (const table of tables) log(table);
if (tables.length === 0) log('\nNothing ran: no server could be started (see messages above).');
const outFile = join(benchDir, 'last.json');
const summary = {
  finishedAt: new Date().toISOString(),
  argv: process.argv.slice(2),
  options: opts,
  machine: { ...machine, loadavgAtEnd: loadavg() },
  method: {
    mbps: '10^6 bytes / wall seconds of the client process (spawn to exit)',
    verification: 'sha256 of every received or uploaded file against its source',
    cpu: 'utime+stime of the server process (threads included) plus its forked children, polled every 10 ms while alive (tftpd-hpa children are auto-reaped, so parent cutime stays 0)',
    rss: 'VmRSS of the server and its children summed, sampled every 50 ms',
  },
  versions,
  runs: results,
};
writeFileSync(outFile, `${JSON.stringify(summary, null, 2)}\n`);
log(`\nJSON summary: ${outFile}`);
