// Downloads (RRQ, octet) with every real client: sizes around the block boundaries, the block
// sizes each client can ask for, and the server's cap. Each file is compared by sha256 with its
// source, and the session's stats.sha256 must be the hash of the bytes that crossed the wire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  makeTempDir,
  makeTempRoot,
  randomData,
  removeTempDirs,
  sha256,
  type TempDir,
} from '../helpers/files.js';
import { isInstalled, runProcess } from '../helpers/run-process.js';
import { ALL_CLIENTS, REQUIRED_CLIENTS, clientsThat, type TftpClient } from '../helpers/tftp-clients.js';
import { startServer, stopServers, type TestServer } from '../helpers/test-server.js';

// 0 and 512 end with an empty DATA block; 511/513 sit either side of one block.
const SIZES = [0, 1, 511, 512, 513, 1468, 3 * 1024 + 7, 100_000];

let root: TempDir;
let scratch: TempDir;
let server: TestServer;
const content = new Map<string, Buffer>();

function addFile(name: string, bytes: Buffer): void {
  content.set(name, bytes);
  root.write(name, bytes);
}

beforeAll(async () => {
  root = makeTempRoot();
  scratch = makeTempDir();
  for (const size of SIZES) addFile(`file-${size}.bin`, randomData(size));
  addFile('big-blocks.bin', randomData(300_000));
  server = await startServer({ root: root.path });
});

afterAll(async () => {
  await stopServers();
  removeTempDirs();
});

async function download(client: TftpClient, remote: string, extra: { blksize?: number } = {}) {
  const local = scratch.file(`${client.name}-${remote}-${extra.blksize ?? 'default'}`);
  const result = await client.get({ host: server.host, port: server.port, remote, local, ...extra });
  expect(result.ok, result.summary).toBe(true);
  const expected = content.get(remote) as Buffer;
  expect(sha256(readFileSync(local))).toBe(sha256(expected));
  const { started, end } = await server.outcome(remote);
  expect(end.type).toBe('session-finished');
  if (end.type === 'session-finished') {
    expect(end.stats.sha256).toBe(sha256(expected));
    expect(end.stats.bytes).toBe(expected.length);
  }
  expect(started.direction).toBe('download');
  expect(started.mode).toBe('octet');
  return started;
}

it(`has every client this OS needs installed (${REQUIRED_CLIENTS.map((c) => c.name).join(', ')})`, () => {
  const missing = REQUIRED_CLIENTS.filter((c) => !isInstalled(c.command)).map((c) => c.name);
  expect(missing, 'apt-get install curl tftp-hpa atftp busybox').toEqual([]);
});

// curl 7.88 asks for `tsize 0` and rejects an OACK that says `tsize 0` ("invalid tsize"), so the
// engine leaves tsize out for an empty file: every client, curl included, must fetch one.
describe.each(ALL_CLIENTS.map((c) => [c.name, c] as const))('%s downloads', (_name, client) => {
  for (const size of SIZES) {
    it(`a ${size}-byte file byte-identical`, async () => {
      await download(client, `file-${size}.bin`);
    });
  }
});

it('curl downloads an empty file when it sends no options (RFC 1350 only)', async () => {
  const local = scratch.file('curl-no-options-empty');
  const r = await runProcess('curl', [
    '-sS',
    '--tftp-no-options',
    '-o',
    local,
    `tftp://127.0.0.1:${server.port}/file-0.bin`,
  ]);
  expect(r.code, r.stderr).toBe(0);
  expect(scratch.read('curl-no-options-empty').length).toBe(0);
  const { started, end } = await server.outcome('file-0.bin');
  expect(started.options.tsize).toBeUndefined();
  expect(end.type === 'session-finished' && end.stats.sha256).toBe(sha256(Buffer.alloc(0)));
});

describe.each(clientsThat((c) => c.can.blksize).map((c) => [c.name, c] as const))(
  '%s with blksize',
  (_name, client) => {
    it('gets blksize 1024 granted and the file intact', async () => {
      const started = await download(client, 'file-100000.bin', { blksize: 1024 });
      expect(started.options.blksize).toBe(1024);
    });

    it('is capped at the default maxBlksize 1468 when it asks for 4000', async () => {
      const started = await download(client, 'file-100000.bin', { blksize: 4000 });
      expect(started.options.blksize).toBe(1468);
    });
  },
);

describe('big blocks (maxBlksize 65464)', () => {
  let big: TestServer;
  beforeAll(async () => {
    big = await startServer({ root: root.path, maxBlksize: 65464 });
  });
  afterAll(() => big.stop());

  it.each(clientsThat((c) => c.can.blksize).map((c) => [c.name, c] as const))(
    '%s downloads at blksize 65464',
    async (_name, client) => {
      const local = scratch.file(`${client.name}-65464`);
      const r = await client.get({
        host: big.host,
        port: big.port,
        remote: 'big-blocks.bin',
        local,
        blksize: 65464,
      });
      expect(r.ok, r.summary).toBe(true);
      const expected = content.get('big-blocks.bin') as Buffer;
      expect(sha256(scratch.read(`${client.name}-65464`))).toBe(sha256(expected));
      const { started, end } = await big.outcome('big-blocks.bin');
      expect(started.options.blksize).toBe(65464);
      expect(end.type === 'session-finished' && end.stats.sha256).toBe(sha256(expected));
    },
  );
});
