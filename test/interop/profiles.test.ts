// Device profiles on the wire: each built-in profile changes what the server sends exactly as its
// description says, checked byte for byte on the OACK (or its absence) with the raw client, and a
// real client still completes byte-identical under a profile. Rules match by address (one server
// per profile, matching the loopback range) and by the client a request looks like.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  makeTempDir,
  makeTempRoot,
  randomData,
  removeTempDirs,
  sha256,
  type TempDir,
} from '../helpers/files.js';
import { RawClient, type Received } from '../helpers/raw-client.js';
import { rawDownload } from '../helpers/raw-transfers.js';
import { CLIENTS, clientRunsHere } from '../helpers/tftp-clients.js';
import { startServer, stopServers, type TestServer } from '../helpers/test-server.js';
import { request, type WireOption } from '../helpers/tftp-wire.js';

const DATA = randomData(5000);

let root: TempDir;
let scratch: TempDir;
const servers: Record<string, TestServer> = {};

beforeAll(async () => {
  root = makeTempRoot({ 'data.bin': DATA, 'empty.bin': Buffer.alloc(0) });
  scratch = makeTempDir();
  for (const id of ['plain-rfc1350', 'old-u-boot', 'strict-pxe', 'no-tsize', 'cisco-rommon']) {
    servers[id] = await startServer({
      root: root.path,
      uploads: 'overwrite',
      profiles: [{ match: '127.0.0.0/8', profile: id }],
    });
  }
  servers.none = await startServer({ root: root.path });
  servers.byClient = await startServer({
    root: root.path,
    profiles: [
      { match: '10.0.0.0/8', profile: 'plain-rfc1350' }, // never loopback: skipped
      { match: 'client:u-boot', profile: 'old-u-boot' },
      { match: 'client:u-boot', profile: 'plain-rfc1350' }, // shadowed: the first match wins
    ],
  });
});

afterAll(async () => {
  await stopServers();
  removeTempDirs();
});

const server = (id: string): TestServer => servers[id] as TestServer;

/** An OACK as RFC 2347 lays it out: | 00 06 | name | 0 | value | 0 | ... */
function oackBytes(...options: WireOption[]): Buffer {
  return Buffer.concat([Buffer.from([0, 6]), ...options.flat().map((s) => Buffer.from(`${s}\0`, 'latin1'))]);
}

/** The server's first answer to one RRQ/WRQ (the session is left to time out). */
async function firstAnswer(
  s: TestServer,
  kind: 'rrq' | 'wrq',
  file: string,
  options: readonly WireOption[],
): Promise<Received> {
  const client = await RawClient.open();
  try {
    client.send(request(kind, file, 'octet', options), s.port);
    return await client.next();
  } finally {
    await client.close();
  }
}

/** A whole download with these options: its first answer's bytes, and the file byte-identical. */
async function download(s: TestServer, options: readonly WireOption[], file = 'data.bin') {
  const r = await rawDownload({ port: s.port, file, options });
  expect(r.error, JSON.stringify(r.error)).toBeUndefined();
  expect(r.complete).toBe(true);
  const { started, end } = await s.outcome(file);
  expect(end.type === 'session-finished' && end.stats.sha256).toBe(sha256(r.bytes));
  return { first: (r.received[0] as Received).raw, r, started };
}

// U-Boot net/tftp.c tftp_send(): timeout, tsize, blksize, windowsize, all lower case.
const U_BOOT: WireOption[] = [
  ['timeout', '5'],
  ['tsize', '0'],
  ['blksize', '1468'],
  ['windowsize', '8'],
];

describe('plain RFC 1350 profile', () => {
  it('answers an RRQ with options with DATA 1 of 512 bytes, no OACK', async () => {
    const { first, r, started } = await download(server('plain-rfc1350'), U_BOOT);
    expect(first.subarray(0, 4)).toEqual(Buffer.from([0, 3, 0, 1]));
    expect(first.length).toBe(4 + 512);
    expect(r.oack).toBeUndefined();
    expect(r.bytes.equals(DATA)).toBe(true);
    expect(started.profile).toBe('plain-rfc1350');
    expect(started.options).toMatchObject({ blksize: 512, windowsize: 1, timeout: 3 });
  });

  it('answers a WRQ with tsize with ACK 0, no OACK', async () => {
    const answer = await firstAnswer(server('plain-rfc1350'), 'wrq', 'up.bin', [
      ['tsize', '10'],
      ['blksize', '1024'],
    ]);
    expect(answer.raw).toEqual(Buffer.from([0, 4, 0, 0]));
  });

  it('Cisco ROMMON is answered the same way', async () => {
    const { first, r } = await download(server('cisco-rommon'), [['blksize', '1024']]);
    expect(first.subarray(0, 4)).toEqual(Buffer.from([0, 3, 0, 1]));
    expect(r.oack).toBeUndefined();
  });
});

