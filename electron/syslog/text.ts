// Bytes to text that can be shown anywhere. RFC 5424 section 6.4 asks for UTF-8 in MSG (with a
// BOM) but lets it be any encoding without one, and RFC 3164 section 4.1.3 says nothing of it:
// devices send Latin-1, Shift-JIS or binary junk. Nothing is dropped: valid UTF-8 is decoded, any
// other byte becomes `\xNN`. C0 and C1 control characters (except tab) are escaped the same way,
// so a message printed to a terminal or a log line cannot move the cursor, clear the screen or
// split one message into several lines.

/** RFC 5426 section 3.2: receivers should take at least 2048 bytes; we keep up to this. */
export const MAX_DATAGRAM_BYTES = 8192;

const HEX = '0123456789ABCDEF';

function escapeByte(b: number): string {
  return `\\x${HEX[b >> 4]}${HEX[b & 15]}`;
}

// ignoreBOM: keep a BOM as text; where it is a marker (RFC 5424 MSG) the parser removes it.
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

const isControl = (cp: number) => (cp < 0x20 && cp !== 0x09) || (cp >= 0x7f && cp <= 0x9f);

/** Length of the valid UTF-8 sequence starting at `i`, or 0 (RFC 3629 section 4, no overlongs or surrogates). */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i] as number;
  const at = (k: number) => bytes[i + k] ?? -1;
  const cont = (v: number) => v >= 0x80 && v <= 0xbf;
  if (b0 < 0x80) return 1;
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(at(1)) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const b1 = at(1);
    const lo = b0 === 0xe0 ? 0xa0 : 0x80;
    const hi = b0 === 0xed ? 0x9f : 0xbf;
    return b1 >= lo && b1 <= hi && cont(at(2)) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const b1 = at(1);
    const lo = b0 === 0xf0 ? 0x90 : 0x80;
    const hi = b0 === 0xf4 ? 0x8f : 0xbf;
    return b1 >= lo && b1 <= hi && cont(at(2)) && cont(at(3)) ? 4 : 0;
  }
  return 0;
}

function codePoint(bytes: Uint8Array, i: number, len: number): number {
  const b = (k: number) => bytes[i + k] as number;
  if (len === 1) return b(0);
  if (len === 2) return ((b(0) & 0x1f) << 6) | (b(1) & 0x3f);
  if (len === 3) return ((b(0) & 0x0f) << 12) | ((b(1) & 0x3f) << 6) | (b(2) & 0x3f);
  return ((b(0) & 0x07) << 18) | ((b(1) & 0x3f) << 12) | ((b(2) & 0x3f) << 6) | (b(3) & 0x3f);
}

/** Decodes UTF-8; invalid bytes and control characters come out as `\xNN`. Never throws. */
export function safeText(bytes: Uint8Array): string {
  let out = '';
  let runStart = 0;
  let i = 0;
  const flush = (end: number) => {
    if (end > runStart) out += decoder.decode(bytes.subarray(runStart, end));
  };
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if ((b >= 0x20 && b < 0x7f) || b === 0x09) {
      i++; // printable ASCII: the common case, kept cheap
      continue;
    }
    const len = sequenceLength(bytes, i);
    if (len > 0 && !isControl(codePoint(bytes, i, len))) {
      i += len;
      continue;
    }
    flush(i);
    const n = len > 0 ? len : 1;
    for (let k = 0; k < n; k++) out += escapeByte(bytes[i + k] as number);
    i += n;
    runStart = i;
  }
  flush(i);
  return out;
}

/** Trailing NULs, CRs and LFs: C senders count the terminator, line-oriented ones add a newline. */
export function trimTrailing(bytes: Uint8Array): Uint8Array {
  let end = bytes.length;
  while (end > 0) {
    const b = bytes[end - 1];
    if (b !== 0x00 && b !== 0x0a && b !== 0x0d) break;
    end--;
  }
  return bytes.subarray(0, end);
}

/**
 * Cuts a datagram to `limit` bytes, backing off so a UTF-8 character is not split in two (a cut
 * one would show as escapes). Returns the bytes unchanged when they fit.
 */
export function truncate(bytes: Uint8Array, limit = MAX_DATAGRAM_BYTES): Uint8Array {
  if (bytes.length <= limit) return bytes;
  let end = limit;
  // Up to three continuation bytes may precede the cut; step back to their lead byte when the
  // character it starts does not fit.
  for (let back = 0; back < 4 && end - back > 0; back++) {
    const b = bytes[end - back - 1] as number;
    if (b < 0x80) break;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (need > back + 1) end = end - back - 1;
      break;
    }
  }
  return bytes.subarray(0, end);
}

export function truncationMarker(size: number): string {
  return ` [truncated: ${size} bytes received]`;
}
