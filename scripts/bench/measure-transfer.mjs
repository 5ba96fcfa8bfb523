// One transfer between one client process and a running server: wall time of the client, server CPU
// over the same interval, and a SHA-256 check of what arrived.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENTS } from './clients.mjs';
import { sizeOf, verify, verifyEventually } from './files.mjs';
import { CpuMeter } from './proc-stats.mjs';
import { runClient } from './processes.mjs';

let sequence = 0;

function describeFailure(result, partialBytes, size, timeoutMs) {
  if (result.serverDied) return 'server process exited during the transfer';
  if (result.timedOut) {
    return `stalled: no completion within ${timeoutMs / 1000} s (${(partialBytes / 1e6).toFixed(1)} of ${(size / 1e6).toFixed(1)} MB)`;
  }
  if (result.error) return `client could not run: ${result.error.message}`;
  const how = result.signal ? `signal ${result.signal}` : `exit ${result.code}`;
  return `client ${how}${result.stderr ? `: ${result.stderr.split('\n').slice(-1)[0]}` : ''}`;
}

/**
 * spec: { direction: 'get' | 'put', client, blksize, windowsize?, source, clientCpus }
 * ctx: { outDir, timeoutMs }
 */
export async function measureTransfer(server, spec, ctx) {
  const n = ++sequence;
  const { direction, client, source } = spec;
  const out =
    direction === 'get'
      ? join(ctx.outDir, `${server.id}-${n}.bin`)
      : join(server.root, `up-${server.id}-${n}.bin`);
  const params = {
    ...spec,
    port: server.port,
    out,
    src: source.path,
    name: direction === 'get' ? source.name : `up-${server.id}-${n}.bin`,
  };
  const [cmd, args] = CLIENTS[client][direction](params);

  const meter = new CpuMeter(server.pid);
  const countPattern = CLIENTS[client].timeoutPattern;
  const result = await runClient(cmd, args, {
    cpus: spec.clientCpus,
    timeoutMs: ctx.timeoutMs,
    countPattern,
    serverGone: server.child.exited,
  });
  const clientTimeouts = countPattern ? result.counted : undefined;
  const cpuMs = await meter.stop();
  try {
    if (result.timedOut || result.code !== 0) {
      return {
        ok: false,
        error: describeFailure(result, sizeOf(out), source.size, ctx.timeoutMs),
        wallMs: result.wallMs,
        clientTimeouts,
      };
    }
    const check = direction === 'get' ? await verify(out, source) : await verifyEventually(out, source);
    if (!check.ok)
      return { ok: false, error: `wrong data: ${check.reason}`, wallMs: result.wallMs, clientTimeouts };
    const mb = source.size / 1e6;
    return {
      ok: true,
      wallMs: result.wallMs,
      mbps: mb / (result.wallMs / 1000),
      cpuMs,
      cpuMsPerMB: cpuMs / mb,
      clientTimeouts,
    };
  } finally {
    rmSync(out, { force: true });
  }
}
