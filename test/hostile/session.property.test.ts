// Property tests of the transfer state machines (session-read.ts, session-write.ts) under random
// hostile sequences of ACKs, DATA, ticks of a fake clock and errors: they never throw, a duplicate
// or stale ACK never makes a block go out again (Sorcerer's Apprentice), blocks are only resent by
// a tick or by a fresh ACK that reports a gap (RFC 7440), the window is never exceeded, base and
// expected never go backwards, and nothing happens after the end.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seqFromWire } from '../../electron/tftp/block-window.js';
import { ReadSession } from '../../electron/tftp/session-read.js';
import { WriteSession } from '../../electron/tftp/session-write.js';

type ReadCmd =
  | { t: 'ack'; near: boolean; offset: number; wire: number }
  | { t: 'tick'; dt: number }
  | { t: 'load'; n: number }
  | { t: 'resume' }
  | { t: 'error' };

const readCmd: fc.Arbitrary<ReadCmd> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      t: fc.constant('ack' as const),
      near: fc.boolean(),
      offset: fc.integer({ min: -3, max: 10 }),
      wire: fc.integer({ min: 0, max: 65535 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('tick' as const), dt: fc.integer({ min: 0, max: 3000 }) }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('load' as const), n: fc.integer({ min: 1, max: 8 }) }) },
  { weight: 3, arbitrary: fc.constant({ t: 'resume' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'error' as const }) },
);

function readSessionProperty(checkBelowBase: boolean): void {
  fc.assert(
    fc.property(
      fc.record({
        windowsize: fc.constantFrom(1, 2, 4, 8, 16),
        withOack: fc.boolean(),
        retries: fc.integer({ min: 1, max: 5 }),
        timeoutMs: fc.integer({ min: 20, max: 1000 }),
        lastSeq: fc.integer({ min: 1, max: 40 }),
      }),
      fc.array(readCmd, { maxLength: 300 }),
      (cfg, cmds) => {
        let loaded = 2;
        const source = { lastSeq: cfg.lastSeq as number | undefined, has: (s: number) => s <= loaded };
        // A block may go out again only after a timeout or an ACK that moved the window
        // ("epoch"); a second send inside one epoch is the Sorcerer's Apprentice.
        let epoch = 0;
        const sentIn = new Map<number, number>();
        const sent: number[] = [];
        let highest = 0;
        let resumeWanted = false;
        let ends = 0;
        let now = 0;
        const s = new ReadSession(cfg, source, {
          sendOack: () => undefined,
          resumeLater: () => (resumeWanted = true),
          sendBlock: (seq) => {
            expect(sentIn.get(seq), `block ${seq} sent twice without a timeout or a gap`).not.toBe(epoch);
            sentIn.set(seq, epoch);
            sent.push(seq);
          },
          released: () => undefined,
          finished: () => ends++,
          failed: () => ends++,
        });
        s.start(now);
        for (const c of cmds) {
          const over = s.state === 'done' || s.state === 'failed';
          const baseBefore = s.base;
          const mark = sent.length;
          if (c.t === 'ack') {
            const wire = c.near ? (baseBefore - 1 + c.offset) & 0xffff : c.wire;
            const acked = seqFromWire(wire, baseBefore - 1);
            const stale = s.state === 'sending' && acked < baseBefore;
            const wouldMove = s.state === 'sending' && acked >= baseBefore;
            if (wouldMove) epoch++;
            s.ack(wire, now);
            if (stale) expect(sent.slice(mark), `stale ACK ${wire} made DATA go out`).toEqual([]);
          } else if (c.t === 'tick') {
            now += c.dt;
            epoch++;
            s.tick(now);
          } else if (c.t === 'load') {
            loaded = Math.min(cfg.lastSeq, loaded + c.n);
            s.dataReady(now);
          } else if (c.t === 'resume') {
            if (resumeWanted) {
              resumeWanted = false;
              s.resume(now);
            }
          } else {
            s.peerError(0, 'stop');
          }
          const fresh = sent.slice(mark);
          if (over) expect(fresh, 'sent after the end').toEqual([]);
          const highestBefore = highest;
          for (const b of fresh) {
            if (checkBelowBase) expect(b).toBeGreaterThanOrEqual(s.base); // never a block already acknowledged
            // Past the window a block goes out for the first time only as the probe of a timeout
            // (a deaf client), and only the one after the highest sent before it.
            if (b >= s.base + cfg.windowsize && b > highestBefore) {
              expect(c.t, `block ${b} past the window without a timeout`).toBe('tick');
              expect(cfg.windowsize, `block ${b} past the window of a lock-step client`).toBeGreaterThan(1);
              expect(b).toBe(highestBefore + 1);
            }
            expect(b).toBeLessThanOrEqual(Math.min(cfg.lastSeq, loaded)); // never past the data
            highest = Math.max(highest, b);
          }
          expect(s.base).toBeGreaterThanOrEqual(baseBefore);
          expect(ends).toBeLessThanOrEqual(1);
          if (s.state === 'done') expect(s.base).toBe(cfg.lastSeq + 1);
        }
      },
    ),
    { numRuns: 1000 },
  );
}

