// The download state machine, driven by hand: packets in, a fake clock, no sockets, no sleeps.
import { describe, expect, it } from 'vitest';
import { ReadSession, type ReadOutput, type ReadSessionConfig } from '../../electron/tftp/session-read.js';

function harness(cfg: Partial<ReadSessionConfig> & { lastSeq?: number; loaded?: number } = {}) {
  const sent: number[] = [];
  const log: string[] = [];
  const source = {
    lastSeq: cfg.lastSeq ?? 10,
    loadedUpTo: cfg.loaded ?? 1e9,
    has(seq: number) {
      return seq <= this.loadedUpTo;
    },
  };
  const out: ReadOutput = {
    sendOack: () => log.push('oack'),
    resumeLater: () => log.push('resume-later'),
    sendBlock: (seq) => sent.push(seq),
    released: (seq) => log.push(`released ${seq}`),
    finished: () => log.push('finished'),
    failed: (code, message, by) => log.push(`failed ${code} ${by} ${message}`),
  };
  const session = new ReadSession(
    {
      windowsize: cfg.windowsize ?? 1,
      timeoutMs: cfg.timeoutMs ?? 1000,
      retries: cfg.retries ?? 5,
      withOack: cfg.withOack ?? false,
      checksOrder: cfg.checksOrder ?? false,
      refusesRepeatedOack: cfg.refusesRepeatedOack ?? false,
    },
    source,
    out,
  );
  return { session, sent, log, source };
}

/**
 * A silent client: ticks every millisecond until the session ends or `untilMs`, resuming paced
 * sends in full, and returns what each timeout sent.
 */
function silentClient(session: ReadSession, sent: number[], fromMs: number, untilMs = 60_000): number[][] {
  const rounds: number[][] = [];
  for (let now = fromMs; now < untilMs && session.state === 'sending'; now++) {
    const before = sent.length;
    session.tick(now);
    for (let i = 0; i < 8; i++) session.resume(now);
    if (sent.length > before) rounds.push(sent.slice(before));
  }
  return rounds;
}

