// The client's state machines (GetSession, PutSession), driven by hand: packets in, a fake clock,
// no sockets, no sleeps. Every packet the session sends is recorded as a short line.
import { describe, expect, it } from 'vitest';
import { GetSession } from '../../electron/tftp/client-get-session.js';
import { PutSession, type PutSource } from '../../electron/tftp/client-put-session.js';
import {
  WAIT_RESEND_MS,
  type ClientOutput,
  type ClientSessionConfig,
} from '../../electron/tftp/client-session.js';
import type { Packet, RequestOption } from '../../electron/tftp/packet.js';

const SERVER_TID = 40000;
const opts = (pairs: Record<string, string>): RequestOption[] =>
  Object.entries(pairs).map(([name, value]) => ({ name, value }));

function config(c: Partial<ClientSessionConfig> = {}): ClientSessionConfig {
  return { options: [], timeoutSeconds: 1, retries: 3, waitMs: 0, ...c };
}

function commonOutput(wire: string[], ends: string[]): ClientOutput {
  return {
    sendRequest: (o) => wire.push(`REQ ${o.map((x) => `${x.name}=${x.value}`).join(',')}`.trim()),
    sendError: (port, code, message) => wire.push(`ERROR ${code} to ${port}: ${message}`),
    negotiated: (o) =>
      ends.push(`negotiated ${o.blksize}/${o.windowsize} ${o.acknowledged ? 'oack' : 'plain'}`),
    finished: () => ends.push('finished'),
    failed: (code, message, server) =>
      ends.push(`failed ${code}${server ? ` ${server.code} ${server.message}` : ''}: ${message}`),
  };
}

function getHarness(c: Partial<ClientSessionConfig> = {}) {
  const wire: string[] = [];
  const ends: string[] = [];
  const delivered: Buffer[] = [];
  const session = new GetSession(config(c), {
    ...commonOutput(wire, ends),
    sendAck: (n) => wire.push(`ACK ${n}`),
    deliver: (d) => void delivered.push(Buffer.from(d)),
  });
  return { session, wire, ends, delivered };
}

function putHarness(fileBlocks: number, c: Partial<ClientSessionConfig> = {}) {
  const wire: string[] = [];
  const ends: string[] = [];
  const source: { -readonly [K in keyof PutSource]: PutSource[K] } & { released: number } = {
    lastSeq: undefined,
    released: 0,
    load(seq) {
      if (seq >= fileBlocks) this.lastSeq = fileBlocks;
      return undefined;
    },
    release(seq) {
      this.released = seq;
    },
  };
  const session = new PutSession(
    config(c),
    { ...commonOutput(wire, ends), sendBlock: (seq) => wire.push(`DATA ${seq}`) },
    source,
  );
  return { session, wire, ends, source };
}

const data = (block: number, size: number): Packet => ({
  kind: 'data',
  block,
  data: Buffer.alloc(size, block & 0xff),
});
const ack = (block: number): Packet => ({ kind: 'ack', block });
const oack = (pairs: Record<string, string>): Packet => ({ kind: 'oack', options: opts(pairs) });
const error = (code: number, message: string): Packet => ({ kind: 'error', code, message });

