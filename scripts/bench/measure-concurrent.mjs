// Many clients at once against one server: aggregate throughput of the transfers that arrived intact,
// how many did not, and the server's peak resident memory (summed over its forked children).
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CLIENTS } from './clients.mjs';
import { verify } from './files.mjs';
import { RssSampler } from './proc-stats.mjs';
import { runClient } from './processes.mjs';

let sequence = 0;

/** spec: { clients, blksize, source }; ctx: { outDir, timeoutMs } */
export async function measureConcurrent(server, spec, ctx) {
  const batch = ++sequence;
  const outs = Array.from({ length: spec.clients }, (_, i) =>
    join(ctx.outDir, `c${batch}-${server.id}-${i}.bin`),
  );
  const sampler = new RssSampler(server.pid, 50);
  const started = performance.now();
  // Unpinned on purpose: 100 clients and the server share both CPUs as the scheduler sees fit.
  const results = await Promise.all(
    outs.map((out) => {
      const [cmd, args] = CLIENTS.curl.get({
        port: server.port,
        name: spec.source.name,
        out,
        blksize: spec.blksize,
      });
      return runClient(cmd, args, { timeoutMs: ctx.timeoutMs, serverGone: server.child.exited });
    }),
  );
  const wallMs = performance.now() - started;
  const rss = sampler.stop();

  // Checksums after the clock stopped: hashing 800 MB must not count against the server.
  let okCount = 0;
  const reasons = new Map();
  for (const [i, out] of outs.entries()) {
    const r = results[i];
    let reason;
    if (r.serverDied) reason = 'server exited';
    else if (r.timedOut) reason = 'timed out';
    else if (r.code !== 0) reason = `exit ${r.code ?? r.signal}`;
    else {
      const check = await verify(out, spec.source);
      if (!check.ok) reason = check.reason;
    }
    if (reason) reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    else okCount++;
    rmSync(out, { force: true });
  }
  const failed = spec.clients - okCount;
  const error = failed ? [...reasons].map(([why, count]) => `${count}x ${why}`).join(', ') : undefined;
  return {
    // The measurement itself ran; failed transfers are part of the result, not a reason to drop it.
    ok: okCount > 0,
    error,
    wallMs,
    aggMBps: (okCount * spec.source.size) / 1e6 / (wallMs / 1000),
    failed,
    transfers: spec.clients,
    peakRssMiB: rss.peakKiB / 1024,
    idleRssMiB: rss.idleKiB / 1024,
  };
}
