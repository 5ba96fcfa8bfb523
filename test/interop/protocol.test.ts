// RFC 1350 transfer rules seen from outside: duplicate ACKs never cause extra DATA (Sorcerer's
// Apprentice, RFC 1123 section 4.2.3.1), a packet from an unknown TID gets ERROR 5 while the
// transfer goes on (RFC 1350 section 4), and the error codes for a missing file (1) and a name
// that escapes the root (2), on the wire and as the real clients report them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, randomData, removeTempDirs, sha256, type TempDir } from '../helpers/files.js';
import { expectPacket, RawClient } from '../helpers/raw-client.js';
import { rawDownload, rawUpload } from '../helpers/raw-transfers.js';
import { ALL_CLIENTS, CLIENTS } from '../helpers/tftp-clients.js';
import { startServer, stopServers, type TestServer } from '../helpers/test-server.js';
import { ack, data, request } from '../helpers/tftp-wire.js';

const BLOCKS = 400;
const FILE = randomData(BLOCKS * 512 + 100); // 401 blocks, the last one short
const SECRET = 'not for TFTP clients\n';
/**
 * The engine resends on an adaptive timer with a floor of tens of milliseconds, so a busy CI machine may resend a
 * few blocks legitimately; with the Sorcerer's Apprentice bug there would be hundreds of extras.
 */
const MAX_TIMER_RESENDS = 20;

let base: TempDir;
let root: string;
let scratch: TempDir;
let server: TestServer;

beforeAll(async () => {
  // base/secret.txt sits beside the served folder base/root
  base = makeTempDir('tftp-desk-escape-');
  base.write('secret.txt', SECRET);
  base.write('root/data.bin', FILE);
  root = base.file('root');
  scratch = makeTempDir();
  server = await startServer({ root, uploads: 'create' });
});

afterAll(async () => {
  await stopServers();
  removeTempDirs();
});

describe("Sorcerer's Apprentice", () => {
  it('sends each DATA block exactly once when every block is acknowledged twice', async () => {
    const r = await rawDownload({ port: server.port, file: 'data.bin', ackCopies: 2 });
    expect(r.complete).toBe(true);
    expect(sha256(r.bytes)).toBe(sha256(FILE));
    const { end } = await server.outcome('data.bin');
    expect(end.type).toBe('session-finished');
    const retransmits = end.type === 'session-finished' ? end.stats.retransmits : -1;
    // every extra DATA must be a timer resend, counted in stats.retransmits
    expect(retransmits).toBeLessThanOrEqual(MAX_TIMER_RESENDS);
    // (a resend of the last block that crosses the final ACK arrives after the client has gone)
    expect(r.dataPackets - (BLOCKS + 1)).toBeGreaterThanOrEqual(0);
    expect(r.dataPackets - (BLOCKS + 1)).toBeLessThanOrEqual(retransmits);
    expect(end.type === 'session-finished' && end.stats.sha256).toBe(sha256(FILE));
  });

  it('sends nothing more after the last duplicate ACK', async () => {
    const client = await RawClient.open();
    let extra = 0;
    try {
      client.send(request('rrq', 'data.bin'), server.port);
      for (let block = 1; block <= BLOCKS + 1 && extra <= MAX_TIMER_RESENDS;) {
        const r = await client.next();
        if (expectPacket(r, 'data').block !== block) {
          extra++;
          continue;
        }
        client.send(ack(block), r.from.port);
        client.send(ack(block), r.from.port);
        block++;
      }
      // only a timer resend that crossed the last ACK may still arrive; nothing new, no ERROR
      const after = await client.collect(500);
      expect(
        after.filter((p) => p.packet.op !== 'data' || p.packet.block !== ((BLOCKS + 1) & 0xffff)),
      ).toEqual([]);
      extra += after.length;
    } finally {
      await client.close();
    }
    const { end } = await server.outcome('data.bin');
    expect(end.type === 'session-finished' && extra).toBe(
      end.type === 'session-finished' && end.stats.retransmits,
    );
  });
});

