// Uploads (WRQ, octet) with every real client under each upload policy: off refuses with
// ERROR 2, create refuses an existing name with ERROR 6, overwrite replaces. The served folder is
// listed with hidden files after every case: no temporary upload file may be left behind.
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  makeTempDir,
  makeTempRoot,
  randomData,
  removeTempDirs,
  sha256,
  type TempDir,
} from '../helpers/files.js';
import { expectPacket, RawClient } from '../helpers/raw-client.js';
import { rawUpload } from '../helpers/raw-transfers.js';
import { ALL_CLIENTS, CLIENTS, clientRunsHere, type TftpClient } from '../helpers/tftp-clients.js';
import { data, error as errorPacket, request } from '../helpers/tftp-wire.js';
import { startServer, stopServers, type TestServer } from '../helpers/test-server.js';
import { settle } from '../helpers/wait.js';

// 512 ends with an empty DATA block; 0 is a single empty one.
const SIZES = [0, 512, 513, 100_000];

let root: TempDir;
let scratch: TempDir;
let server: TestServer | undefined;

beforeEach(() => {
  root = makeTempRoot({ 'existing.bin': 'the original content\n' });
  scratch = makeTempDir();
});

afterEach(async () => {
  await stopServers();
  removeTempDirs();
});

afterAll(removeTempDirs);

async function serve(uploads: 'off' | 'create' | 'overwrite'): Promise<TestServer> {
  server = await startServer({ root: root.path, uploads });
  return server;
}

/** The folder holds exactly `names` (hidden files included), once any cleanup has run. */
async function expectOnly(names: string[]): Promise<void> {
  const expected = [...names].sort();
  const seen = await settle(
    () => root.list(),
    (list) => JSON.stringify(list) === JSON.stringify(expected),
  );
  expect(seen).toEqual(expected);
}

async function put(client: TftpClient, s: TestServer, remote: string, bytes: Buffer) {
  const local = scratch.write(`${client.name}-${remote}`, bytes);
  return client.put({ host: s.host, port: s.port, remote, local });
}

describe.each(ALL_CLIENTS.map((c) => [c.name, c] as const))('%s uploads', (_name, client) => {
  it.each(SIZES)('a new %i-byte file under "create", byte-identical', async (size) => {
    const s = await serve('create');
    const bytes = randomData(size);
    const r = await put(client, s, 'new.bin', bytes);
    expect(r.ok, r.summary).toBe(true);
    const { started, end } = await s.outcome('new.bin');
    expect(started.direction).toBe('upload');
    expect(end.type).toBe('session-finished');
    expect(end.type === 'session-finished' && end.stats.sha256).toBe(sha256(bytes));
    expect(end.type === 'session-finished' && end.stats.bytes).toBe(size);
    expect(sha256(root.read('new.bin'))).toBe(sha256(bytes));
    await expectOnly(['existing.bin', 'new.bin']);
  });

  it('is refused with ERROR 6 onto an existing file under "create"; the original stays', async () => {
    const s = await serve('create');
    const r = await put(client, s, 'existing.bin', randomData(2000));
    expect(r.ok, r.summary).toBe(false);
    const { end } = await s.outcome('existing.bin');
    expect(end.type === 'session-failed' && end.code).toBe(6);
    expect(root.read('existing.bin').toString()).toBe('the original content\n');
    await expectOnly(['existing.bin']);
  });

  it('replaces an existing file under "overwrite"', async () => {
    const s = await serve('overwrite');
    const bytes = randomData(5000);
    const r = await put(client, s, 'existing.bin', bytes);
    expect(r.ok, r.summary).toBe(true);
    const { end } = await s.outcome('existing.bin');
    expect(end.type === 'session-finished' && end.stats.sha256).toBe(sha256(bytes));
    expect(sha256(root.read('existing.bin'))).toBe(sha256(bytes));
    await expectOnly(['existing.bin']);
  });

  it('is refused with ERROR 2 "Uploads are disabled" under "off"', async () => {
    const s = await serve('off');
    const r = await put(client, s, 'new.bin', randomData(700));
    expect(r.ok, r.summary).toBe(false);
    const { end } = await s.outcome('new.bin');
    expect(end.type === 'session-failed' && [end.code, end.message]).toEqual([2, 'Uploads are disabled']);
    await expectOnly(['existing.bin']);
  });
});

