// Lock-step transfers under loss against models of real clients' own timers, on a fake clock:
// busybox (networking/tftp.c: never answers a repeated block; resends its last ACK after 100 ms of
// silence, then 1.5x longer each time, back to 100 ms for each new block) and atftp 0.8
// (tftp_file.c: answers one repeated block with an extra ACK, then only its 5 s timer, which
// every packet it receives restarts). A packet takes 1 ms each way; losses are chosen packets.
import { describe, expect, it } from 'vitest';
import { ReadSession, type ReadOutput } from '../../electron/tftp/session-read.js';
import { WriteSession, type WriteOutput } from '../../electron/tftp/session-write.js';

interface ClientModel {
  /** a DATA packet arrived; returns the ACK to send, if any */
  data(block: number, now: number): number | undefined;
  /** returns the ACK to resend when the client's own timer fires at `now` */
  timer(now: number): number | undefined;
}

function busybox(): ClientModel {
  let expected = 1;
  let wait = 100;
  let deadline = 100;
  return {
    data(block, now) {
      if (block !== expected) {
        deadline = now + wait; // poll() restarts with the full wait
        return undefined;
      }
      expected++;
      wait = 100;
      deadline = now + wait;
      return block;
    },
    timer(now) {
      if (now < deadline) return undefined;
      wait = Math.min(2000, wait * 1.5);
      deadline = now + wait;
      return expected - 1;
    },
  };
}

function atftp(): ClientModel {
  let expected = 1;
  let extraAck = 0;
  let deadline = 5000;
  return {
    data(block, now) {
      deadline = now + 5000; // select() restarts on every packet
      if (block === expected) {
        expected++;
        extraAck = 0;
        return block;
      }
      if (extraAck > 0) return undefined;
      extraAck++;
      return expected - 1;
    },
    timer(now) {
      if (now < deadline) return undefined;
      extraAck = 0;
      deadline = now + 5000;
      return expected - 1;
    },
  };
}

interface Run {
  state: string;
  /** when the session finished or failed */
  endedAt: number;
  /** DATA packets sent, in order, with their times */
  sends: { seq: number; at: number }[];
}

/**
 * Runs a download of `blocks` blocks to `client`. `drop(kind, seq, copy)` says whether the
 * copy-th packet (0-based) of that kind and block is lost; `silentFrom`: the client vanishes once
 * it has that many blocks.
 */
function simulate(
  client: ClientModel,
  blocks: number,
  drop: (kind: 'data' | 'ack', seq: number, copy: number) => boolean,
  opts: {
    timeoutMs?: number;
    retries?: number;
    untilMs?: number;
    silentFrom?: number;
    /** extra milliseconds an ACK takes (its copy-th packet) */
    delayAck?: (seq: number, copy: number) => number;
  } = {},
): Run {
  const sends: { seq: number; at: number }[] = [];
  const copies = new Map<string, number>();
  const inFlight: { at: number; kind: 'data' | 'ack'; seq: number }[] = [];
  let now = 0;
  let received = 0;
  const put = (kind: 'data' | 'ack', seq: number) => {
    const key = `${kind} ${seq}`;
    const copy = copies.get(key) ?? 0;
    copies.set(key, copy + 1);
    const delay = kind === 'ack' ? (opts.delayAck?.(seq, copy) ?? 0) : 0;
    if (!drop(kind, seq, copy)) inFlight.push({ at: now + 1 + delay, kind, seq });
  };
  let endedAt = -1;
  const out: ReadOutput = {
    sendOack: () => undefined,
    resumeLater: () => undefined,
    sendBlock: (seq) => {
      sends.push({ seq, at: now });
      put('data', seq);
    },
    released: () => undefined,
    finished: () => (endedAt = now),
    failed: () => (endedAt = now),
  };
  const session = new ReadSession(
    { windowsize: 1, timeoutMs: opts.timeoutMs ?? 3000, retries: opts.retries ?? 5, withOack: false },
    { lastSeq: blocks, has: (seq) => seq <= blocks },
    out,
  );
  session.start(0);
  const vanished = () => opts.silentFrom !== undefined && received >= opts.silentFrom;
  for (now = 1; now < (opts.untilMs ?? 200_000) && endedAt < 0; now++) {
    const due = inFlight.filter((p) => p.at <= now);
    inFlight.splice(0, inFlight.length, ...inFlight.filter((p) => p.at > now));
    for (const p of due) {
      if (p.kind === 'ack') session.ack(p.seq, now);
      else if (!vanished()) {
        const ack = client.data(p.seq, now);
        if (ack === p.seq) received = Math.max(received, p.seq);
        if (ack !== undefined) put('ack', ack);
      }
    }
    const again = vanished() ? undefined : client.timer(now);
    if (again !== undefined) put('ack', again);
    session.tick(now);
  }
  return { state: session.state, endedAt, sends };
}

