// The client (tftpGet, tftpPut) against our own engine on loopback: every option, windows both
// ways, netascii both ways, the server's ERROR answers, a put of a missing file, and a cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tftpGet, tftpPut, TftpClientError } from '../../electron/tftp/index.js';
import type { ClientProgress } from '../../shared/tftp-client.js';
import { makeTempDir, makeTempRoot, randomData, sha256, type TempDir } from '../helpers/files.js';
import { startServer, stopServers, type TestServer } from '../helpers/test-server.js';

let root: TempDir;
let local: TempDir;
let server: TestServer;
const big = randomData(3_000_000);
const text = 'line one\nline two\r\nbare\rcr\n'.repeat(500);

beforeAll(async () => {
  root = makeTempRoot({
    'big.bin': big,
    'text.txt': text,
    'exact.bin': randomData(1468 * 4),
    'empty.bin': '',
  });
  local = makeTempDir();
  server = await startServer({ root: root.path, uploads: 'overwrite', maxWindowsize: 64, maxBlksize: 65464 });
});
afterAll(async () => {
  await stopServers();
  root?.remove();
  local?.remove();
});

async function failure(p: Promise<unknown>): Promise<TftpClientError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TftpClientError);
  return err as TftpClientError;
}

const at = () => ({ host: server.host, port: server.port });

describe('tftpGet from our engine', () => {
  it.each([
    ['defaults (blksize 1468, tsize)', {}, 1468, 1],
    ['blksize 512 asks for no blksize', { blksize: 512 }, 512, 1],
    ['blksize 8192', { blksize: 8192 }, 8192, 1],
    ['windowsize 16', { windowsize: 16 }, 1468, 16],
    ['no options', { noOptions: true }, 512, 1],
    ['timeout 2', { timeoutSeconds: 2 }, 1468, 1],
  ])('%s', async (_label, extra, blksize, windowsize) => {
    const out = local.file(`big-${blksize}-${windowsize}-${_label.length}.bin`);
    const r = await tftpGet({ ...at(), remoteName: 'big.bin', localPath: out, ...extra });
    expect(sha256(local.read(out.slice(local.path.length + 1)))).toBe(sha256(big));
    expect(r.sha256).toBe(sha256(big));
    expect(r.bytes).toBe(big.length);
    expect(r.options.blksize).toBe(blksize);
    expect(r.options.windowsize).toBe(windowsize);
    if ('noOptions' in extra) expect(r.options.acknowledged).toBe(false);
    else expect(r.options.tsize).toBe(big.length);
    if ('timeoutSeconds' in extra) expect(r.options.timeout).toBe(2);
  });

  it('a file of whole blocks and an empty file', async () => {
    const exact = await tftpGet({ ...at(), remoteName: 'exact.bin', localPath: local.file('exact.bin') });
    expect(exact.sha256).toBe(sha256(root.read('exact.bin')));
    const empty = await tftpGet({ ...at(), remoteName: 'empty.bin', localPath: local.file('empty.bin') });
    expect(empty.bytes).toBe(0);
    expect(local.read('empty.bin').length).toBe(0);
  });

  it('netascii turns CR LF back into LF and CR NUL into CR', async () => {
    const r = await tftpGet({
      ...at(),
      remoteName: 'text.txt',
      localPath: local.file('text.txt'),
      mode: 'netascii',
    });
    expect(local.read('text.txt').toString('latin1')).toBe(text);
    expect(r.bytes).toBe(Buffer.byteLength(text));
  });

  it('file not found: REFUSED with the server code and message, no file left, an existing file kept', async () => {
    local.write('keep.bin', 'precious');
    const err = await failure(
      tftpGet({ ...at(), remoteName: 'nope.bin', localPath: local.file('keep.bin') }),
    );
    expect(err.code).toBe('REFUSED');
    expect(err.server?.code).toBe(1);
    expect(local.read('keep.bin').toString()).toBe('precious');
    expect(local.list().filter((n) => n.includes('keep.bin'))).toEqual(['keep.bin']);
  });

  it('a cancel mid-transfer: ABORTED, no partial file', async () => {
    const controller = new AbortController();
    const name = 'cancelled.bin';
    const p = tftpGet({
      ...at(),
      remoteName: 'big.bin',
      localPath: local.file(name),
      blksize: 512,
      signal: controller.signal,
      onProgress: (pr) => {
        if (pr.bytes > 100_000) controller.abort();
      },
    });
    expect((await failure(p)).code).toBe('ABORTED');
    expect(local.list().filter((n) => n.includes(name))).toEqual([]);
  });
});

describe('tftpPut to our engine', () => {
  it.each([
    ['defaults', {}],
    ['windowsize 8, blksize 4096', { windowsize: 8, blksize: 4096 }],
    ['no options', { noOptions: true }],
  ])('%s', async (label, extra) => {
    const name = `up-${label.length}.bin`;
    const reports: ClientProgress[] = [];
    const r = await tftpPut({
      ...at(),
      remoteName: name,
      localPath: root.file('big.bin'),
      onProgress: (p) => reports.push(p),
      ...extra,
    });
    expect(r.sha256).toBe(sha256(big));
    // the last report is the final one: every byte, and the resends the result counts
    expect(reports.at(-1)).toMatchObject({ bytes: big.length, retransmits: r.retransmits });
    expect(sha256(root.read(name))).toBe(sha256(big));
    const { end } = await server.outcome(name);
    expect(end.type).toBe('session-finished');
  });

  it('netascii sends LF as CR LF', async () => {
    const src = local.write('src.txt', text);
    await tftpPut({ ...at(), remoteName: 'up.txt', localPath: src, mode: 'netascii' });
    expect(root.read('up.txt').toString('latin1')).toBe(text);
  });

  it('a missing local file or a folder fails (LOCAL_NOT_FOUND, LOCAL_FILE) before anything is sent', async () => {
    server.clearEvents();
    const err = await failure(
      tftpPut({ ...at(), remoteName: 'x.bin', localPath: local.file('missing.bin') }),
    );
    expect(err.code).toBe('LOCAL_NOT_FOUND');
    const folder = await failure(tftpPut({ ...at(), remoteName: 'x.bin', localPath: local.path }));
    expect(folder.code).toBe('LOCAL_FILE');
    expect(server.events.filter((e) => e.type === 'session-started')).toEqual([]);
  });
});
