// The upload state machine, driven by hand with a fake clock.
import { describe, expect, it } from 'vitest';
import {
  WriteSession,
  type WriteOutput,
  type WriteSessionConfig,
} from '../../electron/tftp/session-write.js';

function harness(cfg: Partial<WriteSessionConfig> = {}) {
  const acks: number[] = [];
  const log: string[] = [];
  const accepted: string[] = [];
  const out: WriteOutput = {
    sendAck: (seq) => acks.push(seq),
    sendOack: () => log.push('oack'),
    accept: (data, last) => accepted.push(data.toString() + (last ? '|last' : '')),
    commit: () => log.push('commit'),
    finished: () => log.push('finished'),
    failed: (code, message, by) => log.push(`failed ${code} ${by} ${message}`),
  };
  const session = new WriteSession(
    { blksize: 4, windowsize: 1, timeoutMs: 1000, retries: 3, withOack: false, maxBytes: 1000, ...cfg },
    out,
  );
  return { session, acks, log, accepted };
}
const b = (s: string) => Buffer.from(s);

describe('WriteSession', () => {
  it('acknowledges with ACK 0, takes blocks in order, commits before the final ACK', () => {
    const { session, acks, log, accepted } = harness();
    session.start(0);
    expect(acks).toEqual([0]);
    session.data(1, b('abcd'), 1);
    session.data(2, b('ef'), 2);
    expect(accepted).toEqual(['abcd', 'ef|last']);
    expect(acks).toEqual([0, 1]); // no ACK 2 before the commit
    expect(log).toEqual(['commit']);
    session.committed(3);
    expect(acks).toEqual([0, 1, 2]);
    expect(session.state).toBe('dallying');
  });

  it('re-acknowledges a repeated last DATA while dallying, then ends', () => {
    const { session, acks } = harness();
    session.start(0);
    session.data(1, b('ab'), 1);
    session.committed(2);
    session.data(1, b('ab'), 3);
    expect(acks).toEqual([0, 1, 1]);
    for (let t = 100; t <= 2100; t += 100) session.tick(t);
    expect(session.state).toBe('done');
  });

  it('repeats the final ACK twice unasked while dallying (a lost one costs curl 72 s)', () => {
    const { session, acks } = harness();
    session.start(0);
    session.data(1, b('ab'), 1);
    session.committed(2);
    for (let t = 100; t <= 1900; t += 100) session.tick(t);
    expect(acks).toEqual([0, 1, 1, 1]);
    expect(session.state).toBe('dallying');
    session.tick(2002);
    expect(session.state).toBe('done');
  });

  it('sends an OACK instead of ACK 0 when options were granted', () => {
    const { session, acks, log } = harness({ withOack: true });
    session.start(0);
    expect(acks).toEqual([]);
    expect(log).toEqual(['oack']);
  });

  it('re-acknowledges a duplicate block and writes nothing twice (D6)', () => {
    const { session, acks, accepted } = harness();
    session.start(0);
    session.data(1, b('abcd'), 1);
    session.data(1, b('abcd'), 2);
    expect(accepted).toEqual(['abcd']);
    expect(acks).toEqual([0, 1, 1]);
  });

  it('writes nothing out of order on a gap (D6)', () => {
    const { session, accepted } = harness();
    session.start(0);
    session.data(2, b('efgh'), 1);
    expect(accepted).toEqual([]);
  });

  it('accepts a final empty DATA when the size is a multiple of blksize (D8)', () => {
    const { session, accepted, log } = harness();
    session.start(0);
    session.data(1, b('abcd'), 1);
    session.data(2, b(''), 2);
    expect(accepted).toEqual(['abcd', '|last']);
    expect(log).toEqual(['commit']);
  });

  it('refuses DATA larger than the block size with ERROR 4 (D7)', () => {
    const { session, log } = harness();
    session.start(0);
    session.data(1, b('abcdef'), 1);
    expect(log).toEqual(['failed 4 server DATA larger than the block size']);
  });

  it('stops at the maximum upload size with ERROR 3', () => {
    const { session, log } = harness({ maxBytes: 6 });
    session.start(0);
    session.data(1, b('abcd'), 1);
    session.data(2, b('efgh'), 2);
    expect(log).toEqual(['failed 3 server Upload exceeds the maximum size']);
  });

  it('acknowledges once per window and reports a gap once (RFC 7440)', () => {
    const { session, acks } = harness({ windowsize: 3 });
    session.start(0);
    session.data(1, b('aaaa'), 1);
    session.data(2, b('bbbb'), 2);
    expect(acks).toEqual([0]);
    session.data(3, b('cccc'), 3);
    expect(acks).toEqual([0, 3]);
    session.data(5, b('eeee'), 4); // 4 lost
    session.data(6, b('ffff'), 5);
    expect(acks).toEqual([0, 3, 3]);
  });

  it('resends its last ACK on timeout and gives up after the retries', () => {
    const { session, acks, log } = harness({ retries: 2 });
    session.start(0);
    session.tick(1000); // an unproven peer: the 1 s timeout, doubling
    session.tick(3000);
    expect(acks).toEqual([0, 0, 0]);
    session.tick(6999);
    expect(log).toEqual([]);
    session.tick(7000);
    expect(log.at(-1)).toMatch(/^failed 0 timeout/);
  });

  it('holds ACKs while the writer catches up, and does not time out meanwhile', () => {
    const { session, acks } = harness({ retries: 1 });
    session.start(0);
    session.holdAcks();
    session.data(1, b('abcd'), 1);
    expect(acks).toEqual([0]);
    session.tick(5000);
    expect(session.state).toBe('receiving');
    session.resume(5001);
    expect(acks).toEqual([0, 1]);
  });

  it('stops on an ERROR from the client', () => {
    const { session, log } = harness();
    session.start(0);
    session.data(1, b('abcd'), 1);
    session.peerError(0, 'user cancelled');
    expect(log.at(-1)).toBe('failed 0 client user cancelled');
    expect(session.state).toBe('failed');
  });

  it('does not resend an OACK on its timer, but answers a repeated WRQ (curl would shift the file)', () => {
    const { session, log } = harness({ withOack: true, blksize: 1468 });
    session.start(0);
    for (let t = 1000; t <= 60_000; t += 1000) session.tick(t);
    expect(log).toEqual(['oack']); // a minute of silence: still waiting, nothing sent
    session.requestRepeated(1001);
    expect(log).toEqual(['oack', 'oack']);
    session.data(1, b('ab'), 1002);
    session.requestRepeated(1003); // too late: data is flowing
    expect(log).toEqual(['oack', 'oack', 'commit']);
  });

  it('times no round trip across a repeated WRQ (Karn): a lost block after it costs a second, not the timeout', () => {
    const { session, acks, log } = harness({ blksize: 1468, withOack: true, timeoutMs: 3000, maxBytes: 1e6 });
    session.start(0);
    session.requestRepeated(5000); // atftp's timer: our OACK was lost
    expect(log).toEqual(['oack', 'oack']);
    session.data(1, Buffer.alloc(1468), 5001);
    expect(acks).toEqual([1]);
    for (let now = 5002; now <= 6001; now++) session.tick(now);
    // DATA 2 (or ACK 1) lost: ACK 1 again within RFC 6298's first 1 s, not after the 3 s ceiling
    // that a 5 s 'round trip' from the first OACK would give.
    expect(acks).toEqual([1, 1]);
  });

  it('a DATA 1 that came on the client timer (its first lost) times no round trip', () => {
    const { session, acks } = harness({ blksize: 1468, withOack: true, timeoutMs: 3000, maxBytes: 1e6 });
    session.start(0);
    session.data(1, Buffer.alloc(1468), 5000);
    expect(acks).toEqual([1]);
    for (let now = 5001; now <= 6000; now++) session.tick(now);
    expect(acks).toEqual([1, 1]);
  });

  it('cannot fail once the file is committed and acknowledged', () => {
    const { session, log } = harness();
    session.start(0);
    session.data(1, b('ab'), 1);
    session.committed(2);
    session.localError(0, 'late');
    expect(session.state).toBe('dallying');
    expect(log).toEqual(['commit', 'finished']);
  });

  it('gives an upload with options up after the long silent wait for its first DATA', () => {
    const { session, log } = harness({ withOack: true, blksize: 1468 });
    session.start(0);
    for (let t = 1000; t <= 81_000; t += 1000) session.tick(t);
    expect(log.at(-1)).toMatch(/^failed 0 timeout/);
  });

  it('after an OACK with default framing, sends ACK 0 on its timer (curl resends DATA 1 at once)', () => {
    const { session, acks, log } = harness({ withOack: true, blksize: 512 });
    session.start(0);
    session.tick(1000);
    expect(log).toEqual(['oack']);
    expect(acks).toEqual([0]);
  });
});
