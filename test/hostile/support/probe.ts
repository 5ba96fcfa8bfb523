// One hostile datagram and what came back, plus the two checks every catalogue row repeats: the
// server still answers a control download byte-identical, and nothing outside the root changed.
import { expect } from 'vitest';
import { RawClient, type Received } from '../../helpers/raw-client.js';
import type { LoopbackHost } from '../../helpers/ports.js';
import { packetSummary } from '../../helpers/tftp-wire.js';
import { download } from './download.js';
import type { Jail } from './jail.js';

export const CONTROL_NAME = 'control.bin';

/** What a row expects: silence, or exactly one ERROR with one of these codes. */
export type Answer = { drop: true } | { error: readonly number[] };

export const DROP: Answer = { drop: true };
export const err = (...codes: number[]): Answer => ({ error: codes });

/** How long silence must last before "dropped" is believed (replies on loopback take < 5 ms). */
export const SILENCE_MS = 300;

/** Sends `packet` from a fresh socket to `port`; returns every reply within the window. */
export async function probe(
  port: number,
  packet: Buffer,
  opts: { host?: LoopbackHost; from?: string; waitMs?: number } = {},
): Promise<Received[]> {
  const client = await RawClient.open((opts.from ?? opts.host ?? '127.0.0.1') as LoopbackHost);
  try {
    client.send(packet, port, opts.host ?? '127.0.0.1');
    const first = await client.maybeNext(opts.waitMs ?? 2000);
    if (!first) return [];
    // Anything after the first reply is a second answer: collect it too.
    return [first, ...(await client.collect(SILENCE_MS))];
  } finally {
    client.close();
  }
}

export const show = (replies: readonly Received[]): string =>
  replies.length === 0 ? '(nothing)' : replies.map((r) => packetSummary(r.packet)).join(', ');

/** Asserts the replies match the row's answer. */
export function expectAnswer(replies: readonly Received[], answer: Answer, label: string): void {
  if ('drop' in answer) {
    expect(replies, `${label}: expected silence, got ${show(replies)}`).toHaveLength(0);
    return;
  }
  expect(
    replies,
    `${label}: expected one ERROR ${answer.error.join('/')}, got ${show(replies)}`,
  ).toHaveLength(1);
  const p = (replies[0] as Received).packet;
  expect(p.op, `${label}: got ${show(replies)}`).toBe('error');
  if (p.op !== 'error') return;
  expect(answer.error, `${label}: got ${show(replies)}`).toContain(p.code);
  // Fixed short messages only (CVE-2008-2161, format strings): printable ASCII, <= 128 bytes.
  expect(p.message.length).toBeLessThanOrEqual(128);
  expect(p.message).toMatch(/^[\x20-\x7e]*$/);
}

/** The server still serves: a control download comes back byte-identical. */
export async function expectControl(port: number, content: Buffer, host: LoopbackHost = '127.0.0.1') {
  const r = await download({ port, host, file: CONTROL_NAME, timeoutMs: 10_000 });
  expect(r.error, 'control download failed').toBeUndefined();
  expect(r.complete, 'control download did not complete').toBe(true);
  expect(r.bytes.equals(content), 'control download is not byte-identical').toBe(true);
}

/** Nothing outside the root was created, changed or read; no reply carried the secret. */
export function expectJailUntouched(
  jail: Jail,
  before: Map<string, string>,
  replies: readonly Received[] = [],
): void {
  expect(jail.changesSince(before)).toEqual([]);
  const marker = jail.secret.subarray(0, 64);
  for (const r of replies) expect(r.raw.includes(marker), 'a reply carried the secret').toBe(false);
}
