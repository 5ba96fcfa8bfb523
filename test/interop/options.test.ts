// RFC 2347 option negotiation on the wire (raw client) and with atftp, the one client that asks
// for windowsize: names case-insensitive, unknown options ignored, a duplicate counted once, a
// malformed value ignored and never echoed, no OACK when nothing is granted, DATA 1 only after
// ACK 0, an ERROR 8 from the client ending the session without a reply; blksize (RFC 2348),
// timeout and tsize (RFC 2349), windowsize (RFC 7440) within their ranges and the server's caps.
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
import { expectPacket, RawClient } from '../helpers/raw-client.js';
import { rawDownload } from '../helpers/raw-transfers.js';
import { CLIENTS, clientRunsHere } from '../helpers/tftp-clients.js';
import { startServer, stopServers, type TestServer } from '../helpers/test-server.js';
import { ack, error as errorPacket, request, type WireOption } from '../helpers/tftp-wire.js';
import { settle } from '../helpers/wait.js';

const DATA = randomData(5000);
const SMALL = randomData(100);
const MEGABYTE = randomData(1024 * 1024);

let root: TempDir;
let scratch: TempDir;
/** default caps (maxBlksize 1468, maxWindowsize 64) */
let server: TestServer;
/** maxBlksize 65464, maxWindowsize 16 */
let wide: TestServer;

beforeAll(async () => {
  root = makeTempRoot({ 'data.bin': DATA, 'small.bin': SMALL, 'mega.bin': MEGABYTE });
  scratch = makeTempDir();
  server = await startServer({ root: root.path, uploads: 'overwrite' });
  wide = await startServer({ root: root.path, uploads: 'overwrite', maxBlksize: 65464, maxWindowsize: 16 });
});

afterAll(async () => {
  await stopServers();
  removeTempDirs();
});

const lower = (oack: [string, string][] | undefined) => oack?.map(([n, v]) => [n.toLowerCase(), v]);

async function read(options: readonly WireOption[], s: TestServer = server, file = 'data.bin') {
  const r = await rawDownload({ port: s.port, file, options });
  expect(r.error, `ERROR from the server: ${JSON.stringify(r.error)}`).toBeUndefined();
  expect(r.complete).toBe(true);
  const { end } = await s.outcome(file);
  expect(end.type === 'session-finished' && end.stats.sha256).toBe(sha256(r.bytes));
  return r;
}

const dataSizes = (r: Awaited<ReturnType<typeof rawDownload>>) =>
  r.received.flatMap((p) => (p.packet.op === 'data' ? [p.packet.payload.length] : []));