/** The first send of `seq` to the next block's first send: what a stall at `seq` cost. */
function stallAt(run: Run, seq: number): number {
  const first = run.sends.find((s) => s.seq === seq)?.at ?? NaN;
  const next = run.sends.find((s) => s.seq === seq + 1)?.at ?? NaN;
  return next - first;
}

describe('ReadSession, lock-step, against the clients own timers', () => {
  it('busybox: once its timer is measured, a lost ACK costs about that timer, not our backoff past it', () => {
    const lostAcks = [5, 15, 25, 35];
    const run = simulate(
      busybox(),
      40,
      (kind, seq, copy) => kind === 'ack' && lostAcks.includes(seq) && copy === 0,
    );
    expect(run.state).toBe('done');
    // The first loss teaches the session the client's 100 ms; after it, each loss costs ~120 ms
    // (one quick resend, then quiet until busybox's timer fires). Resends at 20, 40, 80 ms restart
    // that timer three times and cost ~240 ms.
    for (const seq of lostAcks.slice(1)) expect(stallAt(run, seq)).toBeLessThan(150);
  });

  it('busybox: its repeated ACK during a quiet wait draws the lost block at once', () => {
    // ACK 5 lost (the session learns the 100 ms timer), then DATA 15 and its first resend lost:
    // busybox's timer repeats ACK 14, which proves the loss.
    const run = simulate(
      busybox(),
      20,
      (kind, seq, copy) =>
        (kind === 'ack' && seq === 5 && copy === 0) || (kind === 'data' && seq === 15 && copy < 2),
    );
    expect(run.state).toBe('done');
    const fifteens = run.sends.filter((s) => s.seq === 15);
    const third = fifteens[2]?.at ?? NaN;
    const first = fifteens[0]?.at ?? NaN;
    // busybox's timer fires 100 ms after DATA 14; its ACK 14 arrives 1 ms later, the answer at once.
    expect(third - first).toBeLessThanOrEqual(105);
  });

  it('atftp: its ACK and its one extra ACK lost cost about its own 5 s timer, not three times that', () => {
    const run = simulate(atftp(), 20, (kind, seq, copy) => kind === 'ack' && seq === 5 && copy < 2);
    expect(run.state).toBe('done');
    // Quick resends for 0.3 s, then quiet until atftp's timer fires 5 s after the last of them.
    // Resends every 0.6-6 s (doubling to the 3 s ceiling and past it) each restarted that timer.
    expect(stallAt(run, 5)).toBeLessThan(6000);
  });

  it('a client that vanished is given up on within the retries, with few packets sent', () => {
    for (const model of [busybox, atftp]) {
      const run = simulate(model(), 40, () => false, { silentFrom: 10, timeoutMs: 3000, retries: 5 });
      expect(run.state).toBe('failed');
      const resends = run.sends.filter((s) => s.seq === 11).length - 1;
      // Quick resends (a handful) and one per retry.
      expect(resends).toBeLessThanOrEqual(12);
      // The same five waits at or past the ceiling as before (53 s then, with 13 resends).
      expect(run.endedAt).toBeLessThan(56_000);
    }
  });

  it('atftp: a client timer measured too short (a late ACK) still lets its 5 s timer fire in time', () => {
    // ACK 3 is lost and the resent block's extra ACK is delayed 200 ms: the silence before it
    // looks like a client timer. Then ACK 12 and its extra ACK are lost: the quiet waits must still reach past
    // atftp's 5 s before the retries run out.
    const run = simulate(
      atftp(),
      20,
      (kind, seq, copy) => kind === 'ack' && ((seq === 3 && copy === 0) || (seq === 12 && copy < 2)),
      {
        delayAck: (seq, copy) => (seq === 3 && copy === 1 ? 200 : 0),
      },
    );
    expect(run.state).toBe('done');
  });

  it('a storm of repeated ACKs during a quiet wait draws at most one resend per two round trips', () => {
    // A client (or a spoofer) that repeats ACK 9 every millisecond once ACK 10 was lost.
    const sends: number[] = [];
    const out: ReadOutput = {
      sendOack: () => undefined,
      resumeLater: () => undefined,
      sendBlock: (seq) => sends.push(seq),
      released: () => undefined,
      finished: () => undefined,
      failed: () => undefined,
    };
    const session = new ReadSession(
      { windowsize: 1, timeoutMs: 3000, retries: 5, withOack: false },
      { lastSeq: 40, has: () => true },
      out,
    );
    session.start(0);
    for (let b = 1; b <= 9; b++) session.ack(b, b); // 1 ms round trips: block 10 out at 9 ms
    let now = 10;
    for (; now < 700; now++) session.tick(now); // quick resends, then quiet
    const before = sends.length;
    for (let t = 700; t < 1700; t++) {
      session.ack(9, t);
      session.tick(t);
    }
    const answered = sends.length - before;
    expect(answered).toBeGreaterThan(0);
    // At most one answer per 40 ms (two round trips when longer): 1000 ms of storm, at most 26 answers.
    expect(answered).toBeLessThanOrEqual(26);
  });
});

