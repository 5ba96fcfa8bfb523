// Catalogue E2-E4, E8, E9: half-open sessions, slow clients, abandoned uploads, ERROR ping-pong
// and racing requests, against the engine in this process (so its sockets and files show up in
// /proc/self/fd).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomData } from '../helpers/files.js';
import type { LoopbackHost } from '../helpers/ports.js';
import { RawClient, expectPacket } from '../helpers/raw-client.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { ack, data, error as errorPacket, request } from '../helpers/tftp-wire.js';
import { download, pause } from './support/download.js';
import { makeJail, type Jail } from './support/jail.js';
import { CONTROL_NAME, expectControl, show } from './support/probe.js';
import { eventually, openFds, rssMb } from './support/proc.js';

const control = randomData(3000);
const big = randomData(1_000_000);
let jail: Jail;
let server: TestServer;

beforeAll(async () => {
  jail = makeJail({ [CONTROL_NAME]: control, 'big.bin': big, 'small.bin': randomData(3000) });
  // Default limits (200 sessions, 32 per client, 100 requests/s per client); short timers.
  server = await startServer({ root: jail.root, uploads: 'overwrite', timeout: 1, retries: 1 });
});
afterAll(async () => {
  await server?.stop();
  jail?.remove();
});

const idle = () => eventually(() => server.engine.activeSessions === 0, 8000);

describe('E: exhaustion', () => {
  it('E2 500 half-open sessions: the limits hold, every session expires, fds and sockets return to baseline', async () => {
    await idle();
    const fds = openFds();
    const rss = rssMb();
    const clients: RawClient[] = [];
    for (let a = 1; a <= 20; a++) {
      for (let i = 0; i < 25; i++) clients.push(await RawClient.open(`127.0.0.${a}` as LoopbackHost));
    }
    let peak = 0;
    const sampler = setInterval(() => (peak = Math.max(peak, server.engine.activeSessions)), 5);
    // 500 requests over one second (25 per address: under the per-address rate and session
    // limits), so the kernel's receive buffer does not drop a burst before the engine sees it.
    for (let i = 0; i < clients.length; i += 50) {
      for (const c of clients.slice(i, i + 50)) c.send(request('rrq', 'big.bin'), server.port, '127.0.0.1');
      await pause(100);
    }
    const first = await Promise.all(clients.map((c) => c.maybeNext(100)));
    const busy = first.filter((r) => r?.packet.op === 'error' && r.packet.code === 0).length;
    const served = first.filter((r) => r?.packet.op === 'data').length;
    expect(await idle()).toBe(true);
    clearInterval(sampler);
    for (const c of clients) c.close();
    await pause(100);
    console.log(
      `E2: peak ${peak} live sessions; ${served} served DATA 1, ${busy} told "busy"; ` +
        `fds ${fds} -> ${openFds()}; RSS ${rss} -> ${rssMb()} MB`,
    );
    expect(peak).toBeLessThanOrEqual(200);
    expect(served).toBe(200);
    expect(busy).toBe(300);
    expect(openFds()).toBe(fds);
    await expectControl(server.port, control);
  });

  it('E3 a slow-loris client (an ACK just before each timeout) does not starve a normal download', async () => {
    await idle();
    const slow = await RawClient.open();
    try {
      slow.send(request('rrq', 'big.bin'), server.port);
      const first = await slow.next();
      const tid = first.from.port;
      const started = Date.now();
      const normal = download({ port: server.port, file: 'big.bin' }).then((r) => ({
        ...r,
        ms: Date.now() - started,
      }));
      let block = expectPacket(first, 'data').block;
      for (let i = 0; i < 4; i++) {
        await pause(800);
        slow.send(ack(block), tid);
        const seen = await slow.collect(50);
        const next = seen.find((r) => r.packet.op === 'data' && r.packet.block === block + 1);
        expect(next, `slow session after ACK ${block}: ${show(seen)}`).toBeDefined();
        block++;
      }
      const fast = await normal;
      expect(fast.complete).toBe(true);
      expect(fast.bytes.equals(big)).toBe(true);
      // It finished while the slow session was still alive (four slow ACKs take 3.2 s).
      expect(fast.ms).toBeLessThan(3000);
      console.log(`E3: the normal 1 MB download took ${fast.ms} ms beside the slow one`);
      slow.send(errorPacket(0, 'done'), tid);
      await pause(20);
    } finally {
      slow.close();
    }
  });

  it('E4 WRQs that never send DATA 1: their temp files are gone after the timeout', async () => {
    await idle();
    const clients = await Promise.all(Array.from({ length: 20 }, () => RawClient.open()));
    clients.forEach((c, i) => c.send(request('wrq', `e4-${i}.bin`), server.port));
    await Promise.all(clients.map((c) => c.next()));
    expect(jail.listRoot().filter((n) => n.endsWith('.tftp-part')).length).toBe(20);
    expect(await idle()).toBe(true);
    for (const c of clients) c.close();
    await pause(100);
    expect(jail.listRoot().filter((n) => n.startsWith('.') || n.startsWith('e4-'))).toEqual([]);
  });

  it('E8 no ERROR/ACK ping-pong: unsolicited ERRORs and ACKs get nothing back, anywhere', async () => {
    // "Another server" talks to our listening port, and answers our DATA with ERROR 5.
    const other = await RawClient.open();
    try {
      other.send(errorPacket(5, 'Unknown transfer ID'), server.port);
      other.send(ack(1), server.port);
      expect(await other.maybeNext(300)).toBeUndefined();
      other.send(request('rrq', 'small.bin'), server.port); // as if spoofed by a third party
      const first = await other.next();
      other.send(errorPacket(5, 'Unknown transfer ID'), first.from.port);
      expect(await other.maybeNext(1500)).toBeUndefined();
    } finally {
      other.close();
    }
  });

  it('E9 racing requests: one session per address and port, one upload per file, every download whole', async () => {
    await idle();
    const wide = await startServer({
      root: jail.root,
      uploads: 'overwrite',
      maxSessionsPerClient: 200,
      maxRequestsPerSecond: 100_000,
    });
    try {
      const same = await RawClient.open();
      for (let i = 0; i < 50; i++) same.send(request('rrq', 'small.bin'), wide.port);
      const seen = await same.collect(300);
      expect(new Set(seen.map((r) => r.from.port)).size).toBe(1);
      same.close();

      // Twenty WRQs for one name at once: one is admitted, the others get ERR 2 "in use" (F3).
      const writers = await Promise.all(Array.from({ length: 20 }, () => RawClient.open()));
      for (const w of writers) w.send(request('wrq', 'e9.bin'), wide.port);
      const answers = await Promise.all(writers.map((w) => w.next()));
      const admitted = answers.filter((r) => show([r]) === 'ACK 0');
      expect(admitted, answers.map((r) => show([r])).join(', ')).toHaveLength(1);
      for (const r of answers) if (r !== admitted[0]) expect(show([r])).toMatch(/^ERROR 2 /);
      const winner = writers[answers.indexOf(admitted[0] as (typeof answers)[number])] as RawClient;
      const body = randomData(300);
      winner.send(data(1, body), (admitted[0] as (typeof answers)[number]).from.port);
      expect(show([await winner.next()])).toBe('ACK 1');
      for (const w of writers) w.close();
      expect(jail.read('e9.bin').equals(body)).toBe(true);

      const downloads = await Promise.all(
        Array.from({ length: 100 }, () => download({ port: wide.port, file: CONTROL_NAME })),
      );
      expect(downloads.filter((d) => d.complete && d.bytes.equals(control))).toHaveLength(100);
    } finally {
      await wide.stop();
    }
  });
});