describe('GetSession', () => {
  it('accepts an OACK with ACK 0, ACKs each block, and finishes on the short one', () => {
    const { session, wire, ends, delivered } = getHarness({ options: opts({ blksize: '1024', tsize: '0' }) });
    session.start(0);
    session.receive(oack({ blksize: '1024', tsize: '2100' }), SERVER_TID, 1);
    session.receive(data(1, 1024), SERVER_TID, 2);
    session.receive(data(2, 1024), SERVER_TID, 3);
    session.receive(data(3, 52), SERVER_TID, 4);
    expect(wire).toEqual(['REQ blksize=1024,tsize=0', 'ACK 0', 'ACK 1', 'ACK 2', 'ACK 3']);
    expect(ends).toEqual(['negotiated 1024/1 oack', 'finished']);
    expect(session.negotiatedOptions.tsize).toBe(2100);
    expect(Buffer.concat(delivered).length).toBe(2100);
  });

  it('runs with the RFC 1350 defaults when the server ignores the options and sends DATA 1', () => {
    const { session, wire, ends } = getHarness({ options: opts({ blksize: '1468' }) });
    session.start(0);
    session.receive(data(1, 512), SERVER_TID, 1);
    session.receive(data(2, 0), SERVER_TID, 2);
    expect(wire).toEqual(['REQ blksize=1468', 'ACK 1', 'ACK 2']);
    expect(ends).toEqual(['negotiated 512/1 plain', 'finished']);
  });

  it('ACKs once per window, and on a gap ACKs the last block in order once', () => {
    const { session, wire } = getHarness({ options: opts({ blksize: '512', windowsize: '4' }) });
    session.start(0);
    session.receive(oack({ blksize: '512', windowsize: '4' }), SERVER_TID, 1);
    for (const b of [1, 2, 3, 4]) session.receive(data(b, 512), SERVER_TID, 2);
    session.receive(data(5, 512), SERVER_TID, 3);
    // 6 is lost: 7 and 8 draw one ACK 5, not two
    session.receive(data(7, 512), SERVER_TID, 3);
    session.receive(data(8, 512), SERVER_TID, 3);
    expect(wire.slice(2)).toEqual(['ACK 4', 'ACK 5']);
    for (const b of [6, 7, 8, 9]) session.receive(data(b, 512), SERVER_TID, 4);
    expect(wire.slice(2)).toEqual(['ACK 4', 'ACK 5', 'ACK 9']);
  });

  it('answers a packet from another port with ERROR 5 and carries on', () => {
    const { session, wire, ends } = getHarness();
    session.start(0);
    session.receive(data(1, 512), SERVER_TID, 1);
    session.receive(data(2, 512), SERVER_TID + 1, 2);
    expect(wire).toEqual(['REQ', 'ACK 1', `ERROR 5 to ${SERVER_TID + 1}: Unknown transfer ID`]);
    expect(session.expected).toBe(2);
    session.receive(data(2, 10), SERVER_TID, 3);
    expect(ends).toEqual(['negotiated 512/1 plain', 'finished']);
  });

  it('counts blocks past 65535: wire numbers roll over to 0', () => {
    const { session, wire, ends } = getHarness();
    session.start(0);
    const blocks = 70_000;
    for (let seq = 1; seq <= blocks; seq++)
      session.receive(data(seq & 0xffff, seq === blocks ? 1 : 512), SERVER_TID, seq);
    expect(ends).toEqual(['negotiated 512/1 plain', 'finished']);
    expect(wire.slice(65535, 65538)).toEqual(['ACK 65535', 'ACK 0', 'ACK 1']);
    expect(wire.at(-1)).toBe(`ACK ${blocks & 0xffff}`);
  });

  it('re-ACKs on silence with backoff, then fails with TIMEOUT', () => {
    const { session, wire, ends } = getHarness({ retries: 2 });
    session.start(0);
    session.receive(data(1, 512), SERVER_TID, 0);
    const times: number[] = [];
    for (let now = 0; now < 60_000 && session.live; now++) {
      const before = wire.length;
      session.tick(now);
      if (wire.length > before) times.push(now);
    }
    expect(times.length).toBeGreaterThanOrEqual(2);
    const gaps = times.slice(1).map((t, i) => t - (times[i] as number));
    expect(gaps.every((g, i) => i === 0 || g >= (gaps[i - 1] as number))).toBe(true);
    expect(wire.slice(2).every((w) => w === 'ACK 1')).toBe(true);
    expect(ends.at(-1)).toMatch(/^failed TIMEOUT/);
  });
});