describe('ReadSession: lockstep', () => {
  it('sends block 1 at once without an OACK, then one block per ACK, and finishes', () => {
    const { session, sent, log } = harness({ lastSeq: 3 });
    session.start(0);
    expect(sent).toEqual([1]);
    session.ack(1, 1);
    session.ack(2, 2);
    expect(sent).toEqual([1, 2, 3]);
    session.ack(3, 3);
    expect(session.state).toBe('done');
    expect(log).toContain('finished');
  });

  it('waits for ACK 0 after an OACK before DATA 1; other ACKs do not start it', () => {
    const { session, sent, log } = harness({ withOack: true });
    session.start(0);
    expect(log).toEqual(['oack']);
    session.ack(1, 1);
    expect(sent).toEqual([]);
    session.ack(0, 2);
    expect(sent).toEqual([1]);
  });

  it('answers a repeated request before the first ACK: not a copy right behind, three times in all', () => {
    const { session, log } = harness({ withOack: true, timeoutMs: 5000 });
    session.start(0);
    const oacks = () => log.filter((l) => l === 'oack').length;
    session.requestRepeated(20); // a copy right behind the first: our answer may be in flight
    expect(oacks()).toBe(1);
    session.requestRepeated(150); // busybox's 100 ms timer fired: our OACK was lost
    expect(oacks()).toBe(2);
    session.requestRepeated(170);
    expect(oacks()).toBe(2);
    session.requestRepeated(400);
    session.requestRepeated(700);
    session.requestRepeated(950); // a fourth: the request may be spoofed
    expect(oacks()).toBe(4);
    session.ack(0, 990);
    session.requestRepeated(2000); // the client has answered: repeats are stale
    expect(oacks()).toBe(4);
  });

  it('resends an unanswered OACK after a second, then at the timeout doubling, three sends in all', () => {
    const { session, log } = harness({ withOack: true, timeoutMs: 6000 });
    session.start(0);
    const at: number[] = [0];
    for (let now = 1; now <= 40_000 && session.state === 'negotiating'; now++) {
      const before = log.filter((l) => l === 'oack').length;
      session.tick(now);
      if (log.filter((l) => l === 'oack').length > before) at.push(now);
    }
    // curl asks for 6 s and keeps quiet that long when its ACK 0 is lost: the resend must not wait it out.
    expect(at).toEqual([0, 1000, 13_000]);
    expect(session.state).toBe('failed');
  });

  it('to a client that may refuse a second OACK (atftp), every OACK resend waits out its 5 s timer', () => {
    const { session, log } = harness({ withOack: true, timeoutMs: 1000, refusesRepeatedOack: true });
    session.start(0);
    const at: number[] = [0];
    let endedAt = 0;
    for (let now = 1; now <= 40_000 && session.state === 'negotiating'; now++) {
      const before = log.filter((l) => l === 'oack').length;
      session.tick(now);
      if (log.filter((l) => l === 'oack').length > before) at.push(now);
      endedAt = now;
    }
    expect(at).toEqual([0, 6250, 12_500]);
    expect(session.state).toBe('failed');
    expect(endedAt).toBe(18_750); // still given up on: three sends, then freed
    // Its ACK 0, resent on its own timer, goes on as usual.
    const again = harness({ withOack: true, timeoutMs: 1000, refusesRepeatedOack: true });
    again.session.start(0);
    again.session.tick(5000);
    again.session.ack(0, 5001);
    expect(again.sent).toEqual([1]);
  });

  it('an ACK 0 that came on the client timer (seconds after the one OACK) times no round trip', () => {
    const { session, sent } = harness({ withOack: true, timeoutMs: 3000, refusesRepeatedOack: true });
    session.start(0);
    session.ack(0, 5001); // atftp resent its lost ACK 0 after 5 s
    expect(sent).toEqual([1]);
    for (let now = 5002; now <= 6001; now++) session.tick(now);
    // DATA 1 lost: resent after RFC 6298's first 1 s, not the 3 s ceiling a 5 s 'round trip' gives.
    expect(sent).toEqual([1, 1]);
  });

  it('a request from a client that has answered ends the session quietly (a new client got the port)', () => {
    const { session, sent, log } = harness({ lastSeq: 5, timeoutMs: 5000 });
    session.start(0);
    session.ack(1, 10);
    expect(session.clientAnswered).toBe(true);
    expect(session.mayHaveStartedOver(500)).toBe(false); // still talking: a delayed or spoofed copy
    session.ack(1, 900); // a duplicate ACK is talking too
    expect(session.mayHaveStartedOver(1500)).toBe(false);
    expect(session.mayHaveStartedOver(1900)).toBe(true); // silent for 1 s: a new process on the port
    session.clientStartedOver();
    expect(session.state).toBe('failed');
    expect(log.at(-1)).toBe('failed 0 client The client started a new transfer from the same port');
    session.tick(60_000);
    expect(sent).toEqual([1, 2]); // nothing after the end
  });

  it('answers a repeated request without options with DATA 1, until block 1 is acknowledged', () => {
    const { session, sent } = harness({ lastSeq: 5, timeoutMs: 5000 });
    session.start(0);
    session.requestRepeated(1200);
    expect(sent).toEqual([1, 1]);
    session.ack(1, 1300);
    session.requestRepeated(2500);
    expect(sent).toEqual([1, 1, 2]);
  });

  it("never resends on a duplicate ACK (Sorcerer's Apprentice, D5)", () => {
    const { session, sent } = harness({ lastSeq: 5 });
    session.start(0);
    session.ack(1, 1);
    session.ack(1, 2);
    session.ack(1, 3);
    session.ack(0, 4); // stale
    expect(sent).toEqual([1, 2]);
  });

  it('ignores an ACK for a block never sent (D2)', () => {
    const { session, sent } = harness({ lastSeq: 5 });
    session.start(0);
    session.ack(3, 1);
    expect(sent).toEqual([1]);
    expect(session.base).toBe(1);
  });

  it('resends only on timeout, with a bounded number of retries, then fails and reports it', () => {
    const { session, sent, log } = harness({ lastSeq: 5, timeoutMs: 1000, retries: 3 });
    session.start(0);
    session.tick(999);
    expect(sent).toEqual([1]);
    // unproven peer: resends from the ceiling, doubling, at most 2 times (reflection guard)
    session.tick(1000);
    session.tick(2999);
    expect(sent).toEqual([1, 1]);
    session.tick(3000);
    expect(sent).toEqual([1, 1, 1]);
    session.tick(6999);
    expect(session.state).toBe('sending');
    session.tick(7000);
    expect(session.state).toBe('failed');
    expect(log.at(-1)).toMatch(/^failed 0 timeout/);
    session.tick(10_000);
    expect(sent).toHaveLength(3);
  });

  it('adapts the timeout to the measured round trip once the peer is proven', () => {
    const { session, sent } = harness({ lastSeq: 100, timeoutMs: 3000 });
    session.start(0);
    for (let b = 1; b <= 20; b++) session.ack(b, b * 1); // 1 ms round trips
    const before = sent.length;
    session.tick(20 + 50); // far below the 3 s ceiling
    expect(sent.length).toBe(before + 1);
    expect(sent.at(-1)).toBe(21);
  });

  it('rolls block numbers over 65535 -> 0', () => {
    const { session, sent } = harness({ lastSeq: 70_000 });
    session.start(0);
    for (let seq = 1; seq <= 65_537; seq++) session.ack(seq & 0xffff, seq);
    expect(session.base).toBe(65_538);
    expect(sent.at(-1)).toBe(65_538);
  });

  it('ends quietly on an ERROR from the client (ERROR 8 refusing the OACK)', () => {
    const { session, log } = harness({ withOack: true });
    session.start(0);
    session.peerError(8, 'no thanks');
    expect(session.state).toBe('failed');
    expect(log.at(-1)).toBe('failed 8 client no thanks');
    session.tick(5000);
    expect(log.filter((l) => l === 'oack')).toHaveLength(1);
  });

  it('holds sending until data is loaded', () => {
    const { session, sent, source } = harness({ lastSeq: 5, loaded: 0 });
    session.start(0);
    expect(sent).toEqual([]);
    source.loadedUpTo = 5;
    session.dataReady(1);
    expect(sent).toEqual([1]);
  });
});

