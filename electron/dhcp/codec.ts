// RFC 951 (BOOTP), RFC 2131 section 2 (DHCP message format), RFC 2132 sections 2-3 and 9.3 (options,
// pad, end, option overload), RFC 3396 (long options split into repeated instances): the pure codec.
// decodeDhcp() never throws: every malformed shape comes back as { ok: false, error }.
//
//   0                   1                   2                   3
//   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//   +---------------+---------------+---------------+---------------+
//   |     op (1)    |   htype (1)   |   hlen (1)    |   hops (1)    |   0
//   +---------------+---------------+---------------+---------------+
//   |                            xid (4)                            |   4
//   +-------------------------------+-------------------------------+
//   |           secs (2)            |           flags (2)           |   8
//   +-------------------------------+-------------------------------+
//   |                          ciaddr  (4)                          |  12
//   +---------------------------------------------------------------+
//   |                          yiaddr  (4)                          |  16
//   +---------------------------------------------------------------+
//   |                          siaddr  (4)                          |  20
//   +---------------------------------------------------------------+
//   |                          giaddr  (4)                          |  24
//   +---------------------------------------------------------------+
//   |                          chaddr  (16)                         |  28
//   +---------------------------------------------------------------+
//   |                          sname   (64)                         |  44
//   +---------------------------------------------------------------+
//   |                          file    (128)                        | 108
//   +---------------------------------------------------------------+
//   |  magic cookie 99.130.83.99 (4) | options (variable)           | 236
//   +---------------------------------------------------------------+
//
// Decoding rules, decided here once:
// - Fewer than 236 bytes, op other than 1 or 2, or hlen above 16: refused.
// - No cookie at 236 (or nothing after the fixed part): plain BOOTP. The vendor area is then opaque
//   (RFC 951 leaves it to the vendor), so `options` is empty and `cookie` false.
// - Pad (0) is skipped anywhere. An option whose length runs past its area is refused. A missing end
//   option (255) is tolerated: the options then run to the end of the area. Everything is still
//   length-checked, and some firmware omits the end marker. Bytes after the end option are ignored.
// - Option 52 (overload) must be one byte 1, 2 or 3; the file field (1), the sname field (2) or both
//   (3) then hold options, read after the options area, file before sname (RFC 3396 section 5).
//   Such a field's string is '' in the message. Option 52 inside those fields is ignored.
// - A code seen more than once is concatenated in that order (RFC 3396).
// - sname and file are NUL-terminated strings (RFC 951): one without a NUL in its 64 or 128 bytes is
//   refused, as legitimate clients zero these fields.
//
// Encoding: options go out in the map's order after the cookie, each longer than 255 bytes split into
// repeated instances (RFC 3396), then the end option; the datagram is padded to 300 bytes, the
// smallest BOOTP message relays and old clients accept (RFC 1542 section 2.1). Without the cookie
// nothing is written to the vendor area. Strings longer than their field are cut to fit (callers check
// the lengths first; validateDhcpSettings refuses such names).

export const BOOTP_FIXED_BYTES = 236;
export const MIN_MESSAGE_BYTES = 300;
export const MAGIC_COOKIE = 0x63825363;
export const SNAME_OFFSET = 44;
export const SNAME_BYTES = 64;
export const FILE_OFFSET = 108;
export const FILE_BYTES = 128;
export const OPTION_PAD = 0;
export const OPTION_END = 255;
export const OPTION_OVERLOAD = 52;
export const BOOTREQUEST = 1;
export const BOOTREPLY = 2;
/** RFC 2131 section 2, figure 2: the leftmost bit of `flags`. */
export const BROADCAST_FLAG = 0x8000;

export interface DhcpMessage {
  op: number;
  htype: number;
  hlen: number;
  hops: number;
  xid: number;
  secs: number;
  flags: number;
  /** dotted quads */
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  /** the 16 bytes as on the wire */
  chaddr: Buffer;
  /** up to the first NUL (latin1) */
  sname: string;
  file: string;
  /** the magic cookie 99.130.83.99 was present (false = plain BOOTP vendor area) */
  cookie: boolean;
  /** wire order; option 52 overload merged in; repeated codes concatenated (RFC 3396) */
  options: Map<number, Buffer>;
}

export type DhcpDecodeResult = { ok: true; message: DhcpMessage } | { ok: false; error: string };

function quad(b: Uint8Array, at: number): string {
  return `${b[at]}.${b[at + 1]}.${b[at + 2]}.${b[at + 3]}`;
}

/** Reads one options area into `into`; returns an error, or the overload value seen (0 if none). */
function readOptions(
  b: Buffer,
  from: number,
  to: number,
  area: string,
  into: Map<number, Buffer[]>,
  allowOverload: boolean,
): { error: string } | { overload: number } {
  let at = from;
  let overload = 0;
  while (at < to) {
    const code = b[at] ?? OPTION_END;
    if (code === OPTION_END) break;
    if (code === OPTION_PAD) {
      at++;
      continue;
    }
    if (at + 1 >= to) return { error: `option ${code} in the ${area} has no length byte` };
    const len = b[at + 1] ?? 0;
    const start = at + 2;
    if (start + len > to) return { error: `option ${code} in the ${area} runs past its end (${len} bytes)` };
    const value = b.subarray(start, start + len);
    at = start + len;
    if (code === OPTION_OVERLOAD) {
      if (!allowOverload) continue;
      if (len !== 1 || value[0] === undefined || value[0] < 1 || value[0] > 3)
        return { error: 'option 52 (overload) must be one byte 1, 2 or 3' };
      overload = value[0];
      continue;
    }
    const parts = into.get(code);
    if (parts) parts.push(value);
    else into.set(code, [value]);
  }
  return { overload };
}

