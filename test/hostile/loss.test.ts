// Faults for real: packet loss at 5 % and 10 % inside a network namespace made for this test
// (nftables drops UDP at random on the input hook). The CLI server and the real clients run in
// the namespace; every transfer of a 500 KB file must finish byte-identical. The time each took
// is printed. Skipped with a message without root, `ip` or `nft`; the namespaces are always
// deleted, also when a test fails.
//
// Random loss makes single runs a coin toss, so the atftp downloads run as several attempts at
// once and the expectation is about all of them. atftp 0.8 aborts when an OACK arrives twice
// ("tftp: unexpected OACK"). The engine now resends an OACK to a request atftp could have sent
// only after atftp's own 5 s timer (the last test proves it with one lost ACK 0), but when that
// resent ACK 0 is lost as well, the OACK must go out again: such an abort is still not held
// against the server here.
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureEngineBuilt } from '../helpers/cli-process.js';
import { makeTempDir, randomData, type TempDir } from '../helpers/files.js';
import { isInstalled } from '../helpers/run-process.js';
import { CLIENTS, type ClientResult, type ClientTransfer } from '../helpers/tftp-clients.js';
import { createLossyNamespace, netnsUnavailable, type LossyNamespace } from './support/netns.js';
import { spawnServer, type ServerProcess } from './support/server-process.js';

// curl without options: with them curl 7.88 loses data on a duplicate OACK (see the last test).
const SHIMS = { curl: ['--tftp-no-options'], busybox: [], atftp: ['--verbose'] };
const unavailable =
  netnsUnavailable() ??
  Object.keys(SHIMS)
    .map((c) => (isInstalled(c) ? '' : `${c} is not installed`))
    .find(Boolean);
// Without a namespace or a client the blocks are skipped, their titles saying why.
const skipNote = unavailable === undefined ? '' : ` (skipped: ${unavailable})`;
const lossTitle = (loss: number) => `${loss} percent packet loss in a network namespace${skipNote}`;
const ONE_LOST_TITLE = `one lost DATA 1 after an OACK (curl put with options)${skipNote}`;
const body = randomData(500 * 1024);
const ATFTP_DUPLICATE_OACK = /unexpected OACK/;

interface Case {
  label: string;
  attempts: number;
  upload: boolean;
  run: (t: ClientTransfer) => Promise<ClientResult>;
  extra?: Partial<ClientTransfer>;
  /** runs only at this loss or less */
  upToLoss?: number;
}

const CASES: Case[] = [
  { label: 'curl get', attempts: 1, upload: false, run: (t) => CLIENTS.curl.get(t) },
  { label: 'busybox get', attempts: 1, upload: false, run: (t) => CLIENTS.busybox.get(t) },
  // atftp re-ACKs a repeated block only once and then only on its own 5 s timer, which each resend
  // restarts; only a block past the window would unstick it, and that the engine never sends to a
  // lock-step client (old U-Boot and barebox take it in the place of the missing one). So the engine
  // goes quiet for longer than that timer and lets it fire: each lost pair of ACKs costs it ~5 s
  // (16-34 s for four at once here at 5 % loss; tftpd-hpa: 127-152 s). It runs at 5 % only.
  {
    label: 'atftp get lock-step',
    attempts: 4,
    upload: false,
    run: (t) => CLIENTS.atftp.get(t),
    extra: { timeoutMs: 150_000 },
    upToLoss: 5,
  },
  {
    label: 'atftp get windowsize 8',
    attempts: 12,
    upload: false,
    run: (t) => CLIENTS.atftp.get(t),
    extra: { windowsize: 8 },
  },
  { label: 'curl put', attempts: 1, upload: true, run: (t) => CLIENTS.curl.put(t) },
  { label: 'atftp put', attempts: 1, upload: true, run: (t) => CLIENTS.atftp.put(t) },
];

interface Attempt {
  r: ClientResult;
  same: boolean;
}

/** The CLI server inside `ns`, serving `root` with uploads on, once it listens. */
async function serveInNamespace(
  ns: LossyNamespace,
  root: TempDir,
): Promise<{ server: ServerProcess; port: number }> {
  const port = 20_000 + Math.floor(Math.random() * 40_000); // a fresh namespace: every port is free
  const server = spawnServer(ns.prefix, [
    '--root',
    root.path,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--uploads',
    'overwrite',
  ]);
  await server.listening();
  return { server, port };
}