describe('ReadSession: lock-step client that checks the order (busybox, atftp)', () => {
  /** Proven with 1 ms round trips up to block `upTo`; block upTo + 1 is out at `upTo` ms. */
  function proven(upTo: number, cfg: Partial<ReadSessionConfig> & { lastSeq?: number } = {}) {
    const h = harness({ lastSeq: 50, timeoutMs: 3000, checksOrder: true, ...cfg });
    h.session.start(0);
    for (let b = 1; b <= upTo; b++) h.session.ack(b, b);
    return h;
  }

  it('its ACK lost: the resend carries the next block too, whose ACK moves on at the round trip', () => {
    const { session, sent } = proven(10);
    expect(sent.at(-1)).toBe(11);
    const before = sent.length;
    session.tick(10 + 4);
    expect(sent.length).toBe(before); // the 5 ms floor
    session.tick(10 + 5);
    expect(sent.slice(before)).toEqual([11, 12]);
    session.ack(12, 21); // busybox ignored the repeat of 11 and took 12
    expect(session.base).toBe(13);
    expect(sent.slice(before)).toEqual([11, 12, 13]);
    session.ack(13, 22);
    expect(sent.at(-1)).toBe(14);
  });

  it('the block lost: the ACK of the resent block is followed by the next one again', () => {
    const { session, sent } = proven(10);
    const before = sent.length;
    session.tick(30);
    expect(sent.slice(before)).toEqual([11, 12]);
    session.ack(11, 31); // the client lacked 11: it took the resend (and maybe dropped 12)
    expect(session.base).toBe(12);
    expect(sent.slice(before)).toEqual([11, 12, 12]);
    session.ack(12, 32);
    expect(sent.at(-1)).toBe(13);
  });

  it('a silent client gets one block ahead at most, and is given up on within the retries', () => {
    const { session, sent, log } = proven(10, { timeoutMs: 1000, retries: 5 });
    const before = sent.length;
    const rounds = silentClient(session, sent, 11);
    expect(new Set(sent.slice(before))).toEqual(new Set([11, 12]));
    expect(rounds.length).toBeLessThan(20);
    expect(log.at(-1)).toMatch(/^failed 0 timeout/);
  });

  it('nothing ahead before the client has answered (reflection guard), nor past the last block', () => {
    const unproven = harness({ lastSeq: 50, timeoutMs: 1000, checksOrder: true });
    unproven.session.start(0);
    silentClient(unproven.session, unproven.sent, 1);
    expect(new Set(unproven.sent)).toEqual(new Set([1]));
    expect(unproven.sent.length).toBeLessThanOrEqual(3);

    const { session, sent } = proven(4, { lastSeq: 5 });
    const before = sent.length;
    session.tick(4 + 10);
    expect(sent.slice(before)).toEqual([5]);
  });
});

