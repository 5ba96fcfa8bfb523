import { describe, expect, it } from 'vitest';
import { HumanPrinter } from '../../electron/cli/cli-output.js';
import { failedSessionEvent, type SessionStartedEvent } from '../../shared/events.js';
import type { RequestAsSent } from '../../shared/tftp-types.js';

function started(request?: RequestAsSent): SessionStartedEvent {
  return {
    type: 'session-started',
    time: Date.UTC(2026, 0, 1, 12, 0, 0),
    id: 'x',
    peer: '10.0.0.5:2070',
    file: 'XMLDefault.cnf.xml',
    direction: 'download',
    mode: 'octet',
    options: { blksize: 512, windowsize: 1, timeout: 3 },
    ...(request ? { request } : {}),
  };
}

/** What the printer writes for `e`: the started line waits for the end of the turn (a refusal may replace it). */
async function printed(e: SessionStartedEvent): Promise<string> {
  const lines: string[] = [];
  new HumanPrinter(
    (l) => lines.push(l),
    () => undefined,
    false,
  ).print(e);
  await new Promise((resolve) => setTimeout(resolve, 0));
  return lines.join('\n');
}

const base: RequestAsSent = {
  name: 'XMLDefault.cnf.xml',
  mode: 'octet',
  options: [],
  client: { client: 'curl', confidence: 'likely', reasons: ['r'] },
};

describe('the started line names the client and the name asked for', () => {
  it('a likely client beside the peer', async () => {
    expect(await printed(started(base))).toContain('10.0.0.5:2070 [curl]  XMLDefault.cnf.xml  (octet');
  });

  it('a guess marked as one, an unknown client left out', async () => {
    expect(
      await printed(started({ ...base, client: { client: 'busybox', confidence: 'guess', reasons: [] } })),
    ).toContain('10.0.0.5:2070 [BusyBox tftp?]  ');
    expect(
      await printed(started({ ...base, client: { client: 'unknown', confidence: 'guess', reasons: [] } })),
    ).toContain('10.0.0.5:2070  XMLDefault.cnf.xml');
    expect(await printed(started())).toContain('10.0.0.5:2070  XMLDefault.cnf.xml');
  });

  it('the name as sent when a rule mapped it, escaped', async () => {
    const line = await printed(
      started({
        ...base,
        name: 'SEP00\x1bAA.cnf.xml',
        mapped: { to: 'XMLDefault.cnf.xml', rule: 'r ^SEP x' },
      }),
    );
    expect(line).toContain('XMLDefault.cnf.xml (asked for "SEP00\\x1bAA.cnf.xml")');
  });
});

describe('a refused request is one line', () => {
  it('with its reason and what the device probably meant', async () => {
    const lines: string[] = [];
    const printer = new HumanPrinter(
      (l) => lines.push(l),
      () => undefined,
      false,
    );
    const asked = { ...started(base), file: 'boot/bcd' };
    printer.print(asked);
    printer.print({
      ...failedSessionEvent({
        time: asked.time,
        id: 'x',
        code: 1,
        message: 'File not found',
        reason: 'file not found',
      }),
      suggestions: [{ file: 'Boot/BCD', reason: 'case' }],
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(lines).toHaveLength(1);
    expect(lines[0]?.replace(/^\[[\d:]+\] /, '')).toBe(
      'download refused  10.0.0.5:2070 [curl]  boot/bcd  ERROR 1: File not found (file not found); did you mean "Boot/BCD" (case)',
    );
  });
});

describe('a transfer started from the browser UI ("Send to device")', () => {
  it('prints as a put or get to the device, and who ended a failure', async () => {
    const lines: string[] = [];
    const printer = new HumanPrinter(
      (l) => lines.push(l),
      () => undefined,
      false,
    );
    const put: SessionStartedEvent = {
      ...started(),
      id: 'c1',
      peer: '192.0.2.7:69',
      file: 'flash.bin',
      role: 'client',
    };
    printer.print(put);
    printer.print({
      type: 'session-finished',
      time: put.time,
      id: 'c1',
      stats: { bytes: 2048, durationMs: 1000, averageRate: 2048, retransmits: 0, sha256: 'ab'.repeat(32) },
    });
    const get: SessionStartedEvent = { ...put, id: 'c2', direction: 'upload', file: 'cfg' };
    printer.print(get);
    printer.print(failedSessionEvent({ time: put.time, id: 'c2', code: 1, message: 'The device refused.' }));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(lines.map((l) => l.replace(/^\[[\d:]+\] /, ''))).toEqual([
      'put started  192.0.2.7:69  flash.bin  (octet, blksize 512, window 1)',
      `put finished 192.0.2.7:69  flash.bin  2.05 kB in 1.00 s (2.05 kB/s, 0 resent) sha256 ${'ab'.repeat(32)}`,
      'get started  192.0.2.7:69  cfg  (octet, blksize 512, window 1)',
      'get failed   192.0.2.7:69  cfg  ERROR 1: The device refused. (from the device)',
    ]);
  });
});
