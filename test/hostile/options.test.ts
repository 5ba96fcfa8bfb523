// Catalogue C1-C14: hostile option negotiation. Invalid or unknown options are left out of the
// OACK (no OACK at all when nothing is left), never fatal; the transfer then runs at what was
// granted and must come back byte-identical. Each row ends with the control download.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomData } from '../helpers/files.js';
import { RawClient } from '../helpers/raw-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { error as errorPacket, packetSummary } from '../helpers/tftp-wire.js';
import { download, pause } from './support/download.js';
import { makeJail, type Jail } from './support/jail.js';
import { CONTROL_NAME, err, expectAnswer, expectControl, probe } from './support/probe.js';
import { rawRequest } from './support/requests.js';

const control = randomData(3000);
const file = randomData(3000);
let jail: Jail;
let server: TestServer;

beforeAll(async () => {
  jail = makeJail({ [CONTROL_NAME]: control, 'c.bin': file });
  server = await startServer({
    root: jail.root,
    uploads: 'overwrite',
    maxRequestsPerSecond: 100_000,
    maxUploadBytes: 1_000_000,
  });
});
afterAll(async () => {
  await server?.stop();
  jail?.remove();
});

type Opt = readonly [string, string];
const SIZE = String(file.length);

// [row, options sent, OACK expected (undefined: none at all), block size of the transfer]
const rows: [string, Opt[], [string, string][] | undefined, number][] = [
  ['C1', [['blksize', '7']], undefined, 512],
  ['C1', [['blksize', '0']], undefined, 512],
  ['C1', [['blksize', '-1']], undefined, 512],
  ['C2', [['blksize', '65465']], undefined, 512],
  ['C2', [['blksize', '99999999999']], undefined, 512],
  ['C2', [['blksize', '65464']], [['blksize', '1468']], 1468],
  [
    'C3',
    [
      ['blksize', '8'],
      ['timeout', '1'],
      ['tsize', '0'],
      ['windowsize', '4'],
    ],
    [
      ['blksize', '8'],
      ['timeout', '1'],
      ['tsize', SIZE],
      ['windowsize', '4'],
    ],
    8,
  ],
  ['C4', [['blksize', 'abc']], undefined, 512],
  ['C4', [['blksize', '1e3']], undefined, 512],
  ['C4', [['blksize', '0x200']], undefined, 512],
  ['C4', [['blksize', ' 512']], undefined, 512],
  ['C4', [['blksize', '512abc']], undefined, 512],
  [
    'C5',
    [
      ['blksize', '1024'],
      ['blksize', '8'],
    ],
    [['blksize', '1024']],
    1024,
  ],
  [
    'C7',
    [
      ['foo', '1'],
      ['blksizeX', '123'],
    ],
    undefined,
    512,
  ],
  ['C8', [['BlKsIzE', '1024']], [['blksize', '1024']], 1024],
  ['C9', [['timeout', '0']], undefined, 512],
  ['C9', [['timeout', '256']], undefined, 512],
  ['C9', [['timeout', '-5']], undefined, 512],
  ['C10', [['tsize', '12345']], [['tsize', SIZE]], 512],
  ['C12', [['tsize', '99999999999999999999']], undefined, 512],
  ['C12', [['tsize', '-1']], undefined, 512],
  ['C12', [['tsize', '9007199254740993']], undefined, 512],
  ['C13', [['windowsize', '0']], undefined, 512],
  ['C13', [['windowsize', '65536']], undefined, 512],
  ['C13', [['windowsize', '1000']], [['windowsize', '64']], 512],
];