describe('ReadSession: windows (RFC 7440)', () => {
  it('sends a whole window and slides on its ACK', () => {
    const { session, sent } = harness({ lastSeq: 20, windowsize: 4 });
    session.start(0);
    expect(sent).toEqual([1, 2, 3, 4]);
    session.ack(4, 1);
    expect(sent).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('restarts the window after the block an early ACK names (gap in mid-window, D14), paced after a loss', () => {
    const { session, sent, log } = harness({ lastSeq: 20, windowsize: 4 });
    session.start(0);
    session.ack(2, 1); // blocks 3 and 4 lost
    expect(sent.slice(4)).toEqual([3, 4]); // the burst halves on loss...
    expect(log).toContain('resume-later');
    session.resume(2);
    expect(sent.slice(4)).toEqual([3, 4, 5, 6]); // ...and the window is completed after a yield
  });

  it('on timeout resends from the first unacknowledged block', () => {
    const { session, sent } = harness({ lastSeq: 20, windowsize: 4, timeoutMs: 1000 });
    session.start(0);
    session.ack(4, 1); // 1 ms round trip: the timer fires after 5 ms
    session.tick(10);
    session.resume(11);
    expect(sent.slice(8)).toEqual([5, 6, 7, 8]);
  });

  it('after a resent OACK the first window still times the round trip (Karn spares new blocks)', () => {
    const { session, sent } = harness({ lastSeq: 40, windowsize: 4, timeoutMs: 3000, withOack: true });
    session.start(0);
    session.tick(3000); // ACK 0 lost: the OACK again, so ACK 0 times nothing
    session.ack(0, 3001);
    session.ack(4, 3002); // blocks 1..4 were sent once: 1 ms
    expect(sent).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    session.tick(3050); // with a 1 ms estimate, the lost window is resent within milliseconds...
    session.resume(3051);
    expect(sent.slice(8)).toEqual([5, 6, 7, 8]); // ...not after the 3 s ceiling
  });

  it('a client silent for long gets a new block first, then the repeats (atftp whose ACKs were lost)', () => {
    const { session, sent, log } = harness({ lastSeq: 40, windowsize: 4, timeoutMs: 1000, retries: 3 });
    session.start(0);
    session.ack(4, 1); // proven; 5..8 out
    const late = silentClient(session, sent, 2).filter((r) => r[0] !== 5); // the rounds after 400 ms of silence
    // one block past everything sent leads each round, then all the client may lack follows
    expect(late.slice(0, 3)).toEqual([
      [9, 5, 6, 7, 8],
      [10, 5, 6, 7, 8, 9],
      [11, 5, 6, 7, 8, 9, 10],
    ]);
    expect(late.every((r, i) => r[0] === 9 + i)).toBe(true); // never further than that
    expect(log.at(-1)).toMatch(/^failed 0 timeout/); // retries still end the session
  });

  it('after the new block is acknowledged, the window moves on from it', () => {
    const { session, sent } = harness({ lastSeq: 40, windowsize: 4, timeoutMs: 1000 });
    session.start(0);
    session.ack(4, 1);
    session.tick(1000); // silent since 1: a deaf timeout
    expect(sent.slice(8, 9)).toEqual([9]);
    session.ack(9, 1001); // the client had 5..8: it took 9 and the repeat drew its ACK
    session.resume(1002);
    session.resume(1003);
    expect(sent.slice(-4)).toEqual([10, 11, 12, 13]);
  });

  it('grows the burst back to just below the burst that lost, then probes above it', () => {
    const { session, sent } = harness({ lastSeq: 10_000, windowsize: 8 });
    session.start(0);
    session.tick(5000); // a loss with a burst of 8: burst 4, and 8 is remembered
    session.resume(5001);
    let acked = 8;
    let now = 5002;
    /** acknowledges the window and returns how many blocks went out before the first pause */
    const cleanWindow = () => {
      const before = sent.length;
      session.ack(acked & 0xffff, now++);
      const burst = sent.length - before;
      session.resume(now++);
      acked += 8;
      return burst;
    };
    const bursts = Array.from({ length: 6 }, cleanWindow);
    expect(bursts).toEqual([5, 6, 7, 7, 7, 7]);
    const later = Array.from({ length: 16 }, cleanWindow);
    expect(later.at(-1)).toBe(8); // a probe above the old limit, after 16 clean windows
  });

  it('never sends past the window to a lock-step client, however long it is silent', () => {
    // Old U-Boot stores a block at its offset and barebox appends it: a block past the window
    // to a client that lacks the one before would corrupt the image.
    const { session, sent, log } = harness({ lastSeq: 20, timeoutMs: 1000, retries: 5 });
    session.start(0);
    session.ack(1, 1); // proven, 1 ms round trip; block 2 out
    silentClient(session, sent, 2);
    expect(new Set(sent.slice(1))).toEqual(new Set([2]));
    expect(log.at(-1)).toMatch(/^failed 0 timeout/);
  });
});
