// Runs one plan: starts its servers (pinned), warms each up with a small busybox download, then
// measures configuration by configuration, interleaving the servers (A B C A B C ...) so that drift
// in machine load spreads evenly over them. A server that failed a transfer is restarted before its
// next one, so one wedged session cannot poison the following measurements.
import { CLIENTS } from './clients.mjs';
import { MiB, makeDataFile } from './files.mjs';
import { isAlive, restartServer, startServer, stopServer } from './peers.mjs';
import { runClient } from './processes.mjs';
import { rmSync } from 'node:fs';
import { join } from 'node:path';

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

/** Returns the raw records of this plan: { type, config, server, repeat, ...result }. */
export async function runPlan(plan, env, log) {
  log(`\n${plan.title}`);
  const files = Object.fromEntries(
    Object.entries(plan.files).map(([key, size]) => [key, dataFile(env.root, size)]),
  );
  const ctx = { files, outDir: env.outDir, timeoutMs: env.timeoutMs * (plan.timeoutFactor ?? 1) };
  let servers = await startAll(plan, env, log);
  const records = [];
  try {
    for (const config of plan.configs) {
      for (let repeat = 1; repeat <= env.repeat; repeat++) {
        for (const [i, server] of servers.entries()) {
          if (!server) continue;
          const r = await plan.measure(server, config, ctx);
          const alive = isAlive(server);
          records.push({
            type: plan.type,
            config: config.label,
            server: server.id,
            repeat,
            serverExited: !alive,
            ...r,
          });
          log(progressLine(plan, config, repeat, server.id, r) + (alive ? '' : ' (server process exited)'));
          if (r.ok && !r.error && alive) continue;
          try {
            servers[i] = await restartServer(server);
          } catch (error) {
            log(`  ${server.id} dropped from this run type: ${error.message}`);
            servers[i] = undefined;
          }
        }
      }
    }
  } finally {
    await Promise.all(servers.filter(Boolean).map(stopServer));
  }
  return { records, ran: [...new Set(records.map((r) => r.server))] };
}
