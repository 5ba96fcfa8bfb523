// Catalogue D1-D16: hostile packets inside a live session, driven step by step from a raw socket.
// The server runs with a 1 s timeout so retransmission and give-up times stay short.
import { existsSync, readFileSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionFailedEvent } from '../../shared/events.js';
import { randomData } from '../helpers/files.js';
import { crOnBoundary, toNetascii } from '../helpers/netascii-oracle.js';
import { RawClient, expectPacket, type Received } from '../helpers/raw-client.js';
import { rawUpload } from '../helpers/raw-transfers.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { ack, data, error as errorPacket, request } from '../helpers/tftp-wire.js';
import { download, pause } from './support/download.js';
import { makeJail, type Jail } from './support/jail.js';
import { CONTROL_NAME, expectControl, show } from './support/probe.js';
import { eventually, openFds } from './support/proc.js';

const control = randomData(3000);
const five = randomData(5 * 512 + 100); // six blocks
let jail: Jail;
let server: TestServer;

beforeAll(async () => {
  jail = makeJail({ [CONTROL_NAME]: control, 'five.bin': five });
  server = await startServer({
    root: jail.root,
    uploads: 'overwrite',
    timeout: 1,
    retries: 2,
    maxRequestsPerSecond: 100_000,
  });
});
afterAll(async () => {
  await server?.stop();
  jail?.remove();
});

const noTemps = () => jail.listRoot().filter((n) => n.endsWith('.tftp-part'));

/** Opens a lock-step download of five.bin and returns the client, the TID and DATA 1. */
async function startDownload(file = 'five.bin') {
  const c = await RawClient.open();
  c.send(request('rrq', file), server.port);
  const first = await c.next();
  expectPacket(first, 'data');
  return { c, tid: first.from.port, first };
}

/** ACKs from block `from` on until the short block; returns the payloads from block from+1 on. */
async function finishDownload(c: RawClient, tid: number, from: number): Promise<Buffer[]> {
  const out: Buffer[] = [];
  let block = from;
  c.send(ack(block), tid);
  for (;;) {
    const r = await c.next();
    const p = expectPacket(r, 'data');
    if (p.block !== ((block + 1) & 0xffff)) continue; // a timer resend of the previous block
    block++;
    out.push(Buffer.from(p.payload));
    c.send(ack(block), tid);
    if (p.payload.length < 512) break;
  }
  await pause(20);
  return out;
}

const payload = (r: Received) => Buffer.from(expectPacket(r, 'data').payload);

/** A client that starts downloading `${tag}-old.bin` (DATA 1 in hand); `${tag}-new.bin` holds the control file. */
async function startOldDownload(tag: string): Promise<{ c: RawClient; first: Received }> {
  jail.put(`${tag}-old.bin`, five);
  jail.put(`${tag}-new.bin`, control);
  const c = await RawClient.open();
  c.send(request('rrq', `${tag}-old.bin`), server.port);
  const first = await c.next();
  expect(show([first])).toBe('DATA 1 (512 B)');
  return { c, first };
}

/** The new request on `c` is served from a TID other than `old` within `withinMs`, byte-identical to the control file. */
async function expectServedAnew(c: RawClient, old: number, withinMs: number): Promise<void> {
  const fresh = await c.nextWhere((r) => r.from.port !== old && r.packet.op === 'data', withinMs);
  expect(show([fresh])).toBe('DATA 1 (512 B)');
  const rest = await finishDownload(c, fresh.from.port, 1);
  expect(Buffer.concat([payload(fresh), ...rest]).equals(control)).toBe(true);
}