/** Runs every case (all attempts at once) in a fresh namespace with `loss` percent UDP loss. */
function lossyRun(loss: number) {
  let ns: LossyNamespace | undefined;
  let server: ServerProcess | undefined;
  let scratch: TempDir | undefined;
  let root: TempDir | undefined;
  let results: Promise<Map<string, Attempt[]>> | undefined;

  beforeAll(async () => {
    if (unavailable) return;
    await ensureEngineBuilt();
    scratch = makeTempDir();
    root = makeTempDir('tftp-desk-lossy-root-');
    root.write('file.bin', body);
    ns = createLossyNamespace(loss, SHIMS);
    const started = await serveInNamespace(ns, root);
    server = started.server;
    results = runAll(ns, started.port, scratch, root, loss);
    await results; // every client ran: the tests below only read the outcome
  }, 200_000);

  afterAll(async () => {
    await server?.stop();
    ns?.remove();
    scratch?.remove();
    root?.remove();
  });

  return async (label: string): Promise<Attempt[]> =>
    (await (results as Promise<Map<string, Attempt[]>>)).get(label) ?? [];
}

async function runAll(ns: LossyNamespace, port: number, scratch: TempDir, root: TempDir, loss: number) {
  const path = process.env.PATH;
  process.env.PATH = `${ns.shims}:${path}`; // client names resolve to the namespace shims
  try {
    const all = await Promise.all(
      CASES.filter((c) => loss <= (c.upToLoss ?? 100)).map(async (c, i) => {
        const attempts = await Promise.all(
          Array.from({ length: c.attempts }, async (_, k) => {
            const name = `${loss}-${i}-${k}.bin`;
            const local = c.upload ? scratch.write(name, body) : scratch.file(name);
            const timeoutMs = c.label.startsWith('atftp get') ? 30_000 : 90_000;
            const t = {
              host: '127.0.0.1',
              port,
              remote: c.upload ? name : 'file.bin',
              local,
              timeoutMs,
              ...c.extra,
            };
            const r = await c.run(t);
            const same = r.ok && readFileSync(c.upload ? root.file(name) : local).equals(body);
            return { r, same };
          }),
        );
        return [c.label, attempts] as const;
      }),
    );
    const report = all.map(([label, attempts]) => {
      const secs = attempts.map((a) => (a.r.durationMs / 1000).toFixed(1)).join(', ');
      const ok = attempts.filter((a) => a.same).length;
      const dupOack = attempts.filter(
        (a) => !a.same && ATFTP_DUPLICATE_OACK.test(a.r.stdout + a.r.stderr),
      ).length;
      const note = dupOack > 0 ? ` (${dupOack} aborted by atftp on a duplicate OACK)` : '';
      return `  ${label.padEnd(24)} ${ok}/${attempts.length} byte-identical${note}; seconds: ${secs}`;
    });
    console.log(`${loss} % UDP loss, ${body.length}-byte file:\n${report.join('\n')}`);
    return new Map(all.map(([label, attempts]) => [label, [...attempts]]));
  } finally {
    process.env.PATH = path;
  }
}

/** Every attempt finished byte-identical, apart from atftp's own duplicate-OACK aborts. */
function expectAllFinished(label: string, attempts: Attempt[]): void {
  expect(attempts.length).toBeGreaterThan(0);
  const failed = attempts.filter((a) => !a.same && !ATFTP_DUPLICATE_OACK.test(a.r.stdout + a.r.stderr));
  const why = failed.map(
    (a) =>
      `${a.r.command} -> ${a.r.code}${a.r.timedOut ? ' (killed)' : ''}: ${a.r.stderr.trim().split('\n').slice(-2).join(' | ')}`,
  );
  expect(why, label).toEqual([]);
  expect(
    attempts.some((a) => a.same),
    `${label}: no attempt finished`,
  ).toBe(true);
}