describe('uploads seen on the wire (raw client)', () => {
  it('answers ERROR 2 "Uploads are disabled" under "off" and creates nothing', async () => {
    const s = await serve('off');
    const r = await rawUpload({ port: s.port, file: 'new.bin', payload: randomData(100) });
    expect(r.error).toEqual({ code: 2, message: 'Uploads are disabled' });
    await expectOnly(['existing.bin']);
  });

  it('answers ERROR 6 to a WRQ for an existing file under "create", before any ACK', async () => {
    const s = await serve('create');
    const r = await rawUpload({ port: s.port, file: 'existing.bin', payload: randomData(100) });
    expect(r.received.map((p) => p.packet.op)).toEqual(['error']);
    expect(r.error?.code).toBe(6);
  });

  it('keeps the original and leaves no temporary file when the client aborts mid-upload', async () => {
    const s = await serve('overwrite');
    const client = await RawClient.open();
    try {
      client.send(request('wrq', 'existing.bin'), s.port);
      const first = await client.next();
      expect(expectPacket(first, 'ack').block).toBe(0);
      const tid = first.from.port;
      for (let block = 1; block <= 3; block++) {
        client.send(data(block, randomData(512)), tid);
        await client.nextWhere((r) => r.packet.op === 'ack' && r.packet.block === block);
      }
      client.send(errorPacket(0, 'user cancelled'), tid);
      const { end } = await s.outcome('existing.bin');
      expect(end.type === 'session-failed' && end.by).toBe('client');
      // an ERROR is never answered (RFC 1350 section 7); only a timer resend of ACK 3 may cross it
      const after = await client.collect(300);
      expect(after.filter((r) => r.packet.op !== 'ack' || r.packet.block !== 3)).toEqual([]);
    } finally {
      await client.close();
    }
    expect(root.read('existing.bin').toString()).toBe('the original content\n');
    await expectOnly(['existing.bin']);
  });

  it('refuses a declared tsize over maxUploadBytes with ERROR 3 before any data', async () => {
    server = await startServer({ root: root.path, uploads: 'create', maxUploadBytes: 1000 });
    const r = await rawUpload({
      port: server.port,
      file: 'big.bin',
      payload: randomData(5000),
      options: [['tsize', '5000']],
    });
    expect(r.received.map((p) => p.packet.op)).toEqual(['error']);
    expect(r.error?.code).toBe(3);
    await expectOnly(['existing.bin']);
  });

  it('grants a declared tsize within maxUploadBytes in the OACK and takes the file', async () => {
    server = await startServer({ root: root.path, uploads: 'create', maxUploadBytes: 1000 });
    const bytes = randomData(1000);
    const r = await rawUpload({
      port: server.port,
      file: 'ok.bin',
      payload: bytes,
      options: [['tsize', '1000']],
    });
    expect(r.oack).toEqual([['tsize', '1000']]);
    expect(r.complete).toBe(true);
    expect(sha256(root.read('ok.bin'))).toBe(sha256(bytes));
  });

  it.skipIf(!clientRunsHere(CLIENTS.atftp))(
    'refuses atftp declaring a file over maxUploadBytes (tsize), leaving nothing',
    async () => {
      server = await startServer({ root: root.path, uploads: 'create', maxUploadBytes: 1000 });
      const local = scratch.write('big.bin', randomData(5000));
      const r = await CLIENTS.atftp.put({
        host: server.host,
        port: server.port,
        remote: 'big.bin',
        local,
        tsize: 5000,
      });
      expect(r.ok, r.summary).toBe(false);
      const { end } = await server.outcome('big.bin');
      expect(end.type === 'session-failed' && end.code).toBe(3);
      await expectOnly(['existing.bin']);
    },
  );
});