describe('the request phase', () => {
  it('falls back to a plain request once after ERROR 8, and reports the second refusal', () => {
    const { session, wire, ends } = getHarness({ options: opts({ blksize: '1468' }) });
    session.start(0);
    session.receive(error(8, 'no options here'), SERVER_TID, 1);
    expect(wire).toEqual(['REQ blksize=1468', 'REQ']);
    expect(session.state).toBe('requesting');
    session.receive(error(8, 'still no'), SERVER_TID + 1, 2);
    expect(ends).toEqual(['failed REFUSED 8 still no: the server refused the request']);
  });

  it('refuses an OACK that grants more than asked with ERROR 8 (PROTOCOL)', () => {
    const { session, wire, ends } = getHarness({ options: opts({ blksize: '1024' }) });
    session.start(0);
    session.receive(oack({ blksize: '2048' }), SERVER_TID, 1);
    expect(wire.at(-1)).toBe(`ERROR 8 to ${SERVER_TID}: Option negotiation refused`);
    expect(ends[0]).toMatch(/^failed PROTOCOL/);
  });

  it('refuses an OACK naming an option never asked for', () => {
    const { session, ends } = getHarness({ options: opts({ blksize: '1024' }) });
    session.start(0);
    session.receive(oack({ windowsize: '8' }), SERVER_TID, 1);
    expect(ends[0]).toMatch(/^failed PROTOCOL.*windowsize/);
  });

  it('an ERROR to the request is REFUSED with the code and message; after the start, SERVER_ERROR', () => {
    const a = getHarness();
    a.session.start(0);
    a.session.receive(error(1, 'File not found'), SERVER_TID, 1);
    expect(a.ends).toEqual(['failed REFUSED 1 File not found: the server refused the request']);
    const b = getHarness();
    b.session.start(0);
    b.session.receive(data(1, 512), SERVER_TID, 1);
    b.session.receive(error(3, 'Disk full'), SERVER_TID, 2);
    expect(b.ends.at(-1)).toBe('failed SERVER_ERROR 3 Disk full: the server stopped the transfer');
  });

  it('resends the request `retries` times a timeout apart, then NO_ANSWER', () => {
    const { session, wire, ends } = getHarness({ retries: 2, timeoutSeconds: 2 });
    session.start(0);
    const sentAt: number[] = [0];
    for (let now = 1; now <= 10_000 && session.live; now++) {
      const before = wire.length;
      session.tick(now);
      if (wire.length > before) sentAt.push(now);
    }
    expect(sentAt).toEqual([0, 2000, 4000]);
    expect(ends).toEqual(['failed NO_ANSWER: no answer from the server in 6 s']);
  });

  it('waiting for a device: resends once a second, starts as soon as it answers', () => {
    const { session, wire, ends } = getHarness({ waitMs: 30_000, retries: 0 });
    session.start(0);
    for (let now = 1; now <= 4500; now++) session.tick(now);
    expect(wire).toEqual(['REQ', 'REQ', 'REQ', 'REQ', 'REQ']);
    session.receive(data(1, 100), SERVER_TID, 4600);
    expect(ends).toEqual(['negotiated 512/1 plain', 'finished']);
  });

  it('waiting for a device that never comes: NO_ANSWER when the wait is over', () => {
    const { session, wire, ends } = getHarness({ waitMs: 5_000 });
    session.start(0);
    let failedAt = -1;
    for (let now = 1; now <= 20_000 && failedAt < 0; now++) {
      session.tick(now);
      if (!session.live) failedAt = now;
    }
    expect(failedAt).toBe(5_000);
    expect(wire.length).toBe(5_000 / WAIT_RESEND_MS);
    expect(ends[0]).toMatch(/^failed NO_ANSWER/);
  });

  it('a cancel tells the server with ERROR 0 once it has answered', () => {
    const { session, wire, ends } = getHarness();
    session.start(0);
    session.receive(data(1, 512), SERVER_TID, 1);
    session.abort();
    expect(wire.at(-1)).toBe(`ERROR 0 to ${SERVER_TID}: Transfer cancelled`);
    expect(ends.at(-1)).toBe('failed ABORTED: cancelled');
  });
});