for (const loss of [5, 10]) {
  describe.skipIf(unavailable !== undefined)(lossTitle(loss), () => {
    const outcome = lossyRun(loss);
    for (const label of ['curl get', 'busybox get', 'curl put', 'atftp put']) {
      it(`${label} finishes byte-identical`, async () => expectAllFinished(label, await outcome(label)));
    }
    // atftp 0.8 answers a repeated block only once and then waits on its own 5 s timer, which every
    // resend restarts. With a window, once it has been silent the engine leads each resend with the
    // block after the highest sent, which such a client takes; a lock-step client gets a quiet wait
    // longer than its timer (see CASES).
    // Past 5 % loss the lock-step client needs minutes: skipped there, the title saying so.
    const lockStep = `atftp get lock-step finishes byte-identical${loss <= 5 ? '' : ' (skipped past 5 % loss)'}`;
    it.runIf(loss <= 5)(lockStep, async () =>
      expectAllFinished('atftp get lock-step', await outcome('atftp get lock-step')),
    );
    it('atftp get windowsize 8 finishes byte-identical', async () =>
      expectAllFinished('atftp get windowsize 8', await outcome('atftp get windowsize 8')));
  });
}

// Exactly one packet lost: the client's first DATA of an upload with options (nftables drops the
// first UDP payload starting 00 03 00 01, once). curl 7.88 takes a second OACK as the ACK of a block
// and would shift the file by one block, so the engine never resends an OACK on its timer; it
// answers the client's own repeated WRQ instead, and a repeated DATA 1 is simply taken.
describe.skipIf(unavailable !== undefined)(ONE_LOST_TITLE, () => {
  let ns: LossyNamespace | undefined;
  let server: ServerProcess | undefined;
  let root: TempDir | undefined;
  let scratch: TempDir | undefined;
  afterAll(async () => {
    await server?.stop();
    ns?.remove();
    root?.remove();
    scratch?.remove();
  });

  it('curl never stores a shifted file (no OACK resent on the timer)', async () => {
    await ensureEngineBuilt();
    root = makeTempDir('tftp-desk-lossy-root-');
    scratch = makeTempDir();
    ns = createLossyNamespace(0, { curl: [] }, [
      'meta l4proto udp @th,64,32 0x00030001 limit rate 1/hour burst 1 packets drop',
    ]);
    const started = await serveInNamespace(ns, root);
    server = started.server;
    const port = started.port;
    const local = scratch.write('up.bin', body);
    const path = process.env.PATH;
    process.env.PATH = `${ns.shims}:${path}`;
    let r: ClientResult;
    try {
      r = await CLIENTS.curl.put({ host: '127.0.0.1', port, remote: 'up.bin', local, timeoutMs: 30_000 });
    } finally {
      process.env.PATH = path;
    }
    // curl resends a lost DATA 1 only after 72 s, longer than this test waits; what must never
    // happen is a stored file with a block missing (and curl reporting success for it).
    if (r.ok) expect(readFileSync(root.file('up.bin')).equals(body)).toBe(true);
    if (existsSync(root.file('up.bin'))) expect(readFileSync(root.file('up.bin')).equals(body)).toBe(true);
  });

  // atftp takes a second OACK as a fault and aborts; with its ACK 0 lost, an OACK resent on the
  // server's timer (1-3 s) came before atftp's own ACK 0 resend (5 s) and ended every such run.
  it('atftp with its first ACK 0 lost finishes: the OACK is not resent before its own timer', async () => {
    const own = createLossyNamespace(0, { atftp: ['--verbose'] }, [
      'meta l4proto udp @th,64,32 0x00040000 limit rate 1/hour burst 1 packets drop',
    ]);
    const dir = makeTempDir('tftp-desk-lossy-root-');
    const out = makeTempDir();
    let started: { server: ServerProcess; port: number } | undefined;
    const path = process.env.PATH;
    try {
      dir.write('file.bin', body);
      started = await serveInNamespace(own, dir);
      process.env.PATH = `${own.shims}:${path}`;
      const local = out.file('got.bin');
      const r = await CLIENTS.atftp.get({
        host: '127.0.0.1',
        port: started.port,
        remote: 'file.bin',
        local,
        blksize: 1468,
        timeoutMs: 30_000,
      });
      expect(r.stdout + r.stderr).not.toMatch(ATFTP_DUPLICATE_OACK);
      expect(r.ok, r.stderr).toBe(true);
      expect(readFileSync(local).equals(body)).toBe(true);
      expect(r.durationMs).toBeGreaterThan(4000); // it did lose its ACK 0 and waited its own timer
    } finally {
      process.env.PATH = path;
      await started?.server.stop();
      own.remove();
      dir.remove();
      out.remove();
    }
  });
});
