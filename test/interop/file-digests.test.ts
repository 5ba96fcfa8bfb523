// A download's SHA-256 comes from its file's digest, computed once per file (file-digests.ts):
// the record's hash is the hash of the bytes a real client received, lock-step and windowed, on
// the server's own thread and on a download thread; concurrent downloads of one file cost one hash
// job; a file written to during a transfer gets a record that says so instead of a hash; a file
// replaced between two transfers gets a new digest; netascii still hashes what it sends.
import { existsSync, openSync, readFileSync, renameSync, writeFileSync, writeSync, closeSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, SessionFinishedEvent } from '../../shared/events.js';
import { digestJobsStarted, fileDigests } from '../../electron/tftp/file-digests.js';
import {
  makeTempDir,
  makeTempRoot,
  randomData,
  removeTempDirs,
  sha256,
  type TempDir,
} from '../helpers/files.js';
import { toNetascii } from '../helpers/netascii-oracle.js';
import { rawDownload } from '../helpers/raw-transfers.js';
import { CLIENTS, clientRunsHere } from '../helpers/tftp-clients.js';
import { BUILT_THREAD_SCRIPT, startServer, stopServers, type TestServer } from '../helpers/test-server.js';
import type { EngineOptions } from '../../electron/tftp/server.js';

let root: TempDir;
let scratch: TempDir;

beforeAll(() => {
  root = makeTempRoot();
  scratch = makeTempDir();
});

afterAll(async () => {
  await stopServers();
  removeTempDirs();
});

let fileCount = 0;
/** A new file in the root (a new identity, so nothing about it is cached yet). */
function newFile(bytes: Buffer, ext = 'bin'): string {
  const name = `f${++fileCount}.${ext}`;
  writeFileSync(root.file(name), bytes);
  return name;
}

const onThread = (events: EngineEvent[]) =>
  events.filter((e) => e.type === 'log' && e.message === 'runs on download thread 1').length;

const threadBuilt = existsSync(fileURLToPath(BUILT_THREAD_SCRIPT));
const RUNNERS: [string, EngineOptions, boolean][] = [
  ['the server thread', { downloadThreads: 0 }, false],
  ['a download thread', { downloadThreads: 1, threadScript: BUILT_THREAD_SCRIPT }, true],
];

