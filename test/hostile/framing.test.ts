// Catalogue A1-A10: hostile framing on the listening port. Each row sends its datagram from a
// fresh socket and expects silence or exactly one ERROR; then the server must still serve a
// control download byte-identical, and nothing outside the root may have changed.
import { createSocket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomData } from '../helpers/files.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { request } from '../helpers/tftp-wire.js';
import { download } from './support/download.js';
import { makeJail, type Jail } from './support/jail.js';
import {
  CONTROL_NAME,
  DROP,
  err,
  expectAnswer,
  expectControl,
  expectJailUntouched,
  probe,
  type Answer,
} from './support/probe.js';

const control = randomData(3000);
let jail: Jail;
let server: TestServer;

beforeAll(async () => {
  jail = makeJail({ [CONTROL_NAME]: control, 'ok.txt': 'ok\n' });
  server = await startServer({ root: jail.root, uploads: 'overwrite', maxRequestsPerSecond: 100_000 });
});
afterAll(async () => {
  await server?.stop();
  jail?.remove();
});

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));
const op = (n: number) => [n >> 8, n & 0xff];

const rows: [id: string, label: string, packet: Buffer, answer: Answer][] = [
  ['A1', '0-byte datagram', Buffer.alloc(0), DROP],
  ['A1', '1-byte datagram', Buffer.from([0]), DROP],
  ['A2', 'RRQ opcode alone (00 01)', bytes(op(1)), err(4)],
  ['A2', 'WRQ opcode alone (00 02)', bytes(op(2)), err(4)],
  ['A3', 'ACK 1 to the listening port', bytes(op(4), [0, 1]), DROP],
  ['A3', 'ACK without block (00 04)', bytes(op(4)), DROP],
  ['A3', 'DATA 1 to the listening port', bytes(op(3), [0, 1], 'xyz'), DROP],
  ['A3', 'OACK to the listening port', bytes(op(6), 'blksize\x00512\0'), DROP],
  ['A3', 'ERROR to the listening port', bytes(op(5), [0, 1], 'File not found\0'), DROP],
  ['A3', 'bare ERROR (00 05)', bytes(op(5)), DROP],
  ['A4', 'opcode 0', bytes(op(0), 'ok.txt\0octet\0'), DROP],
  ['A4', 'opcode 7', bytes(op(7), 'ok.txt\0octet\0'), DROP],
  ['A4', 'opcode 99', bytes(op(99), 'ok.txt\0octet\0'), DROP],
  ['A4', 'opcode 0xFFFF', bytes(op(0xffff), 'ok.txt\0octet\0'), DROP],
  ['A5', 'RRQ filename without NUL', bytes(op(1), 'ok.txt'), err(4)],
  ['A5', 'WRQ filename without NUL', bytes(op(2), 'new.txt'), err(4)],
  ['A6', 'RRQ mode missing', bytes(op(1), 'ok.txt\0'), err(4)],
  ['A6', 'RRQ mode unterminated', bytes(op(1), 'ok.txt\0oct'), err(4)],
  ['A7', 'mode netascXX', bytes(op(1), 'ok.txt\0netascXX\0'), err(4)],
  ['A7', 'mode mail', bytes(op(1), 'ok.txt\0mail\0'), err(0, 4)],
  ['A7', '1 KB mode', bytes(op(1), 'ok.txt\0', 'M'.repeat(1024), '\0'), err(4)],
  ['A7', '1 KB mode on WRQ (CVE-2006-6183)', bytes(op(2), 'new.txt\0', 'M'.repeat(1024), '\0'), err(4)],
  ['A8', 'garbage after the mode', bytes(op(1), 'ok.txt\0octet\0more'), err(4)],
  ['A8', 'terminated garbage after the mode', bytes(op(1), 'ok.txt\0octet\0more\0'), err(4)],
  ['A9', '65,507 bytes of A as RRQ', bytes(op(1), 'A'.repeat(65_505)), err(4)],
  ['A9', '65,507-byte RRQ with NULs', bytes(op(1), 'A'.repeat(65_498), '\0octet\0'), err(4)],
];

describe('A: framing on the listening port', () => {
  it.each(rows)('%s %s', async (id, label, packet, answer) => {
    const before = jail.snapshot();
    const replies = await probe(server.port, packet, { waitMs: 'drop' in answer ? 500 : 2000 });
    expectAnswer(replies, answer, `${id} ${label}`);
    await expectControl(server.port, control);
    expectJailUntouched(jail, before, replies);
  });

  it('A7 mode is case-insensitive: OCTET and NetASCII are served', async () => {
    for (const mode of ['OCTET', 'NetASCII']) {
      const r = await download({ port: server.port, file: 'ok.txt', mode });
      expect(r.error, mode).toBeUndefined();
      expect(r.bytes.toString('latin1')).toBe(mode === 'OCTET' ? 'ok\n' : 'ok\r\n');
    }
  });

  it('A9 a request of up to 512 bytes is accepted (RFC 2347), up to the documented 1468-byte cap', async () => {
    const base = request('rrq', 'ok.txt', 'octet', [['x', '']]).length;
    for (const total of [512, 1468]) {
      const pad = total - base;
      const packet = request('rrq', 'ok.txt', 'octet', [['x', 'y'.repeat(pad)]]);
      expect(packet.length).toBe(total);
      const r = await download({ port: server.port, file: 'ok.txt', options: [['x', 'y'.repeat(pad)]] });
      expect(r.error, `${total} bytes`).toBeUndefined();
      expect(r.bytes.toString()).toBe('ok\n');
    }
    const tooLong = request('rrq', 'ok.txt', 'octet', [['x', 'y'.repeat(1469 - base)]]);
    expect(tooLong.length).toBe(1469);
    expectAnswer(await probe(server.port, tooLong), err(4), '1469-byte request');
    await expectControl(server.port, control);
  });

  it('A10 a request sent to the loopback broadcast address is not answered', async () => {
    // The engine binds each address (never 0.0.0.0), so a datagram to 127.255.255.255 never
    // reaches it; a socket bound to the wildcard address would get it.
    expect(await broadcastReplies(server.port)).toHaveLength(0);
    await expectControl(server.port, control);
  });

  it('A10 with "every address" the engine still binds per address: broadcast goes unanswered', async () => {
    // Default hosts (every local address) is what a desktop user runs with.
    const wide = await startAllAddresses(jail.root);
    try {
      expect(await broadcastReplies(wide.port)).toHaveLength(0);
      await expectControl(wide.port, control);
    } finally {
      await wide.stop();
    }
  });
});

async function broadcastReplies(port: number): Promise<Buffer[]> {
  const client = createSocket('udp4');
  await new Promise<void>((resolve) => client.bind(0, '127.0.0.1', () => resolve()));
  client.setBroadcast(true);
  const replies: Buffer[] = [];
  client.on('message', (m) => replies.push(m));
  client.send(request('rrq', CONTROL_NAME, 'octet'), port, '127.255.255.255');
  await new Promise((r) => setTimeout(r, 500));
  client.close();
  return replies;
}

async function startAllAddresses(root: string) {
  const { createTftpEngine } = await import('../../electron/tftp/server.js');
  const { ENGINE_DEFAULTS } = await import('../../shared/settings.js');
  const { freeUdpPort } = await import('../helpers/ports.js');
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freeUdpPort();
    const engine = createTftpEngine({ ...ENGINE_DEFAULTS, root, hosts: [], port });
    const state = await engine.start();
    if (state.state === 'listening') return { port, stop: () => engine.stop() };
    await engine.stop();
  }
  throw new Error('could not start the engine on every address');
}
