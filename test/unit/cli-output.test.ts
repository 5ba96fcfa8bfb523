// The human output of `tftp-desk serve`: what a person reads for each transfer and refusal.
import { describe, expect, it } from 'vitest';
import { HumanPrinter } from '../../electron/cli/cli-output.js';
import { logEvent } from '../../electron/tftp/transfer.js';
import { failedSessionEvent, type EngineEvent, type SessionStartedEvent } from '../../shared/events.js';

function printer(verbose = false) {
  const out: string[] = [];
  const err: string[] = [];
  const p = new HumanPrinter(
    (line) => out.push(line),
    (line) => err.push(line),
    verbose,
  );
  return { p, out, err };
}

const started = (id: string, file: string): EngineEvent => ({
  type: 'session-started',
  time: 0,
  id,
  peer: '127.0.0.1:50000',
  file,
  direction: 'download',
  mode: 'octet',
  options: { blksize: 1468, windowsize: 8, timeout: 3 },
});

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('HumanPrinter', () => {
  it('prints a refused request as one line with its reason, and no separate warning', async () => {
    const { p, out, err } = printer();
    // As the engine emits a refusal: start, end and warning in one turn.
    p.print(started('r1', 'missing.bin'));
    p.print({
      ...failedSessionEvent({ time: 0, id: 'r1', code: 1, message: 'File not found' }),
      reason: 'file not found',
    });
    p.print(logEvent('warn', 'RRQ refused: file not found (ERROR 1)', '127.0.0.1:50000', 'r1'));
    await nextTurn();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(
      /download refused {2}127\.0\.0\.1:50000 {2}missing\.bin {2}ERROR 1: File not found \(file not found\)$/,
    );
    expect(err).toEqual([]);
  });

  it('prints a transfer that starts at the end of the turn, before anything later', async () => {
    const { p, out, err } = printer();
    p.print(started('t1', 'fw.bin'));
    expect(out).toEqual([]);
    await nextTurn();
    expect(out).toHaveLength(1);
    expect(out[0]).toMatch(
      /download started {2}127\.0\.0\.1:50000 {2}fw\.bin {2}\(octet, blksize 1468, window 8\)$/,
    );
    p.print(started('t2', 'second.bin'));
    p.print(
      logEvent('warn', 'packet from an unknown transfer ID answered with ERROR 5', '127.0.0.1:9', 't2'),
    );
    expect(out[1]).toContain('second.bin');
    expect(err[0]).toContain('unknown transfer ID');
  });

  it('names the device profile a transfer ran under', async () => {
    const { p, out } = printer();
    p.print({ ...(started('t9', 'fw.bin') as SessionStartedEvent), profile: 'old-u-boot' });
    await nextTurn();
    expect(out[0]).toMatch(/\(octet, blksize 1468, window 8, profile old-u-boot\)$/);
  });

  it('keeps a failed transfer as a failed line and its warning', async () => {
    const { p, out, err } = printer();
    p.print(started('t3', 'fw.bin'));
    await nextTurn();
    p.print(failedSessionEvent({ time: 0, id: 't3', code: 0, message: 'Timed out', by: 'timeout' }));
    p.print(logEvent('warn', 'download timed out: Timed out (code 0)', '127.0.0.1:50000', 't3'));
    expect(out[1]).toMatch(
      /download failed {3}127\.0\.0\.1:50000 {2}fw\.bin {2}ERROR 0: Timed out \(timed out\)$/,
    );
    expect(err).toHaveLength(1);
  });
});