describe('RFC 2347 negotiation', () => {
  it('reads option names case-insensitively', async () => {
    const r = await read([
      ['BlKsIzE', '1024'],
      ['TSIZE', '0'],
    ]);
    expect(lower(r.oack)).toEqual([
      ['blksize', '1024'],
      ['tsize', '5000'],
    ]);
    expect(dataSizes(r)[0]).toBe(1024);
    expect(r.bytes.equals(DATA)).toBe(true);
  });

  it('ignores unknown options and leaves them out of the OACK', async () => {
    const r = await read([
      ['foo', '1'],
      ['blksizeX', '123'],
      ['blksize', '1024'],
    ]);
    expect(lower(r.oack)).toEqual([['blksize', '1024']]);
  });

  it('counts a duplicate option once (the first wins)', async () => {
    const r = await read([
      ['blksize', '1024'],
      ['blksize', '2048'],
      ['BLKSIZE', '8'],
    ]);
    expect(lower(r.oack)).toEqual([['blksize', '1024']]);
    expect(dataSizes(r)[0]).toBe(1024);
  });

  it.each(['abc', '1e3', '0x200', ' 512', '512abc', '-1', '', '1024 '])(
    'ignores the malformed value blksize "%s" and does not echo it',
    async (value) => {
      const r = await read([
        ['blksize', value],
        ['timeout', '2'],
      ]);
      expect(lower(r.oack)).toEqual([['timeout', '2']]);
      expect(dataSizes(r)[0]).toBe(512);
    },
  );

  it('sends no OACK when no option is granted: DATA 1 comes first, in 512-byte blocks', async () => {
    const r = await read([
      ['blksize', '7'],
      ['timeout', '0'],
      ['windowsize', '0'],
      ['foo', 'bar'],
    ]);
    expect(r.oack).toBeUndefined();
    expect(r.received[0]?.packet).toMatchObject({ op: 'data', block: 1 });
    expect(dataSizes(r)[0]).toBe(512);
    expect(r.bytes.equals(DATA)).toBe(true);
  });

  it('after an OACK on a read, sends DATA 1 only once ACK 0 arrives', async () => {
    const client = await RawClient.open();
    try {
      client.send(request('rrq', 'data.bin', 'octet', [['blksize', '1024']]), server.port);
      const oack = await client.next();
      expectPacket(oack, 'oack');
      const early = await client.collect(600);
      expect(early.filter((p) => p.packet.op === 'data')).toEqual([]);
      client.send(ack(0), oack.from.port);
      const first = await client.next();
      expect(expectPacket(first, 'data').block).toBe(1);
      expect(first.from.port).toBe(oack.from.port);
      client.send(errorPacket(0, 'enough'), oack.from.port);
    } finally {
      await client.close();
    }
  });

  it.each(['rrq', 'wrq'] as const)(
    'ends a %s quietly when the client answers the OACK with ERROR 8',
    async (kind) => {
      const file = kind === 'rrq' ? 'data.bin' : 'refused-upload.bin';
      const client = await RawClient.open();
      try {
        // timeout 1: a session still alive would resend its OACK within the 2.5 s we listen
        client.send(
          request(kind, file, 'octet', [
            ['blksize', '1024'],
            ['timeout', '1'],
          ]),
          server.port,
        );
        const oack = await client.next();
        expectPacket(oack, 'oack');
        client.send(errorPacket(8, 'Option negotiation refused'), oack.from.port);
        const { end } = await server.outcome(file);
        expect(end.type === 'session-failed' && [end.code, end.by]).toEqual([8, 'client']);
        expect(await client.collect(2500)).toEqual([]);
      } finally {
        await client.close();
      }
      expect(
        await settle(
          () => server.engine.activeSessions,
          (n) => n === 0,
        ),
      ).toBe(0);
      expect(root.list()).toEqual(['data.bin', 'mega.bin', 'small.bin']);
    },
  );
});

describe('blksize (RFC 2348)', () => {
  it('ignores 7 and 65465, the values just outside 8..65464', async () => {
    expect((await read([['blksize', '7']], wide)).oack).toBeUndefined();
    expect((await read([['blksize', '65465']], wide)).oack).toBeUndefined();
  });

  it('grants 8: a 100-byte file in thirteen blocks', async () => {
    const r = await read([['blksize', '8']], wide, 'small.bin');
    expect(lower(r.oack)).toEqual([['blksize', '8']]);
    expect(dataSizes(r)).toEqual([...Array<number>(12).fill(8), 4]);
    expect(r.bytes.equals(SMALL)).toBe(true);
  });

  it('grants 65464 when the cap allows it', async () => {
    const r = await read([['blksize', '65464']], wide, 'mega.bin');
    expect(lower(r.oack)).toEqual([['blksize', '65464']]);
    expect(sha256(r.bytes)).toBe(sha256(MEGABYTE));
  });

  it('answers the default cap 1468 to a larger request', async () => {
    const r = await read([['blksize', '4000']]);
    expect(lower(r.oack)).toEqual([['blksize', '1468']]);
    expect(dataSizes(r)[0]).toBe(1468);
  });
});

describe('timeout and tsize (RFC 2349)', () => {
  it.each([
    ['1', [['timeout', '1']]],
    ['255', [['timeout', '255']]],
    ['0', undefined],
    ['256', undefined],
  ])('timeout %s', async (value, oack) => {
    const r = await read([['timeout', value]]);
    expect(lower(r.oack)).toEqual(oack);
  });

  it.each(['0', '12345'])('answers tsize %s on a read with the real size', async (value) => {
    const r = await read([['tsize', value]]);
    expect(lower(r.oack)).toEqual([['tsize', String(DATA.length)]]);
  });
});

