// Transfer modes: netascii converted both ways (LF <-> CR LF, CR <-> CR NUL) with the two clients
// that convert (tftp-hpa, atftp) and byte-exact on the wire with the raw client, including a CR
// as the last byte of a block; mode names are case-insensitive; `mail` and unknown modes get
// ERROR 4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { makeTempDir, makeTempRoot, removeTempDirs, sha256, type TempDir } from '../helpers/files.js';
import { crOnBoundary, toNetascii } from '../helpers/netascii-oracle.js';
import { rawDownload, rawUpload } from '../helpers/raw-transfers.js';
import { clientsThat } from '../helpers/tftp-clients.js';
import { startServer, stopServers, type TestServer } from '../helpers/test-server.js';

/** Text with many line breaks and lone CRs, so that some land on every kind of block boundary. */
function randomText(size: number): Buffer {
  const alphabet = Buffer.from('abcdefgh \n\n\r');
  const out = Buffer.alloc(size);
  for (let i = 0; i < size; i++) out[i] = alphabet[Math.floor(Math.random() * alphabet.length)] as number;
  return out;
}

const TEXTS: Record<string, Buffer> = {
  'mixed.txt': Buffer.from('line one\nline two\r\nbare CR\rend\n\n\r\r\n'),
  'lf-on-boundary.txt': crOnBoundary(512, 'lf'),
  'cr-on-boundary.txt': crOnBoundary(512, 'cr'),
  'random.txt': randomText(20_000),
};

let root: TempDir;
let scratch: TempDir;
let server: TestServer;

beforeAll(async () => {
  root = makeTempRoot(TEXTS);
  scratch = makeTempDir();
  server = await startServer({ root: root.path, uploads: 'overwrite' });
});

afterAll(async () => {
  await stopServers();
  removeTempDirs();
});

async function expectWireHash(file: string, text: Buffer, direction: 'download' | 'upload') {
  const { started, end } = await server.outcome(file);
  expect(started.mode).toBe('netascii');
  expect(started.direction).toBe(direction);
  expect(end.type).toBe('session-finished');
  // stats describe the bytes that crossed the wire, i.e. the netascii form
  expect(end.type === 'session-finished' && end.stats.sha256).toBe(sha256(toNetascii(text)));
}

describe.each(clientsThat((c) => c.can.netascii).map((c) => [c.name, c] as const))(
  '%s in netascii',
  (_name, client) => {
    it.each(Object.keys(TEXTS))('downloads %s converted back to the local text', async (name) => {
      const local = scratch.file(`${client.name}-get-${name}`);
      const r = await client.get({
        host: server.host,
        port: server.port,
        remote: name,
        local,
        mode: 'netascii',
      });
      expect(r.ok, r.summary).toBe(true);
      expect(readFileSync(local).equals(TEXTS[name] as Buffer)).toBe(true);
      await expectWireHash(name, TEXTS[name] as Buffer, 'download');
    });

    it.each(Object.keys(TEXTS))('uploads %s and the server stores the local text', async (name) => {
      const remote = `${client.name}-put-${name}`;
      const local = scratch.write(remote, TEXTS[name] as Buffer);
      const r = await client.put({ host: server.host, port: server.port, remote, local, mode: 'netascii' });
      expect(r.ok, r.summary).toBe(true);
      await expectWireHash(remote, TEXTS[name] as Buffer, 'upload');
      expect(root.read(remote).equals(TEXTS[name] as Buffer)).toBe(true);
    });
  },
);

describe('netascii on the wire (raw client)', () => {
  it.each(Object.keys(TEXTS))('sends %s as exactly its netascii form', async (name) => {
    const r = await rawDownload({ port: server.port, file: name, mode: 'netascii' });
    expect(r.complete).toBe(true);
    expect(r.bytes.equals(toNetascii(TEXTS[name] as Buffer))).toBe(true);
  });

  it.each([
    ['lf-on-boundary.txt', 0x0a],
    ['cr-on-boundary.txt', 0x00],
  ])('splits %s with CR ending block 1 and its partner starting block 2', async (name, partner) => {
    const r = await rawDownload({ port: server.port, file: name, mode: 'netascii' });
    const blocks = r.received.flatMap((p) => (p.packet.op === 'data' ? [p.packet.payload] : []));
    expect(blocks[0]?.length).toBe(512);
    expect(blocks[0]?.at(-1)).toBe(0x0d);
    expect(blocks[1]?.[0]).toBe(partner);
  });

  it.each([
    ['lf-on-boundary.txt', crOnBoundary(512, 'lf')],
    ['cr-on-boundary.txt', crOnBoundary(512, 'cr')],
    ['random.txt', TEXTS['random.txt'] as Buffer],
  ])('decodes an upload of %s whose CR pairs straddle blocks', async (name, text) => {
    const remote = `raw-${name}`;
    const r = await rawUpload({
      port: server.port,
      file: remote,
      mode: 'netascii',
      payload: toNetascii(text),
    });
    expect(r.complete).toBe(true);
    await expectWireHash(remote, text, 'upload');
    expect(root.read(remote).equals(text)).toBe(true);
  });

  it('leaves tsize out of a netascii read (the converted size is not known up front)', async () => {
    const r = await rawDownload({
      port: server.port,
      file: 'mixed.txt',
      mode: 'netascii',
      options: [['tsize', '0']],
    });
    expect(r.oack).toBeUndefined();
    expect(r.bytes.equals(toNetascii(TEXTS['mixed.txt'] as Buffer))).toBe(true);
  });
});

describe('mode names', () => {
  it.each(['octet', 'OCTET', 'Octet', 'netascii', 'NETASCII', 'NetAscii'])(
    'accepts %s on a read',
    async (mode) => {
      const r = await rawDownload({ port: server.port, file: 'mixed.txt', mode });
      const text = TEXTS['mixed.txt'] as Buffer;
      expect(r.error).toBeUndefined();
      expect(r.bytes.equals(mode.toLowerCase() === 'octet' ? text : toNetascii(text))).toBe(true);
    },
  );

  it.each(['OcTeT', 'NETascii'])('accepts %s on a write', async (mode) => {
    const r = await rawUpload({
      port: server.port,
      file: `mode-${mode}.txt`,
      mode,
      payload: Buffer.from('a\r\nb'),
    });
    expect(r.complete).toBe(true);
    expect(root.read(`mode-${mode}.txt`).toString()).toBe(mode.toLowerCase() === 'octet' ? 'a\r\nb' : 'a\nb');
  });

  it.each(['mail', 'MAIL', 'binary', 'netascXX', 'octet '])(
    'answers ERROR 4 to mode "%s" on a read and a write',
    async (mode) => {
      const read = await rawDownload({ port: server.port, file: 'mixed.txt', mode });
      expect(read.error?.code).toBe(4);
      expect(read.dataPackets).toBe(0);
      const write = await rawUpload({
        port: server.port,
        file: 'mode-refused.txt',
        mode,
        payload: Buffer.from('x'),
      });
      expect(write.error?.code).toBe(4);
      expect(root.list()).not.toContain('mode-refused.txt');
    },
  );
});