function fieldString(b: Buffer, offset: number, size: number, name: string): string | { error: string } {
  const field = b.subarray(offset, offset + size);
  const nul = field.indexOf(0);
  if (nul < 0) return { error: `the ${name} field is not NUL-terminated` };
  return field.toString('latin1', 0, nul);
}

export function decodeDhcp(bytes: Uint8Array): DhcpDecodeResult {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length < BOOTP_FIXED_BYTES)
    return { ok: false, error: `${b.length} bytes is shorter than the 236-byte BOOTP header` };
  const op = b[0] ?? 0;
  if (op !== BOOTREQUEST && op !== BOOTREPLY)
    return { ok: false, error: `op ${op} is neither request (1) nor reply (2)` };
  const hlen = b[2] ?? 0;
  if (hlen > 16)
    return { ok: false, error: `hardware address length ${hlen} is more than the 16-byte chaddr field` };

  const cookie = b.length >= BOOTP_FIXED_BYTES + 4 && b.readUInt32BE(BOOTP_FIXED_BYTES) === MAGIC_COOKIE;
  const parts = new Map<number, Buffer[]>();
  let overload = 0;
  if (cookie) {
    const main = readOptions(b, BOOTP_FIXED_BYTES + 4, b.length, 'options area', parts, true);
    if ('error' in main) return { ok: false, error: main.error };
    overload = main.overload;
    if (overload & 1) {
      const r = readOptions(b, FILE_OFFSET, FILE_OFFSET + FILE_BYTES, 'file field', parts, false);
      if ('error' in r) return { ok: false, error: r.error };
    }
    if (overload & 2) {
      const r = readOptions(b, SNAME_OFFSET, SNAME_OFFSET + SNAME_BYTES, 'sname field', parts, false);
      if ('error' in r) return { ok: false, error: r.error };
    }
  }
  const sname = overload & 2 ? '' : fieldString(b, SNAME_OFFSET, SNAME_BYTES, 'sname');
  if (typeof sname !== 'string') return { ok: false, error: sname.error };
  const file = overload & 1 ? '' : fieldString(b, FILE_OFFSET, FILE_BYTES, 'file');
  if (typeof file !== 'string') return { ok: false, error: file.error };

  const options = new Map<number, Buffer>();
  for (const [code, chunks] of parts)
    options.set(code, chunks.length === 1 ? Buffer.from(chunks[0] ?? []) : Buffer.concat(chunks));

  return {
    ok: true,
    message: {
      op,
      htype: b[1] ?? 0,
      hlen,
      hops: b[3] ?? 0,
      xid: b.readUInt32BE(4),
      secs: b.readUInt16BE(8),
      flags: b.readUInt16BE(10),
      ciaddr: quad(b, 12),
      yiaddr: quad(b, 16),
      siaddr: quad(b, 20),
      giaddr: quad(b, 24),
      chaddr: Buffer.from(b.subarray(28, 44)),
      sname,
      file,
      cookie,
      options,
    },
  };
}

function writeQuad(out: Buffer, at: number, text: string): void {
  const parts = text.split('.');
  for (let i = 0; i < 4; i++) out[at + i] = Number(parts[i] ?? 0) & 255;
}

/** Encoded size of the options area (cookie, options, end), for callers that must fit a limit. */
export function optionsLength(options: ReadonlyMap<number, Buffer>): number {
  let n = 4 + 1;
  for (const [code, value] of options) {
    if (code === OPTION_PAD || code === OPTION_END) continue;
    n += value.length === 0 ? 2 : value.length + 2 * Math.ceil(value.length / 255);
  }
  return n;
}

export function encodeDhcp(message: DhcpMessage): Buffer {
  const vendor = message.cookie ? optionsLength(message.options) : 0;
  const out = Buffer.alloc(Math.max(MIN_MESSAGE_BYTES, BOOTP_FIXED_BYTES + vendor));
  out[0] = message.op & 255;
  out[1] = message.htype & 255;
  out[2] = message.hlen & 255;
  out[3] = message.hops & 255;
  out.writeUInt32BE(message.xid >>> 0, 4);
  out.writeUInt16BE(message.secs & 0xffff, 8);
  out.writeUInt16BE(message.flags & 0xffff, 10);
  writeQuad(out, 12, message.ciaddr);
  writeQuad(out, 16, message.yiaddr);
  writeQuad(out, 20, message.siaddr);
  writeQuad(out, 24, message.giaddr);
  message.chaddr.copy(out, 28, 0, Math.min(16, message.chaddr.length));
  out.write(message.sname, SNAME_OFFSET, SNAME_BYTES - 1, 'latin1');
  out.write(message.file, FILE_OFFSET, FILE_BYTES - 1, 'latin1');
  if (!message.cookie) return out;
  out.writeUInt32BE(MAGIC_COOKIE, BOOTP_FIXED_BYTES);
  let at = BOOTP_FIXED_BYTES + 4;
  for (const [code, value] of message.options) {
    if (code === OPTION_PAD || code === OPTION_END) continue;
    let from = 0;
    do {
      const len = Math.min(255, value.length - from);
      out[at] = code;
      out[at + 1] = len;
      value.copy(out, at + 2, from, from + len);
      at += 2 + len;
      from += len;
    } while (from < value.length);
  }
  out[at] = OPTION_END;
  return out;
}

/** 'aa:bb:cc:dd:ee:ff' from chaddr and hlen. */
export function macOf(message: DhcpMessage): string {
  const n = Math.min(message.hlen, 16, message.chaddr.length);
  const hex: string[] = [];
  for (let i = 0; i < n; i++) hex.push((message.chaddr[i] ?? 0).toString(16).padStart(2, '0'));
  return hex.join(':');
}