describe('C: option negotiation on a read', () => {
  it.each(rows)('%s %j', async (_id, options, oack, blksize) => {
    const r = await download({ port: server.port, file: 'c.bin', options });
    expect(r.error).toBeUndefined();
    expect(r.oack).toEqual(oack);
    const first = r.received.find((x) => x.packet.op === 'data');
    expect(first?.packet.op === 'data' && first.packet.payload.length).toBe(blksize);
    expect(r.complete).toBe(true);
    expect(r.bytes.equals(file)).toBe(true);
    await expectControl(server.port, control);
  });

  it('C6 an option name without a value is a malformed request: ERR 4', async () => {
    for (const kind of [1, 2]) {
      const packet = Buffer.concat([Buffer.from([0, kind]), Buffer.from('c.bin\0octet\0blksize\0')]);
      expectAnswer(await probe(server.port, packet), err(4), `C6 opcode ${kind}`);
    }
    await expectControl(server.port, control);
  });

  it('C14 100 options: each granted name once, the OACK fits in 512 bytes', async () => {
    const names = ['blksize', 'tsize', 'timeout', 'windowsize', 'foo', 'BLKSIZE'];
    const options: Opt[] = Array.from({ length: 100 }, (_, i) => [names[i % names.length] as string, '8']);
    const request = rawRequest('rrq', 'c.bin', 'octet', options);
    expect(request.length).toBeLessThanOrEqual(1468);
    const r = await download({ port: server.port, file: 'c.bin', options });
    expect(r.error).toBeUndefined();
    const oackPacket = r.received.find((x) => x.packet.op === 'oack');
    expect(oackPacket?.raw.length).toBeLessThanOrEqual(512);
    const granted = (r.oack ?? []).map(([n]) => n);
    expect(new Set(granted).size).toBe(granted.length);
    expect(granted.sort()).toEqual(['blksize', 'timeout', 'tsize', 'windowsize']);
    expect(r.bytes.equals(file)).toBe(true);
    await expectControl(server.port, control);
  });
});

/** The server's first answer to a WRQ, after which the client abandons the upload politely. */
async function firstAnswerToWrq(port: number, options: Opt[]) {
  const client = await RawClient.open();
  try {
    client.send(rawRequest('wrq', `up-${Math.random().toString(36).slice(2)}.bin`, 'octet', options), port);
    const first = await client.next(3000);
    const more = await client.collect(200);
    if (first.packet.op !== 'error') client.send(errorPacket(0, 'abandoned'), first.from.port);
    await pause(20); // let the ERROR leave before the socket closes
    return { first, more };
  } finally {
    client.close();
  }
}

describe('C: option negotiation on a write', () => {
  it('C11 a declared tsize over the upload limit: ERR 3 before any DATA', async () => {
    const { first, more } = await firstAnswerToWrq(server.port, [['tsize', '2000000']]);
    expect(packetSummary(first.packet)).toMatch(/^ERROR 3 /);
    expect(more).toHaveLength(0);
    await expectControl(server.port, control);
  });

  it('C11 a declared tsize over the free disk space: ERR 3 before any DATA', async () => {
    const big = await startServer({
      root: jail.root,
      uploads: 'overwrite',
      maxUploadBytes: Number.MAX_SAFE_INTEGER,
    });
    try {
      const { first } = await firstAnswerToWrq(big.port, [['tsize', '9000000000000000']]);
      expect(packetSummary(first.packet)).toMatch(/^ERROR 3 /);
    } finally {
      await big.stop();
    }
    expect(jail.listRoot().filter((n) => n.startsWith('.'))).toEqual([]);
  });

  it.each([['99999999999999999999'], ['-1'], ['9007199254740993']])(
    'C12 tsize %s on a WRQ: left out (ACK 0, or an OACK without tsize) or ERR 8',
    async (value) => {
      const { first } = await firstAnswerToWrq(server.port, [['tsize', value]]);
      const summary = packetSummary(first.packet);
      if (first.packet.op === 'oack') expect(first.packet.options.map(([n]) => n)).not.toContain('tsize');
      else expect(summary).toMatch(/^(ACK 0|ERROR 8 .*)$/);
      await expectControl(server.port, control);
    },
  );
});
