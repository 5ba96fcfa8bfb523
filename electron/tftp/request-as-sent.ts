// RFC 1350 section 5 and RFC 2347: a request's fields exactly as they crossed the wire. The codec
// (packet.ts) lower-cases the mode and the option names, as the protocol says they compare; the
// inspector and the fingerprint need what the client actually wrote: spelling, case and order.
// Pure, never throws.
import type { OptionAsSent } from '../../shared/tftp-types.js';

export interface RawRequest {
  kind: 'rrq' | 'wrq';
  name: string;
  mode: string;
  options: OptionAsSent[];
}

/** At most this many options are kept (a request holds ~1468 bytes, so this never cuts a real one). */
const MAX_OPTIONS = 32;

/** The fields of an RRQ/WRQ datagram as sent; undefined when it is not a well-formed request. */
export function readRequestAsSent(buf: Uint8Array): RawRequest | undefined {
  if (buf.length < 4 || buf[0] !== 0 || (buf[1] !== 1 && buf[1] !== 2)) return undefined;
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const fields: string[] = [];
  let pos = 2;
  while (pos < b.length && fields.length < 2 + 2 * MAX_OPTIONS) {
    const end = b.indexOf(0, pos);
    if (end < 0) return undefined;
    // The name is UTF-8 (what file-root compares); mode and options are ASCII, kept byte for byte.
    fields.push(b.toString(fields.length === 0 ? 'utf8' : 'latin1', pos, end));
    pos = end + 1;
  }
  const [name, mode] = fields;
  if (name === undefined || mode === undefined) return undefined;
  const options: OptionAsSent[] = [];
  for (let i = 2; i + 1 < fields.length; i += 2)
    options.push({ name: fields[i] as string, value: fields[i + 1] as string });
  return { kind: buf[1] === 1 ? 'rrq' : 'wrq', name, mode, options };
}
