// Requests with names as raw bytes. The shared wire helper writes names as latin1 (right for the
// ASCII names of the interop suite); hostile names need exact bytes: UTF-8 text, invalid UTF-8,
// embedded NULs.
import { RawClient } from '../../helpers/raw-client.js';
import { data, packetSummary } from '../../helpers/tftp-wire.js';

const z = Buffer.from([0]);

/** | 00 op | name bytes | 0 | mode | 0 | (opt | 0 | value | 0)* */
export function rawRequest(
  kind: 'rrq' | 'wrq',
  name: string | Buffer,
  mode = 'octet',
  options: readonly (readonly [string, string])[] = [],
): Buffer {
  const parts: Buffer[] = [Buffer.from([0, kind === 'rrq' ? 1 : 2])];
  parts.push(typeof name === 'string' ? Buffer.from(name, 'utf8') : name, z);
  parts.push(Buffer.from(mode, 'latin1'), z);
  for (const [n, v] of options) parts.push(Buffer.from(n, 'latin1'), z, Buffer.from(v, 'latin1'), z);
  return Buffer.concat(parts);
}

export interface SmallUpload {
  ok: boolean;
  /** what went wrong, for assertion messages */
  detail: string;
  error?: { code: number; message: string };
}

/** A one-block upload (payload < 512 bytes) started by the given WRQ bytes. */
export async function smallUpload(port: number, wrq: Buffer, payload: Buffer): Promise<SmallUpload> {
  if (payload.length >= 512) throw new Error('smallUpload sends one short block');
  const client = await RawClient.open('127.0.0.1');
  try {
    client.send(wrq, port);
    const first = await client.maybeNext(3000);
    if (!first) return { ok: false, detail: 'no answer to the WRQ' };
    if (first.packet.op === 'error') return { ok: false, detail: 'refused', error: first.packet };
    if (first.packet.op !== 'ack' || first.packet.block !== 0)
      return { ok: false, detail: `expected ACK 0, got ${packetSummary(first.packet)}` };
    client.send(data(1, payload), first.from.port);
    const second = await client.maybeNext(3000);
    if (!second) return { ok: false, detail: 'no ACK 1' };
    if (second.packet.op === 'error') return { ok: false, detail: 'refused', error: second.packet };
    if (second.packet.op !== 'ack' || second.packet.block !== 1)
      return { ok: false, detail: `expected ACK 1, got ${packetSummary(second.packet)}` };
    return { ok: true, detail: 'stored' };
  } finally {
    client.close();
  }
}
