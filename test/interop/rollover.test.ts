// Block numbers wrap: a 40 MB file at blksize 512 takes 81,920 blocks, past 65,535, so block 0
// follows block 65,535 (tftp-hpa 0.24 and 5.1 broke this; atftp and rs-tftpd test it). Checked
// with curl (blksize option) and tftp-hpa (plain RFC 1350, no options) downloading, and curl
// uploading.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  makeTempDir,
  makeTempRoot,
  randomData,
  removeTempDirs,
  sha256,
  type TempDir,
} from '../helpers/files.js';
import { CLIENTS, clientRunsHere, type TftpClient } from '../helpers/tftp-clients.js';
import { startServer, stopServers, type TestServer } from '../helpers/test-server.js';

const SIZE = 40 * 1024 * 1024;
const BLOCKS = SIZE / 512 + 1; // a multiple of 512: an empty last block
let big: Buffer;
let hash: string;
let root: TempDir;
let scratch: TempDir;
let server: TestServer;

beforeAll(async () => {
  big = randomData(SIZE);
  hash = sha256(big);
  root = makeTempRoot({ 'big.bin': big });
  scratch = makeTempDir();
  server = await startServer({ root: root.path, uploads: 'create' });
});

afterAll(async () => {
  await stopServers();
  removeTempDirs();
});

it('needs more than 65,535 blocks', () => {
  expect(BLOCKS).toBeGreaterThan(65_536);
});

it.each(
  (
    [
      ['curl', CLIENTS.curl, 512],
      ['tftp-hpa', CLIENTS['tftp-hpa'], undefined],
    ] as [string, TftpClient, number | undefined][]
  ).filter(([, client]) => clientRunsHere(client)),
)('%s downloads 40 MB at blksize 512 byte-identical', async (_name, client, blksize) => {
  const local = scratch.file(`${client.name}-big.bin`);
  const r = await client.get({
    host: server.host,
    port: server.port,
    remote: 'big.bin',
    local,
    blksize,
    timeoutMs: 90_000,
  });
  expect(r.ok, `${r.summary}\nengine events:\n${server.story()}`).toBe(true);
  expect(sha256(readFileSync(local))).toBe(hash);
  const { started, end } = await server.outcome('big.bin');
  expect(started.options.blksize).toBe(512);
  expect(end.type === 'session-finished' && end.stats).toMatchObject({ sha256: hash, bytes: SIZE });
  scratch.remove(); // 40 MB is enough on disk at a time
  scratch = makeTempDir();
});

it('curl uploads 40 MB at blksize 512 byte-identical', async () => {
  const local = scratch.write('up.bin', big);
  const r = await CLIENTS.curl.put({
    host: server.host,
    port: server.port,
    remote: 'up.bin',
    local,
    blksize: 512,
    timeoutMs: 90_000,
  });
  expect(r.ok, `${r.summary}\nengine events:\n${server.story()}`).toBe(true);
  const { started, end } = await server.outcome('up.bin');
  expect(started.options.blksize).toBe(512);
  expect(end.type === 'session-finished' && end.stats).toMatchObject({ sha256: hash, bytes: SIZE });
  expect(sha256(root.read('up.bin'))).toBe(hash);
});
