// Runs one plan: starts its servers (pinned), warms each up with a small busybox download, then
// measures configuration by configuration, interleaving the servers (A B C A B C ...) so that drift
// in machine load spreads evenly over them. A server that failed a transfer is restarted before its
// next one, so one wedged session cannot poison the following measurements.
import { CLIENTS } from './clients.mjs';
import { MiB, makeDataFile } from './files.mjs';
import { exitReason, restartServer, startServer, stopServer } from './peers.mjs';
import { runClient } from './processes.mjs';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const dataCache = new Map();

/** Data files live in the served root; one per size, shared by all plans. */
export function dataFile(root, size) {
  if (!dataCache.has(size)) dataCache.set(size, makeDataFile(root, `data-${size}.bin`, size));
  return dataCache.get(size);
}

async function warmUp(server, env) {
  const source = dataFile(env.root, MiB);
  const out = join(env.outDir, `warm-${server.id}.bin`);
  const [cmd, args] = CLIENTS.busybox.get({ port: server.port, name: source.name, out, blksize: 1468 });
  const r = await runClient(cmd, args, { cpus: server.cpus, timeoutMs: 10000 });
  rmSync(out, { force: true });
  return r.code === 0
    ? undefined
    : `warm-up download failed (${r.timedOut ? 'timed out' : `exit ${r.code}`})`;
}

async function startAll(plan, env, log) {
  const servers = [];
  for (const def of env.definitions.filter(
    (d) => plan.servers.includes(d.id) && env.selected.includes(d.id),
  )) {
    if (def.missing) {
      log(`  skip ${def.id}: ${def.missing}`);
      continue;
    }
    try {
      const extraArgs = plan.serverArgs?.[def.id] ?? [];
      const server = await startServer(def, {
        root: env.root,
        cpus: plan.pin.server,
        logDir: env.logDir,
        extraArgs,
      });
      const warning = await warmUp(server, env);
      if (warning) log(`  warning: ${def.id} ${warning}`);
      servers.push(server);
    } catch (error) {
      log(`  skip ${def.id}: ${error.message}`);
    }
  }
  return servers;
}

function progressLine(plan, config, repeat, id, r) {
  const head = `  ${plan.type} ${config.label} #${repeat} ${id}:`;
  const timeouts = r.clientTimeouts ? ` (${r.clientTimeouts} client timeouts)` : '';
  if (!r.ok) return `${head} FAILED ${r.error}${timeouts}`;
  const main = plan.metrics
    .filter((m) => Number.isFinite(r[m.key]))
    .map((m) => `${r[m.key].toFixed(m.digits)} ${m.label}`)
    .join(', ');
  return `${head} ${main} (${(r.wallMs / 1000).toFixed(2)} s)${r.error ? ` - ${r.error}` : ''}`;
}

/**
 * One measurement, taken again (once) if another process stopped the server under it: this machine
 * is shared, and a disturbed run says nothing about the server. Any other failure restarts the
 * server and stands as a result.
 */
async function measureSlot(plan, slot, config, repeat, env, ctx, log, records) {
  for (let attempt = 1; attempt <= 2 && slot.server; attempt++) {
    const server = slot.server;
    const r = await plan.measure(server, config, ctx);
    // A server that is shutting down may not have exited yet when its client gives up.
    if (!r.ok || r.error) await Promise.race([server.child.exited, sleep(1000)]);
    const exit = exitReason(server);
    const disturbed = exit?.outside === true;
    const error = r.error ?? (exit && !disturbed ? exit.text : undefined);
    const record = { type: plan.type, config: config.label, server: server.id, repeat, attempt, ...r, error };
    records.push({ ...record, serverExit: exit?.text, disturbed });
    const line = progressLine(plan, config, repeat, server.id, record);
    log(exit ? `${line} [${exit.text}${disturbed && attempt === 1 ? '; measuring again' : ''}]` : line);
    if (r.ok && !r.error && !exit) return;
    try {
      slot.server = await restartServer(server);
      const warning = await warmUp(slot.server, env);
      if (warning) log(`  warning: ${server.id} ${warning}`);
    } catch (startError) {
      log(`  ${server.id} dropped from this run type: ${startError.message}`);
      slot.server = undefined;
    }
    if (!disturbed) return;
  }
}

/** Returns the raw records of this plan and the ids of the servers that produced them. */
export async function runPlan(plan, env, log) {
  log(`\n${plan.title}`);
  const files = Object.fromEntries(
    Object.entries(plan.files).map(([key, size]) => [key, dataFile(env.root, size)]),
  );
  const ctx = { files, outDir: env.outDir, timeoutMs: env.timeoutMs * (plan.timeoutFactor ?? 1) };
  const slots = (await startAll(plan, env, log)).map((server) => ({ server }));
  const records = [];
  try {
    for (const config of plan.configs) {
      for (let repeat = 1; repeat <= env.repeat; repeat++) {
        for (const slot of slots) await measureSlot(plan, slot, config, repeat, env, ctx, log, records);
      }
    }
  } finally {
    await Promise.all(slots.filter((slot) => slot.server).map((slot) => stopServer(slot.server)));
  }
  return { records, ran: [...new Set(records.map((r) => r.server))] };
}