describe('PutSession', () => {
  it('starts on ACK 0 (options ignored), one block per ACK, done on the ACK of the last', () => {
    const { session, wire, ends } = putHarness(3, { options: opts({ blksize: '1468' }) });
    session.start(0);
    session.receive(ack(0), SERVER_TID, 1);
    session.receive(ack(1), SERVER_TID, 2);
    session.receive(ack(2), SERVER_TID, 3);
    session.receive(ack(3), SERVER_TID, 4);
    expect(wire).toEqual(['REQ blksize=1468', 'DATA 1', 'DATA 2', 'DATA 3']);
    expect(ends).toEqual(['negotiated 512/1 plain', 'finished']);
  });

  it("never resends on a repeated ACK (Sorcerer's Apprentice); only the timer resends", () => {
    const { session, wire } = putHarness(5);
    session.start(0);
    session.receive(ack(0), SERVER_TID, 1);
    session.receive(ack(1), SERVER_TID, 2);
    session.receive(ack(1), SERVER_TID, 3);
    session.receive(ack(0), SERVER_TID, 3);
    expect(wire).toEqual(['REQ', 'DATA 1', 'DATA 2']);
    for (let now = 4; now < 10_000 && wire.length < 4; now++) session.tick(now);
    expect(wire.at(-1)).toBe('DATA 2');
    expect(session.retransmits).toBe(1);
  });

  it('sends a window after the OACK and restarts after the gap an ACK reports', () => {
    const { session, wire, source } = putHarness(20, { options: opts({ windowsize: '4' }) });
    session.start(0);
    session.receive(oack({ windowsize: '4' }), SERVER_TID, 1);
    expect(wire.slice(1)).toEqual(['DATA 1', 'DATA 2', 'DATA 3', 'DATA 4']);
    session.receive(ack(2), SERVER_TID, 2); // 3 was lost
    expect(wire.slice(5)).toEqual(['DATA 3', 'DATA 4', 'DATA 5', 'DATA 6']);
    expect(source.released).toBe(2);
  });

  it('rolls block numbers over past 65535 and finishes', () => {
    const blocks = 66_000;
    const { session, wire, ends } = putHarness(blocks);
    session.start(0);
    session.receive(ack(0), SERVER_TID, 1);
    for (let seq = 1; seq <= blocks; seq++) session.receive(ack(seq & 0xffff), SERVER_TID, seq);
    expect(ends).toEqual(['negotiated 512/1 plain', 'finished']);
    expect(wire.length).toBe(blocks + 1);
  });

  it('a DATA as the first answer to a WRQ is not a start: the request is resent, then NO_ANSWER', () => {
    const { session, ends } = putHarness(3, { retries: 1 });
    session.start(0);
    session.receive(data(1, 512), SERVER_TID, 1);
    expect(session.state).toBe('requesting');
    for (let now = 2; now < 10_000 && session.live; now++) session.tick(now);
    expect(ends[0]).toMatch(/^failed NO_ANSWER/);
  });
});

describe('giving up', () => {
  it('a transfer ends after (retries + 1) timeouts of silence, whatever the backoff', () => {
    const { session, ends } = getHarness({ retries: 5, timeoutSeconds: 3 });
    session.start(0);
    session.receive(data(1, 512), SERVER_TID, 1000);
    let endedAt = -1;
    for (let now = 1000; now < 120_000 && endedAt < 0; now++) {
      session.tick(now);
      if (!session.live) endedAt = now;
    }
    expect(ends.at(-1)).toMatch(/^failed TIMEOUT/);
    expect(endedAt - 1000).toBe(18_000);
  });
});