describe('D: protocol state on the transfer port', () => {
  it('D1 a stranger gets ERROR 5 (its ERROR gets nothing) and the transfer goes on', async () => {
    const { c, tid, first } = await startDownload();
    const stranger = await RawClient.open();
    try {
      stranger.send(ack(1), tid);
      expect(show([await stranger.next()])).toMatch(/^ERROR 5 /);
      stranger.send(data(1, Buffer.from('x')), tid);
      expect(show([await stranger.next()])).toMatch(/^ERROR 5 /);
      stranger.send(errorPacket(0, 'ping'), tid);
      expect(await stranger.maybeNext(300)).toBeUndefined();
      const rest = await finishDownload(c, tid, 1);
      expect(Buffer.concat([payload(first), ...rest]).equals(five)).toBe(true);
    } finally {
      stranger.close();
      c.close();
    }
  });

  it('D2 an ACK for a block not yet sent is dropped; no data is skipped', async () => {
    const { c, tid, first } = await startDownload();
    try {
      c.send(ack(5), tid);
      expect(await c.maybeNext(300)).toBeUndefined();
      const rest = await finishDownload(c, tid, 1);
      expect(Buffer.concat([payload(first), ...rest]).equals(five)).toBe(true);
    } finally {
      c.close();
    }
  });

  it('D3 a stale ACK is dropped, before and in the middle of a transfer', async () => {
    const { c, tid } = await startDownload();
    try {
      c.send(ack(0), tid); // no OACK was sent: ACK 0 is the stale "n-1" of DATA 1
      expect(await c.maybeNext(300)).toBeUndefined();
      c.send(ack(1), tid);
      expectPacket(await c.next(), 'data');
      c.send(ack(2), tid);
      const third = await c.next();
      expect(expectPacket(third, 'data').block).toBe(3);
      for (let i = 0; i < 5; i++) c.send(ack(2), tid); // five stale ACKs
      c.send(ack(3), tid);
      const seen = await c.collect(150);
      // A Sorcerer's Apprentice server resends DATA 3 once per stale ACK (5 copies); at most one
      // may come from the retransmission timer.
      const copies = seen.filter((r) => r.packet.op === 'data' && r.packet.block === 3).length;
      expect(copies, show(seen)).toBeLessThanOrEqual(1);
      await finishDownload(c, tid, 3);
    } finally {
      c.close();
    }
  });

  it('D4 a 2-byte ACK inside the session is dropped; no crash', async () => {
    const { c, tid, first } = await startDownload();
    try {
      c.send(Buffer.from([0, 4]), tid);
      c.send(Buffer.from([0, 4, 0]), tid);
      expect(await c.maybeNext(300)).toBeUndefined();
      const rest = await finishDownload(c, tid, 1);
      expect(Buffer.concat([payload(first), ...rest]).equals(five)).toBe(true);
    } finally {
      c.close();
    }
    await expectControl(server.port, control);
  });

  it("D5 every ACK sent three times: each block is sent once (no Sorcerer's Apprentice)", async () => {
    const big = randomData(400 * 512 + 7);
    jail.put('d5.bin', big);
    const r = await download({ port: server.port, file: 'd5.bin', ackCopies: 3 });
    expect(r.complete).toBe(true);
    expect(r.bytes.equals(big)).toBe(true);
    // With SAS every duplicate ACK doubles the stream (~2 extra copies per block); only resends
    // by the timer are allowed (rs-tftpd test_sas caps them at 10).
    expect(r.duplicates).toBeLessThanOrEqual(10);
  });

  it('D6 an upload with a gap and a repeat: the last good block is re-ACKed, nothing written out of order', async () => {
    const c = await RawClient.open();
    const [a, b, x, tail] = [
      Buffer.alloc(512, 'a'),
      Buffer.alloc(512, 'b'),
      Buffer.alloc(512, 'X'),
      Buffer.alloc(100, 'c'),
    ];
    try {
      c.send(request('wrq', 'd6.bin'), server.port);
      const first = await c.next();
      expect(show([first])).toBe('ACK 0');
      const tid = first.from.port;
      // The ACKs that come back within 100 ms; a copy of the previous ACK may be the server's
      // retransmission timer (100 ms floor), never an ACK for a block it does not have.
      const acks = async (): Promise<number[]> =>
        (await c.collect(100)).map((r) => expectPacket(r, 'ack').block);
      c.send(data(1, a), tid);
      expect(await acks()).toContain(1);
      c.send(data(3, x), tid); // gap: block 2 missing
      expect(new Set(await acks())).toEqual(new Set([1]));
      c.send(data(1, a), tid); // repeat
      expect(new Set(await acks())).toEqual(new Set([1]));
      c.send(data(2, b), tid);
      const afterTwo = await acks();
      expect(afterTwo).toContain(2);
      expect(Math.max(...afterTwo)).toBe(2);
      c.send(data(3, tail), tid);
      expect((await acks()).at(-1)).toBe(3);
    } finally {
      c.close();
    }
    expect(readRoot('d6.bin').equals(Buffer.concat([a, b, tail]))).toBe(true);
    expect(noTemps()).toEqual([]);
  });

  it('D7 DATA larger than the block size: ERR 4, the upload is dropped, no temp left', async () => {
    const c = await RawClient.open();
    try {
      c.send(request('wrq', 'd7.bin'), server.port);
      const tid = (await c.next()).from.port;
      c.send(data(1, Buffer.alloc(513, 'z')), tid);
      expect(show([await c.next()])).toMatch(/^ERROR 4 /);
    } finally {
      c.close();
    }
    expect(await eventually(() => noTemps().length === 0, 2000)).toBe(true);
    expect(existsSync(join(jail.root, 'd7.bin'))).toBe(false);
  });

  it('D8 an upload whose size is a multiple of 512 ends with an empty DATA', async () => {
    const body = randomData(1024);
    const r = await rawUpload({ port: server.port, file: 'd8.bin', payload: body });
    expect(r.complete).toBe(true);
    expect(readRoot('d8.bin').equals(body)).toBe(true);
  });

  it('D9 block numbers wrap 65535 -> 0, both ways (blksize 8, 540,000 bytes = 67,500 blocks)', async () => {
    const body = randomData(540_000);
    jail.put('d9.bin', body);
    const started = Date.now();
    const down = await download({
      port: server.port,
      file: 'd9.bin',
      options: [
        ['blksize', '8'],
        ['windowsize', '16'],
      ],
      timeoutMs: 60_000,
    });
    expect(down.complete).toBe(true);
    expect(down.bytes.equals(body)).toBe(true);
    const up = await rawUpload({
      port: server.port,
      file: 'd9-up.bin',
      payload: body,
      options: [['blksize', '8']],
      timeoutMs: 90_000,
    });
    expect(up.complete, JSON.stringify(up.error)).toBe(true);
    expect(readRoot('d9-up.bin').equals(body)).toBe(true);
    console.log(`D9: rollover download + upload in ${Date.now() - started} ms`);
  });

  it('D10 a client ERROR ends the session at once, is never answered, and an upload leaves nothing', async () => {
    for (const stop of [Buffer.from([0, 5]), Buffer.from([0, 5, 0, 0]), errorPacket(0, '')]) {
      const { c, tid } = await startDownload();
      c.send(stop, tid);
      expect(await c.maybeNext(1200)).toBeUndefined(); // no reply, and no more DATA after the timeout
      c.close();
    }
    const c = await RawClient.open();
    try {
      c.send(request('wrq', 'd10.bin'), server.port);
      const tid = (await c.next()).from.port;
      c.send(data(1, Buffer.alloc(512, 'q')), tid);
      await c.next();
      c.send(Buffer.from([0, 5]), tid);
      expect(await c.maybeNext(1500)).toBeUndefined();
    } finally {
      c.close();
    }
    expect(noTemps()).toEqual([]);
    expect(existsSync(join(jail.root, 'd10.bin'))).toBe(false);
  });

  it('D11 a client ERROR with a 60 KB message is cut to 128 printable bytes in events and logs', async () => {
    const { c, tid } = await startDownload();
    const mark = server.events.length;
    c.send(errorPacket(0, `\x1b[2J${'E'.repeat(60_000)}`), tid);
    await pause(200);
    c.close();
    const failed = server.events
      .slice(mark)
      .find((e): e is SessionFailedEvent => e.type === 'session-failed' && e.by === 'client');
    expect(failed).toBeDefined();
    expect(failed?.message.length).toBeLessThanOrEqual(128);
    expect(failed?.message).toMatch(/^[\x20-\x7e]*$/);
    for (const e of server.events.slice(mark))
      if (e.type === 'log') expect(e.message.length).toBeLessThan(300);
  });

  it('D12 an RRQ repeated from the same address and port while live: one session', async () => {
    jail.put('d12.bin', five);
    const c = await RawClient.open();
    try {
      for (let i = 0; i < 5; i++) c.send(request('rrq', 'd12.bin'), server.port);
      const seen = await c.collect(300);
      expect(new Set(seen.map((r) => r.from.port)).size, show(seen)).toBe(1);
      const tid = (seen[0] as Received).from.port;
      const rest = await finishDownload(c, tid, 1);
      expect(Buffer.concat([payload(seen[0] as Received), ...rest]).equals(five)).toBe(true);
    } finally {
      c.close();
    }
    const started = server.events.filter((e) => e.type === 'session-started' && e.file === 'd12.bin');
    expect(started).toHaveLength(1);
  });

  it('D12 a request repeated after our answer was lost is answered at once, not on the timer', async () => {
    jail.put('d12b.bin', five);
    // A 5 s timeout: the timer's own resend would come only at 5 s.
    const slow = await startServer({
      root: jail.root,
      timeout: 5,
      retries: 2,
      maxRequestsPerSecond: 100_000,
    });
    const withOack = await RawClient.open();
    const plain = await RawClient.open();
    try {
      const rrqOack = request('rrq', 'd12b.bin', 'octet', [['blksize', '1024']]);
      withOack.send(rrqOack, slow.port);
      plain.send(request('rrq', 'd12b.bin'), slow.port);
      const firsts = [await withOack.next(), await plain.next()];
      expect(firsts.map((r) => show([r]))).toEqual(['OACK blksize=1024', 'DATA 1 (512 B)']);
      await pause(1200); // "lost": the clients time out and ask again
      const askedAt = Date.now();
      withOack.send(rrqOack, slow.port);
      plain.send(request('rrq', 'd12b.bin'), slow.port);
      const again = [await withOack.next(2000), await plain.next(2000)];
      expect(Date.now() - askedAt).toBeLessThan(2000);
      expect(again.map((r) => show([r]))).toEqual(['OACK blksize=1024', 'DATA 1 (512 B)']);
      expect(again.map((r) => r.from.port)).toEqual(firsts.map((r) => r.from.port)); // the same session
      // and the transfers go on from there
      const tid = (again[1] as Received).from.port;
      const rest = await finishDownload(plain, tid, 1);
      expect(Buffer.concat([payload(again[1] as Received), ...rest]).equals(five)).toBe(true);
    } finally {
      withOack.close();
      plain.close();
      await slow.stop();
    }
    const started = slow.events.filter((e) => e.type === 'session-started');
    expect(started).toHaveLength(2);
  });

  it('D12 a new request from the port of a client gone silent: the old session ends, the new one runs', async () => {
    const { c, first } = await startOldDownload('d12c');
    try {
      const old = first.from.port;
      c.send(ack(1), old);
      await c.nextWhere((r) => r.packet.op === 'data' && r.packet.block === 2);
      // a copy of the request while the client talks (delayed, or spoofed) changes nothing
      c.send(request('rrq', 'd12c-old.bin'), server.port);
      c.send(ack(2), old);
      const third = await c.nextWhere((r) => r.packet.op === 'data' && r.packet.block === 3);
      expect(third.from.port).toBe(old);
      // the old client goes away; after a second, a new client process on the same port asks
      await pause(1200);
      c.send(request('rrq', 'd12c-new.bin'), server.port);
      await expectServedAnew(c, old, 2000);
      // the old session sends nothing more
      expect((await c.collect(1500)).filter((r) => r.from.port === old)).toEqual([]);
    } finally {
      c.close();
    }
    const ended = server.events.filter(
      (e): e is SessionFailedEvent =>
        e.type === 'session-failed' && e.message === 'The client started a new transfer from the same port',
    );
    expect(ended).toHaveLength(1);
    expect(
      server.events.filter((e) => e.type === 'session-started' && e.file === 'd12c-new.bin'),
    ).toHaveLength(1);
  });

  it('D12 another request from the port of a download that never answered: served at once', async () => {
    const { c, first } = await startOldDownload('d12d'); // DATA 1 never acknowledged: that client is gone
    try {
      // a new process on the same port asks for another file: never the old file's blocks
      c.send(request('rrq', 'd12d-new.bin'), server.port);
      await expectServedAnew(c, first.from.port, 900);
      expect((await c.collect(1500)).filter((r) => r.from.port === first.from.port)).toEqual([]);
    } finally {
      c.close();
    }
  });

  it('D12 a request from the port of an upload that only dallies: served at once', async () => {
    jail.put('d12e.bin', control);
    const c = await RawClient.open();
    try {
      c.send(request('wrq', 'd12e-up.bin'), server.port);
      const ack0 = await c.next();
      expect(show([ack0])).toBe('ACK 0');
      c.send(data(1, Buffer.from('small upload\n')), ack0.from.port);
      expect(show([await c.next()])).toBe('ACK 1'); // saved; the session dallies for 2 s
      c.send(request('rrq', 'd12e.bin'), server.port); // a new process on the same port
      await expectServedAnew(c, ack0.from.port, 900);
    } finally {
      c.close();
    }
    expect(readFileSync(join(jail.root, 'd12e-up.bin')).toString()).toBe('small upload\n');
  });

  it('D13 a client that never answers: a few resends, then the session, socket and fds are freed', async () => {
    await eventually(() => server.engine.activeSessions === 0, 3000);
    const fds = openFds();
    const silent = [await RawClient.open(), await RawClient.open(), await RawClient.open()];
    const [withOack, plain, atftpShaped] = silent as [RawClient, RawClient, RawClient];
    // blksize before tsize: no order of atftp's option table (iPXE's, GRUB's, busybox -b N).
    withOack.send(
      request('rrq', 'five.bin', 'octet', [
        ['blksize', '1024'],
        ['tsize', '0'],
      ]),
      server.port,
    );
    plain.send(request('rrq', 'five.bin'), server.port);
    // A lone blksize could be atftp's, which aborts on a second OACK: each resend waits out its 5 s timer.
    atftpShaped.send(request('rrq', 'five.bin', 'octet', [['blksize', '1024']]), server.port);
    // Sent at 0, 1 and 3 s (the 1 s timeout, doubling); the session gives up at 7 s. For the
    // atftp shape at 0, 6.25 and 12.5 s, given up at 18.75 s.
    const atftpLate = atftpShaped.collect(19_500);
    const [a, b] = await Promise.all([withOack.collect(7500), plain.collect(7500)]);
    expect(server.engine.activeSessions).toBe(1); // the atftp-shaped one, still waiting
    const c = await atftpLate;
    for (const client of silent) client.close();
    // The first packet and at most two resends (an unproven peer may be a spoofed address).
    const oack = `OACK blksize=1024 tsize=${five.length}`;
    expect(a.map((r) => show([r]))).toEqual([oack, oack, oack]);
    expect(b.map((r) => show([r]))).toEqual(['DATA 1 (512 B)', 'DATA 1 (512 B)', 'DATA 1 (512 B)']);
    expect(c.map((r) => show([r]))).toEqual(['OACK blksize=1024', 'OACK blksize=1024', 'OACK blksize=1024']);
    expect(server.engine.activeSessions).toBe(0);
    expect(openFds()).toBe(fds);
  });

  it('D14 a window with a lost block is resent from the first missing block', async () => {
    const c = await RawClient.open();
    const got: Buffer[] = [];
    try {
      c.send(request('rrq', 'five.bin', 'octet', [['windowsize', '4']]), server.port);
      const oack = await c.next();
      expect(show([oack])).toBe('OACK windowsize=4');
      const tid = oack.from.port;
      c.send(ack(0), tid);
      const window = [await c.next(), await c.next(), await c.next(), await c.next()].map((r) =>
        expectPacket(r, 'data'),
      );
      expect(window.map((p) => p.block)).toEqual([1, 2, 3, 4]);
      got.push(Buffer.from(window[0]!.payload), Buffer.from(window[1]!.payload));
      c.send(ack(2), tid); // block 3 "lost"
      const next = expectPacket(await c.next(), 'data');
      expect(next.block).toBe(3);
      got.push(Buffer.from(next.payload));
      for (let block = 3; ;) {
        const p = expectPacket(await c.next(), 'data');
        if (p.block !== block + 1) continue;
        block++;
        got.push(Buffer.from(p.payload));
        if (p.payload.length < 512) {
          c.send(ack(block), tid);
          break;
        }
        if (block % 4 === 2) c.send(ack(block), tid);
      }
      await pause(20);
    } finally {
      c.close();
    }
    expect(Buffer.concat(got).equals(five)).toBe(true);
  });

  it.each([['lf'], ['cr']] as const)(
    'D15 netascii: a %s that puts CR as the last byte of a block straddles correctly',
    async (kind) => {
      const text = crOnBoundary(512, kind);
      jail.put(`d15-${kind}.txt`, text);
      const r = await download({ port: server.port, file: `d15-${kind}.txt`, mode: 'netascii' });
      expect(r.complete).toBe(true);
      expect(r.bytes.equals(toNetascii(text))).toBe(true);
    },
  );

  it('D16 a file that shrinks while served: no hang, no bytes that were never in the file, ERROR 0 if it ends early', async () => {
    const original = randomData(200 * 1024);
    const path = jail.put('d16.bin', original);
    const { c, tid, first } = await startDownload('d16.bin');
    const got = [payload(first)];
    let ended = 'complete';
    try {
      for (let block = 1; ;) {
        if (block === 10) truncateSync(path, 10 * 1024);
        c.send(ack(block), tid);
        const r = await c.next(5000);
        if (r.packet.op === 'error') {
          ended = `ERROR ${r.packet.code}`;
          break;
        }
        const p = expectPacket(r, 'data');
        if (p.block !== block + 1) continue;
        block++;
        got.push(Buffer.from(p.payload));
        if (p.payload.length < 512) break;
      }
    } finally {
      c.close();
    }
    const bytes = Buffer.concat(got);
    expect(['complete', 'ERROR 0']).toContain(ended);
    expect(bytes.length).toBeLessThanOrEqual(original.length);
    expect(bytes.equals(original.subarray(0, bytes.length)), 'bytes that were never in the file').toBe(true);
    await expectControl(server.port, control);
  });
});

function readRoot(name: string): Buffer {
  return jail.read(name);
}