describe('old U-Boot profile', () => {
  it('grants timeout as asked, the size and blksize, and no windowsize', async () => {
    const { first, started } = await download(server('old-u-boot'), U_BOOT);
    expect(first).toEqual(oackBytes(['timeout', '5'], ['tsize', '5000'], ['blksize', '1468']));
    expect(started.profile).toBe('old-u-boot');
    expect(started.options).toMatchObject({ blksize: 1468, windowsize: 1, timeout: 5 });
  });

  it('echoes option names as the client spelled them; without a profile they are lower-cased', async () => {
    const asked: WireOption[] = [
      ['Timeout', '7'],
      ['BLKSIZE', '1024'],
    ];
    const { first } = await download(server('old-u-boot'), asked);
    expect(first).toEqual(oackBytes(['Timeout', '7'], ['BLKSIZE', '1024']));
    const plain = await download(server('none'), asked);
    expect(plain.first).toEqual(oackBytes(['timeout', '7'], ['blksize', '1024']));
  });

  it('never grants a blksize other than asked: one above its cap is left out, blocks stay 512', async () => {
    const { first, r } = await download(server('old-u-boot'), [
      ['timeout', '5'],
      ['blksize', '4096'],
    ]);
    expect(first).toEqual(oackBytes(['timeout', '5']));
    const sizes = r.received.flatMap((p) => (p.packet.op === 'data' ? [p.packet.payload.length] : []));
    expect(sizes[0]).toBe(512);
  });

  it('is chosen by the fingerprint: a U-Boot-shaped request gets it, a curl-shaped one does not', async () => {
    const uBoot = await download(server('byClient'), U_BOOT);
    expect(uBoot.first).toEqual(oackBytes(['timeout', '5'], ['tsize', '5000'], ['blksize', '1468']));
    expect(uBoot.started.profile).toBe('old-u-boot');
    const curlShaped = await download(server('byClient'), [
      ['tsize', '0'],
      ['blksize', '1468'],
      ['timeout', '6'],
    ]);
    expect(curlShaped.first).toEqual(oackBytes(['tsize', '5000'], ['blksize', '1468'], ['timeout', '6']));
    expect(curlShaped.started.profile).toBeUndefined();
  });
});

describe('strict PXE profile', () => {
  it('grants a blksize at or below 1456 as asked', async () => {
    const { first } = await download(server('strict-pxe'), [
      ['tsize', '0'],
      ['blksize', '1408'],
    ]);
    expect(first).toEqual(oackBytes(['tsize', '5000'], ['blksize', '1408']));
  });

  it('leaves out a blksize above 1456 and any windowsize (the same request gets both elsewhere)', async () => {
    const asked: WireOption[] = [
      ['tsize', '0'],
      ['blksize', '1468'],
      ['windowsize', '4'],
    ];
    const { first } = await download(server('strict-pxe'), asked);
    expect(first).toEqual(oackBytes(['tsize', '5000']));
    const plain = await download(server('none'), asked);
    expect(plain.first).toEqual(oackBytes(['tsize', '5000'], ['blksize', '1468'], ['windowsize', '4']));
  });
});

describe('no tsize profile', () => {
  it('never answers tsize on a read', async () => {
    const { first } = await download(server('no-tsize'), [
      ['tsize', '0'],
      ['blksize', '1024'],
    ]);
    expect(first).toEqual(oackBytes(['blksize', '1024']));
  });

  it('never acknowledges a declared tsize on a write: ACK 0 when nothing else is asked', async () => {
    const answer = await firstAnswer(server('no-tsize'), 'wrq', 'up2.bin', [['tsize', '10']]);
    expect(answer.raw).toEqual(Buffer.from([0, 4, 0, 0]));
  });

  it('a client that only asked for tsize gets DATA 1 straight away', async () => {
    const { first, r } = await download(server('no-tsize'), [['tsize', '0']]);
    expect(first.subarray(0, 4)).toEqual(Buffer.from([0, 3, 0, 1]));
    expect(r.bytes.equals(DATA)).toBe(true);
  });
});

describe('real clients under a profile', () => {
  const curl = CLIENTS.curl;
  it.runIf(clientRunsHere(curl))(
    'curl with blksize 1468 under strict PXE: byte-identical at 512',
    async () => {
      const local = join(scratch.path, 'curl-pxe.bin');
      const res = await curl.get({
        host: '127.0.0.1',
        port: server('strict-pxe').port,
        remote: 'data.bin',
        local,
        blksize: 1468,
      });
      expect(res.ok, res.summary).toBe(true);
      expect(readFileSync(local).equals(DATA)).toBe(true);
      const { started } = await server('strict-pxe').outcome('data.bin');
      expect(started.profile).toBe('strict-pxe');
      expect(started.options.blksize).toBe(512);
    },
  );

  it.runIf(clientRunsHere(curl))('curl asking for options under plain RFC 1350: byte-identical', async () => {
    const local = join(scratch.path, 'curl-plain.bin');
    const res = await curl.get({
      host: '127.0.0.1',
      port: server('plain-rfc1350').port,
      remote: 'data.bin',
      local,
      blksize: 1024,
    });
    expect(res.ok, res.summary).toBe(true);
    expect(readFileSync(local).equals(DATA)).toBe(true);
  });

  const hpa = CLIENTS['tftp-hpa'];
  it.runIf(clientRunsHere(hpa))('tftp-hpa under old U-Boot: byte-identical', async () => {
    const local = join(scratch.path, 'hpa.bin');
    const res = await hpa.get({
      host: '127.0.0.1',
      port: server('old-u-boot').port,
      remote: 'data.bin',
      local,
    });
    expect(res.ok, res.summary).toBe(true);
    expect(readFileSync(local).equals(DATA)).toBe(true);
  });
});