describe('unknown transfer ID', () => {
  it('answers a stranger on a download port with ERROR 5 and finishes the download', async () => {
    const stranger = await RawClient.open();
    const replies: string[] = [];
    try {
      const r = await rawDownload({
        port: server.port,
        file: 'data.bin',
        onBlock: async (block, tid) => {
          if (block !== 5) return;
          stranger.send(ack(5), tid);
          const reply = await stranger.next();
          const e = expectPacket(reply, 'error');
          replies.push(`${e.code}`);
          expect(reply.from.port).toBe(tid);
        },
      });
      expect(replies).toEqual(['5']);
      expect(r.complete).toBe(true);
      expect(sha256(r.bytes)).toBe(sha256(FILE));
      const { end } = await server.outcome('data.bin');
      expect(end.type === 'session-finished' && end.stats.sha256).toBe(sha256(FILE));
    } finally {
      await stranger.close();
    }
  });

  it('answers a stranger on an upload port with ERROR 5 and keeps only the real data', async () => {
    const stranger = await RawClient.open();
    const payload = randomData(10 * 512 + 10);
    try {
      const r = await rawUpload({
        port: server.port,
        file: 'tid-upload.bin',
        payload,
        onAck: async (block, tid) => {
          if (block !== 3) return;
          stranger.send(data(4, Buffer.alloc(512, 0x66)), tid);
          expect(expectPacket(await stranger.next(), 'error').code).toBe(5);
        },
      });
      expect(r.complete).toBe(true);
      const { end } = await server.outcome('tid-upload.bin');
      expect(end.type === 'session-finished' && end.stats.sha256).toBe(sha256(payload));
      expect(sha256(base.read('root/tid-upload.bin'))).toBe(sha256(payload));
    } finally {
      await stranger.close();
    }
  });
});

describe('error codes', () => {
  it('answers ERROR 1 for a missing file', async () => {
    const r = await rawDownload({ port: server.port, file: 'missing.bin' });
    expect(r.error?.code).toBe(1);
    expect(r.received).toHaveLength(1);
  });

  it.each(['../secret.txt', 'sub/../../secret.txt', '..\\secret.txt'])(
    'answers ERROR 2 to a read of %s',
    async (name) => {
      const r = await rawDownload({ port: server.port, file: name });
      expect(r.error?.code).toBe(2);
      expect(r.bytes.length).toBe(0);
    },
  );

  it('answers ERROR 2 to a write of ../evil.txt and creates nothing outside the root', async () => {
    const r = await rawUpload({ port: server.port, file: '../evil.txt', payload: Buffer.from('x') });
    expect(r.error?.code).toBe(2);
    expect(existsSync(join(base.path, 'evil.txt'))).toBe(false);
  });

  describe.each(ALL_CLIENTS.map((c) => [c.name, c] as const))('%s', (_name, client) => {
    it('fails on a missing file, the server reporting ERROR 1', async () => {
      const local = scratch.file(`${client.name}-missing`);
      const r = await client.get({ host: server.host, port: server.port, remote: 'missing.bin', local });
      expect(r.ok, r.summary).toBe(false);
      const { end } = await server.outcome('missing.bin');
      expect(end.type === 'session-failed' && end.code).toBe(1);
      if (client === CLIENTS.curl) expect(r.code).toBe(68); // CURLE_TFTP_NOTFOUND
    });

    it('fails on ../secret.txt, the server reporting ERROR 2', async () => {
      const local = scratch.file(`${client.name}-escape`);
      // (curl gets it as ..%2Fsecret.txt, which it decodes, so its own dot-segment removal leaves it alone)
      const r = await client.get({ host: server.host, port: server.port, remote: '../secret.txt', local });
      expect(r.ok, r.summary).toBe(false);
      const { end } = await server.outcome('../secret.txt');
      expect(end.type === 'session-failed' && end.code).toBe(2);
      if (client === CLIENTS.curl) expect(r.code).toBe(69); // CURLE_TFTP_PERM
    });
  });
});