/**
 * busybox uploading `blocks` 512-byte blocks: sends DATA, waits 100 ms for its ACK (back to 100 ms
 * for each new block, 1.5x longer after each timeout), ignores any other ACK, which restarts its
 * poll. Returns the times each block was first sent.
 */
function busyboxUpload(
  blocks: number,
  dropData: (seq: number, copy: number) => boolean,
  dropAck: (seq: number, copy: number) => boolean = () => false,
): Map<number, number> {
  const firstSent = new Map<number, number>();
  const copies = new Map<number, number>();
  const ackCopies = new Map<number, number>();
  const toServer: { at: number; seq: number }[] = [];
  const toClient: { at: number; seq: number }[] = [];
  let now = 0;
  let done = false;
  const out: WriteOutput = {
    sendAck: (seq) => {
      const copy = ackCopies.get(seq) ?? 0;
      ackCopies.set(seq, copy + 1);
      if (!dropAck(seq, copy)) toClient.push({ at: now + 1, seq });
    },
    sendOack: () => undefined,
    accept: () => undefined,
    commit: () => session.committed(now),
    finished: () => (done = true),
    failed: () => (done = true),
  };
  const session = new WriteSession(
    { blksize: 512, windowsize: 1, timeoutMs: 3000, retries: 5, withOack: false, maxBytes: 1e9 },
    out,
  );
  let sending = 0; // block in flight (0: waiting for ACK 0)
  let wait = 100;
  let deadline = Infinity;
  const sendData = (seq: number) => {
    if (!firstSent.has(seq)) firstSent.set(seq, now);
    const copy = copies.get(seq) ?? 0;
    copies.set(seq, copy + 1);
    if (!dropData(seq, copy)) toServer.push({ at: now + 1, seq });
    deadline = now + wait;
  };
  session.start(0);
  for (now = 1; now < 100_000 && !done; now++) {
    for (const p of toClient.filter((q) => q.at <= now)) {
      if (p.seq === sending && sending < blocks) {
        sending++;
        wait = 100;
        sendData(sending);
      } else deadline = now + wait; // poll() restarts
    }
    toClient.splice(0, toClient.length, ...toClient.filter((q) => q.at > now));
    for (const p of toServer.filter((q) => q.at <= now)) {
      session.data(p.seq, Buffer.alloc(p.seq === blocks ? 100 : 512), now);
    }
    toServer.splice(0, toServer.length, ...toServer.filter((q) => q.at > now));
    if (sending > 0 && now >= deadline) {
      wait = Math.min(2000, wait * 1.5);
      sendData(sending);
    }
    session.tick(now);
  }
  expect(done).toBe(true);
  return firstSent;
}

describe('WriteSession, lock-step, against the clients own timers', () => {
  it('busybox: once its timer is measured, a lost DATA costs about that timer; our ACKs do not postpone it', () => {
    const lost = [5, 15, 25, 35];
    const firstSent = busyboxUpload(40, (seq, copy) => lost.includes(seq) && copy === 0);
    const stall = (seq: number) => (firstSent.get(seq + 1) ?? NaN) - (firstSent.get(seq) ?? NaN);
    // Our ACK resent at 100 ms (the floor) lands as busybox's own 100 ms timer is about to fire and
    // restarts it: each loss cost ~200 ms. Once the session has seen a DATA come on that timer, it
    // waits past it, and busybox resends at 100 ms.
    for (const seq of lost.slice(1)) expect(stall(seq)).toBeLessThan(150);
  });

  it('busybox: a lost ACK is repaired at the round trip: the first resend for a block does not wait out its timer', () => {
    const lost = [5, 15, 25, 35];
    const firstSent = busyboxUpload(
      40,
      () => false,
      (seq, copy) => lost.includes(seq) && copy === 0,
    );
    const stall = (seq: number) => (firstSent.get(seq + 1) ?? NaN) - (firstSent.get(seq) ?? NaN);
    // busybox waits for that ACK, not for a DATA: our resend at the 10 ms floor is the one it takes.
    for (const seq of lost) expect(stall(seq)).toBeLessThan(30);
  });
});