describe.each(RUNNERS)('downloads on %s', (_name, engine, threaded) => {
  let server: TestServer;

  beforeAll(async () => {
    if (threaded && !threadBuilt) throw new Error('run `npm run build:engine` first (the thread script)');
    server = await startServer({ root: root.path, engine });
  });

  afterAll(async () => server?.stop());

  /** curl (lock-step) or atftp (windowed) fetches `remote`; returns the bytes it wrote. */
  async function fetch(remote: string, how: 'lockstep' | 'windowed', blksize: number): Promise<Buffer> {
    const local = scratch.file(`${remote}.${how}.${blksize}.${Math.random()}`);
    const client = how === 'lockstep' ? CLIENTS.curl : CLIENTS.atftp;
    const r = await client.get({
      host: server.host,
      port: server.port,
      remote,
      local,
      blksize,
      ...(how === 'windowed' ? { windowsize: 8 } : {}),
    });
    expect(r.ok, r.summary).toBe(true);
    return readFileSync(local);
  }

  it.each([
    ['lockstep', 512],
    ['lockstep', 1468],
    ['lockstep', 8192],
    ['windowed', 1468],
    ['windowed', 8192],
  ] as const)('%s at %i: the record hashes what the client received', async (how, blksize) => {
    if (how === 'windowed' && !clientRunsHere(CLIENTS.atftp)) return;
    // Past 1 MiB: hashed on the hashing thread (smaller files are hashed in-process).
    const data = randomData(1_500_000 + blksize + 3);
    const name = newFile(data);
    const jobsBefore = digestJobsStarted();
    const received = await fetch(name, how, blksize);
    const { end } = await server.outcome(name);
    expect(end.type).toBe('session-finished');
    const stats = end.type === 'session-finished' ? end.stats : undefined;
    expect(stats?.sha256).toBe(sha256(received));
    expect(stats?.sha256).toBe(sha256(data));
    expect(stats?.fileChanged).toBeUndefined();
    // Hashed by its file's job (not block by block): one job for this new file.
    expect(digestJobsStarted() - jobsBefore).toBe(1);
    expect(fileDigests.threadRunning).toBe(true);
    if (threaded) expect(onThread(server.events)).toBeGreaterThan(0);
  });

  it('eight concurrent downloads of one file run one hash job', async () => {
    const data = randomData(2_000_000);
    const name = newFile(data);
    server.clearEvents();
    const jobsBefore = digestJobsStarted();
    const got = await Promise.all(Array.from({ length: 8 }, () => fetch(name, 'lockstep', 1468)));
    for (const g of got) expect(sha256(g)).toBe(sha256(data));
    // A client is done once it has sent its last ACK: each record follows it (and the digest).
    const ids = server.events.flatMap((e) => (e.type === 'session-started' && e.file === name ? [e.id] : []));
    expect(ids).toHaveLength(8);
    const ends = await Promise.all(
      ids.map((id) =>
        server.waitFor((e): e is SessionFinishedEvent => e.type === 'session-finished' && e.id === id),
      ),
    );
    for (const e of ends) expect(e.stats.sha256).toBe(sha256(data));
    expect(digestJobsStarted() - jobsBefore).toBe(1);
    // And later downloads of it take the cached digest: no job at all.
    await fetch(name, 'lockstep', 512);
    expect(digestJobsStarted() - jobsBefore).toBe(1);
  });

  it('a file written to (same size) during a slow transfer: the record says so and gives no hash', async () => {
    // Past the reader's read-ahead (two roomy pages of 512 blocks at 512), so the change is sent.
    const data = randomData(512 * 1500 + 100);
    const name = newFile(data);
    const r = await rawDownload({
      port: server.port,
      file: name,
      expectedBytes: data.length,
      onBlock: (block) => {
        if (block !== 20) return;
        // In place, through another descriptor: same inode, same size, a new modification time.
        const fd = openSync(root.file(name), 'r+');
        writeSync(fd, Buffer.from('changed!'), 0, 8, 512 * 1300);
        closeSync(fd);
      },
    });
    expect(r.complete).toBe(true);
    const { end } = await server.outcome(name);
    expect(end.type).toBe('session-finished');
    if (end.type !== 'session-finished') return;
    expect(end.stats.fileChanged).toBe(true);
    expect(end.stats.sha256).toBe('');
    expect(end.stats.bytes).toBe(data.length);
    // The client got the new bytes after the change: neither hash would have described them.
    expect(sha256(r.bytes)).not.toBe(sha256(data));
  });

  it('a file replaced (renamed over) between two transfers gets a new digest', async () => {
    const first = randomData(300_000);
    const second = randomData(300_000);
    const name = newFile(first);
    const jobsBefore = digestJobsStarted();
    expect(sha256(await fetch(name, 'lockstep', 1468))).toBe(sha256(first));
    const a = await server.outcome(name);
    const tmp = root.file(`${name}.tmp`);
    writeFileSync(tmp, second);
    renameSync(tmp, root.file(name));
    const received = await fetch(name, 'lockstep', 1468);
    const b = await server.outcome(name);
    expect(a.end.type === 'session-finished' && a.end.stats.sha256).toBe(sha256(first));
    expect(b.started.id).not.toBe(a.started.id);
    expect(b.end.type === 'session-finished' && b.end.stats.sha256).toBe(sha256(received));
    expect(sha256(received)).toBe(sha256(second));
    expect(digestJobsStarted() - jobsBefore).toBe(2);
  });

  it('netascii hashes the converted bytes as they are sent (no file job)', async () => {
    const text = Buffer.from('one\ntwo\r\nthree\rfour\n'.repeat(400));
    const name = newFile(text, 'txt');
    const jobsBefore = digestJobsStarted();
    const r = await rawDownload({ port: server.port, file: name, mode: 'netascii' });
    expect(r.complete).toBe(true);
    expect(r.bytes.equals(toNetascii(text))).toBe(true);
    const { end } = await server.outcome(name);
    expect(end.type === 'session-finished' && end.stats.sha256).toBe(sha256(toNetascii(text)));
    expect(digestJobsStarted() - jobsBefore).toBe(0);
  });
});