describe('ReadSession under random input', () => {
  it('never throws; no resend without a timeout or a gap; window, base and end hold', () => {
    readSessionProperty(false);
  });

  // After a timer resend that pacing cut short, an ACK that moves base past `next` must move
  // `next` with it (windowsize 2, three blocks, two loaded: DATA 1, 2; timeout: DATA 1; ACK 2).
  it('never sends a block that is already acknowledged', () => {
    readSessionProperty(true);
  });

  it('never sends a block that is already acknowledged: the minimal case', () => {
    const sent: number[] = [];
    const s = new ReadSession(
      { windowsize: 2, withOack: false, retries: 1, timeoutMs: 20 },
      { lastSeq: 3, has: (seq) => seq <= 2 },
      {
        sendOack: () => undefined,
        resumeLater: () => undefined,
        sendBlock: (seq) => sent.push(seq),
        released: () => undefined,
        finished: () => undefined,
        failed: () => undefined,
      },
    );
    s.start(0);
    s.tick(20);
    expect(sent).toEqual([1, 2, 1]);
    s.ack(2, 21);
    expect(s.base).toBe(3);
    expect(sent).toEqual([1, 2, 1]); // block 3 is not loaded yet: nothing to send
  });
});

type WriteCmd =
  | { t: 'data'; near: boolean; offset: number; wire: number; len: number }
  | { t: 'tick'; dt: number }
  | { t: 'hold' }
  | { t: 'resume' }
  | { t: 'committed' }
  | { t: 'error'; local: boolean };

const writeCmd: fc.Arbitrary<WriteCmd> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.record({
      t: fc.constant('data' as const),
      near: fc.boolean(),
      offset: fc.integer({ min: -3, max: 5 }),
      wire: fc.integer({ min: 0, max: 65535 }),
      len: fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 600 })),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({ t: fc.constant('tick' as const), dt: fc.integer({ min: 0, max: 3000 }) }),
  },
  { weight: 1, arbitrary: fc.constant({ t: 'hold' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'resume' as const }) },
  { weight: 1, arbitrary: fc.constant({ t: 'committed' as const }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('error' as const), local: fc.boolean() }) },
);

describe('WriteSession under random input', () => {
  it('never throws; accepts blocks in order only, never ACKs what it has not got, nothing after the end', () => {
    fc.assert(
      fc.property(
        fc.record({
          blksize: fc.constantFrom(8, 512),
          windowsize: fc.constantFrom(1, 4),
          retries: fc.integer({ min: 1, max: 5 }),
          timeoutMs: fc.integer({ min: 20, max: 1000 }),
          withOack: fc.boolean(),
          maxBytes: fc.integer({ min: 0, max: 20_000 }),
        }),
        fc.array(writeCmd, { maxLength: 300 }),
        (cfg, cmds) => {
          const acks: number[] = [];
          const accepted: number[] = [];
          let commits = 0;
          let ends = 0;
          let committedCalled = false;
          let now = 0;
          const s = new WriteSession(cfg, {
            sendAck: (seq) => acks.push(seq),
            sendOack: () => undefined,
            accept: (data) => accepted.push(data.length),
            commit: () => commits++,
            finished: () => ends++,
            failed: () => ends++,
          });
          s.start(now);
          for (const c of cmds) {
            const expectedBefore = s.expected;
            const failedBefore = s.state === 'failed';
            const mark = accepted.length;
            if (c.t === 'data') {
              const wire = c.near ? (expectedBefore + c.offset) & 0xffff : c.wire;
              const len = c.len < 0 ? cfg.blksize : c.len;
              s.data(wire, Buffer.alloc(len, 1), now);
              if (accepted.length > mark) {
                expect(seqFromWire(wire, expectedBefore - 1), 'accepted out of order').toBe(expectedBefore);
                expect(len).toBeLessThanOrEqual(cfg.blksize);
              }
            } else if (c.t === 'tick') {
              now += c.dt;
              s.tick(now);
            } else if (c.t === 'hold') s.holdAcks();
            else if (c.t === 'resume') s.resume(now);
            else if (c.t === 'committed') {
              if (s.state === 'committing') committedCalled = true;
              s.committed(now);
            } else if (c.t === 'error' && c.local) {
              // (a local error after the end is its own test below)
              if (s.state !== 'dallying' && s.state !== 'done') s.localError(3, 'disk full');
            } else s.peerError(0, 'stop');
            if (failedBefore) expect(accepted.length, 'accepted after failing').toBe(mark);
            expect(s.expected).toBeGreaterThanOrEqual(expectedBefore);
            expect(accepted.length).toBe(s.expected - 1);
            expect(accepted.reduce((a, b) => a + b, 0)).toBe(s.bytes);
            expect(s.bytes).toBeLessThanOrEqual(cfg.maxBytes);
            for (const a of acks) expect(a).toBeLessThanOrEqual(s.expected - 1);
            // The ACK of the last block waits for the file to be committed.
            const lastBlock =
              accepted.length > 0 && (accepted.at(-1) as number) < cfg.blksize ? s.expected - 1 : -1;
            if (lastBlock > 0 && !committedCalled) expect(acks).not.toContain(lastBlock);
            expect(commits).toBeLessThanOrEqual(1);
            expect(ends).toBeLessThanOrEqual(1);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('WriteSession after the end', () => {
  // Once committed and acknowledged, an upload has one end: a late local error reports nothing.
  it('a local error while dallying reports nothing: one end per session', () => {
    const ends: string[] = [];
    const s = new WriteSession(
      { blksize: 512, windowsize: 1, timeoutMs: 1000, retries: 3, withOack: false, maxBytes: 1000 },
      {
        sendAck: () => undefined,
        sendOack: () => undefined,
        accept: () => undefined,
        commit: () => undefined,
        finished: () => ends.push('finished'),
        failed: () => ends.push('failed'),
      },
    );
    s.start(0);
    s.data(1, Buffer.alloc(10), 1);
    s.committed(2);
    s.localError(0, 'Network error (ECONNREFUSED)');
    expect(ends).toEqual(['finished']);
    expect(s.state).toBe('dallying');
  });
});
