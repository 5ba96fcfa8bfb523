// Downloads on download threads (worker_threads): they are placed on the least busy thread, the
// server's own included, and behave exactly as on the main thread: same bytes, same events, the
// same ERROR on stop. A thread that cannot start costs nothing but the thread: downloads stay here.
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, SessionFailedEvent, SessionFinishedEvent } from '../../shared/events.js';
import {
  makeTempDir,
  makeTempRoot,
  randomData,
  removeTempDirs,
  sha256,
  type TempDir,
} from '../helpers/files.js';
import { RawClient, expectPacket } from '../helpers/raw-client.js';
import { CLIENTS } from '../helpers/tftp-clients.js';
import { ack, request } from '../helpers/tftp-wire.js';
import { settle } from '../helpers/wait.js';
import { BUILT_THREAD_SCRIPT, startServer, stopServers, type TestServer } from '../helpers/test-server.js';

const BIG = randomData(3_000_000);
const SMALL = randomData(200_000);
let root: TempDir;
let scratch: TempDir;

beforeAll(() => {
  root = makeTempRoot({
    'big.bin': BIG,
    'small.bin': SMALL,
    'broken-thread.mjs': 'throw new Error("no");\n',
  });
  scratch = makeTempDir();
});

afterAll(async () => {
  await stopServers();
  removeTempDirs();
});

const threadLines = (events: EngineEvent[]) =>
  events
    .filter((e) => e.type === 'log' && /download thread/.test(e.message))
    .map((e) => (e.type === 'log' ? e.message : ''));

const isFinished =
  (id: string) =>
  (e: EngineEvent): e is SessionFinishedEvent =>
    e.type === 'session-finished' && e.id === id;

/** curl fetches small.bin into scratch/`local`; it must arrive whole. */
async function curlSmall(server: TestServer, local: string, blksize?: number): Promise<void> {
  const r = await CLIENTS.curl.get({
    host: server.host,
    port: server.port,
    remote: 'small.bin',
    local: scratch.file(local),
    ...(blksize ? { blksize } : {}),
  });
  expect(r.ok, r.summary).toBe(true);
  expect(sha256(readFileSync(scratch.file(local)))).toBe(sha256(SMALL));
}

describe('download threads', () => {
  it('places each download on the least busy thread, the main one included, byte for byte', async () => {
    const server = await startServer({
      root: root.path,
      engine: { downloadThreads: 1, threadScript: BUILT_THREAD_SCRIPT },
    });
    // Raw clients that stop acknowledging after DATA 1 hold their downloads open, so each next
    // download sees the load the earlier ones left: thread, main, thread, main (a tie goes to the
    // thread, which keeps the main thread free for the app).
    const holders: RawClient[] = [];
    for (let i = 0; i < 4; i++) {
      const holder = await RawClient.open();
      holder.send(request('rrq', 'big.bin'), server.port);
      expectPacket(await holder.next(), 'data');
      holders.push(holder);
    }
    // Whoever sees the end record sees the session already gone from the count, as on the main
    // thread (the thread's own "ended" message comes later).
    const activeAtEnd: number[] = [];
    server.engine.onEvent((e) => {
      if (e.type === 'session-finished') activeAtEnd.push(server.engine.activeSessions);
    });
    await curlSmall(server, 'placed', 1468);
    const ids = server.events.flatMap((e) => (e.type === 'session-started' ? [e.id] : []));
    expect(ids).toHaveLength(5);
    const onThread = server.events.flatMap((e) =>
      e.type === 'log' && e.message === 'runs on download thread 1' && e.sessionId ? [e.sessionId] : [],
    );
    expect(onThread).toEqual([ids[0], ids[2], ids[4]]);
    const end = await server.waitFor(isFinished(ids[4] as string));
    expect(end.stats.sha256).toBe(sha256(SMALL));
    expect(end.stats.bytes).toBe(SMALL.length);
    expect(activeAtEnd).toEqual([4]);
    expect(server.engine.activeSessions).toBe(4);
    for (const h of holders) await h.close();
    await server.stop();
    expect(server.events.filter((e) => e.type === 'session-failed')).toHaveLength(4);
  });

  it('ends a download on a thread with ERROR 0 when the server stops', async () => {
    const server = await startServer({
      root: root.path,
      engine: { downloadThreads: 1, threadScript: BUILT_THREAD_SCRIPT },
    });
    const client = await RawClient.open();
    client.send(request('rrq', 'big.bin'), server.port);
    const first = await client.next();
    expectPacket(first, 'data');
    client.send(ack(1), server.port, first.from.address);
    await server.stop();
    const err = await client.nextWhere((r) => r.packet.op === 'error');
    expect(expectPacket(err, 'error').message).toBe('Server shutting down');
    expect(err.from.port).toBe(first.from.port);
    const failed = server.events.find((e): e is SessionFailedEvent => e.type === 'session-failed');
    expect(failed?.message).toBe('Server shutting down');
    expect(threadLines(server.events)).toContain('runs on download thread 1');
    await client.close();
  });

  it('a thread that dies mid-download: one failure record for its session, the next download served here', async () => {
    // The real thread script, which this one loads and then ends 300 ms into its first download.
    const dying = root.file('dying-thread.mjs');
    writeFileSync(
      dying,
      `import { parentPort } from 'node:worker_threads';
await import(${JSON.stringify(BUILT_THREAD_SCRIPT.href)});
parentPort.on('message', (m) => { if (m.kind === 'start') setTimeout(() => process.exit(3), 300); });
`,
    );
    const server = await startServer({
      root: root.path,
      engine: { downloadThreads: 1, threadScript: new URL(`file://${dying}`) },
    });
    const client = await RawClient.open();
    client.send(request('rrq', 'big.bin'), server.port);
    const first = await client.next();
    expectPacket(first, 'data');
    const failed = await server.waitFor((e): e is SessionFailedEvent => e.type === 'session-failed', 5000);
    expect(failed.message).toBe('Server error');
    expect(
      threadLines(server.events).some((l) => l.startsWith('download thread 1 stopped (exited (3))')),
    ).toBe(true);
    await curlSmall(server, 'after');
    const ends = server.events.filter(
      (e) => (e.type === 'session-failed' || e.type === 'session-finished') && e.id === failed.id,
    );
    expect(ends).toHaveLength(1);
    // curl is done once it has sent its last ACK; the server ends that session when the ACK lands
    // (and the file's digest is in): none is left a moment later, none counted twice.
    await settle(
      () => server.engine.activeSessions,
      (n) => n === 0,
    );
    expect(server.engine.activeSessions).toBe(0);
    await client.close();
    await server.stop();
  });

  it('serves from the main thread when the thread script cannot load', async () => {
    const broken = new URL(`file://${root.file('broken-thread.mjs')}`);
    const server = await startServer({
      root: root.path,
      engine: { downloadThreads: 2, threadScript: broken },
    });
    await curlSmall(server, 'm');
    const { end } = await server.outcome('small.bin');
    expect(end.type).toBe('session-finished');
    const lines = threadLines(server.events);
    expect(lines.some((l) => l.startsWith('download thread unavailable'))).toBe(true);
    expect(lines).not.toContain('runs on download thread 1');
    await server.stop();
  });
});