describe('windowsize (RFC 7440)', () => {
  it('sends a whole window of 4 blocks after ACK 0, then completes', async () => {
    const client = await RawClient.open();
    try {
      client.send(request('rrq', 'data.bin', 'octet', [['windowsize', '4']]), server.port);
      const oack = await client.next();
      expect(lower(expectPacket(oack, 'oack').options)).toEqual([['windowsize', '4']]);
      client.send(ack(0), oack.from.port);
      const window = [];
      for (let i = 0; i < 4; i++) window.push(expectPacket(await client.next(), 'data').block);
      expect(window).toEqual([1, 2, 3, 4]);
      // then nothing past the window until block 4 is acknowledged (resending the window is fine)
      const more = await client.collect(300);
      expect(more.filter((p) => p.packet.op !== 'data' || p.packet.block > 4)).toEqual([]);
      client.send(errorPacket(0, 'enough'), oack.from.port);
    } finally {
      await client.close();
    }
    const r = await read([['windowsize', '4']]);
    expect(r.bytes.equals(DATA)).toBe(true);
  });

  it.each(['0', '65536'])('ignores windowsize %s', async (value) => {
    expect((await read([['windowsize', value]])).oack).toBeUndefined();
  });

  it('caps windowsize 65535 at the server setting', async () => {
    const r = await read([['windowsize', '65535']], wide);
    expect(lower(r.oack)).toEqual([['windowsize', '16']]);
    expect(r.bytes.equals(DATA)).toBe(true);
  });
});

describe.skipIf(!clientRunsHere(CLIENTS.atftp))('atftp with options', () => {
  it.each([
    ['get', 8192, 32],
    ['put', 8192, 32],
    ['get', 1468, 1],
  ] as const)(
    '%s at blksize %i x windowsize %i completes byte-identical',
    async (dir, blksize, windowsize) => {
      const remote = dir === 'get' ? 'mega.bin' : `atftp-put-${blksize}-${windowsize}.bin`;
      const local =
        dir === 'get' ? scratch.file(`atftp-${blksize}-${windowsize}`) : scratch.write(remote, MEGABYTE);
      const s = await startServer({
        root: root.path,
        uploads: 'create',
        maxBlksize: 65464,
        maxWindowsize: 64,
      });
      const t = { host: s.host, port: s.port, remote, local, blksize, windowsize };
      const r = dir === 'get' ? await CLIENTS.atftp.get(t) : await CLIENTS.atftp.put(t);
      expect(r.ok, r.summary).toBe(true);
      expect(sha256(readFileSync(dir === 'get' ? local : root.file(remote)))).toBe(sha256(MEGABYTE));
      const { started, end } = await s.outcome(remote);
      expect(started.options).toMatchObject({ blksize, windowsize });
      expect(end.type === 'session-finished' && end.stats.sha256).toBe(sha256(MEGABYTE));
      await s.stop();
    },
  );

  it('gets windowsize 65535 capped at the server setting and the file intact', async () => {
    const local = scratch.file('atftp-capped');
    const r = await CLIENTS.atftp.get({
      host: wide.host,
      port: wide.port,
      remote: 'mega.bin',
      local,
      windowsize: 65535,
    });
    expect(r.ok, r.summary).toBe(true);
    expect(sha256(readFileSync(local))).toBe(sha256(MEGABYTE));
    const { started } = await wide.outcome('mega.bin');
    expect(started.options.windowsize).toBe(16);
  });

  it('gets tsize answered with the real size', async () => {
    const local = scratch.file('atftp-tsize');
    const r = await CLIENTS.atftp.get({
      host: server.host,
      port: server.port,
      remote: 'data.bin',
      local,
      tsize: 0,
    });
    expect(r.ok, r.summary).toBe(true);
    const { started } = await server.outcome('data.bin');
    expect(started.options.tsize).toBe(DATA.length);
    expect(readFileSync(local).equals(DATA)).toBe(true);
  });
});
