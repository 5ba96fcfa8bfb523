// netascii conversion, RFC 1350 §5 ("netascii ... as defined in the USA Standard Code for
// Information Interchange with the modifications specified in RFC 764") and RFC 764 (Telnet NVT):
// a line ends in CR LF, and a bare CR travels as CR NUL. Local files use LF line ends.
//
// Rules implemented:
// - encode (download, local -> wire): LF -> CR LF, CR -> CR NUL, every other byte unchanged.
//   Stateless per byte, so the file may be encoded in any chunking.
// - decode (upload, wire -> local): CR LF -> LF, CR NUL -> CR; a CR followed by any other byte
//   is kept as CR and that byte is processed normally (lenient: some clients send bare CRs).
//   A CR that ends a chunk is held until the next chunk, because a CR on a block boundary is
//   legal on the wire (FreeBSD tftpd review D16853 shows the bug when it is not handled).
//
// Speed: runs of ordinary bytes are found with Buffer#indexOf (memchr) and copied in one go; one
// output allocation per call, never one per byte.

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

function asBuffer(input: Uint8Array): Buffer {
  return Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
}

// Buffer#indexOf is memchr, but each call costs about as much as scanning a few dozen bytes in
// JS. So look at the next SHORT_SCAN bytes by hand and only fall back to indexOf across long runs
// of ordinary bytes: sparse text goes at memchr speed, dense CR/LF data at loop speed.
const SHORT_SCAN = 32;

/** Finds CR or LF (or only CR) from a position onwards; never rescans a region twice. */
class SpecialScanner {
  // First CR / LF at or after the last long-scan point, or -1 when there is none.
  private cr = 0;
  private lf = 0;

  constructor(
    private readonly src: Buffer,
    private readonly withLf: boolean,
  ) {}

  next(from: number): number {
    const { src, withLf } = this;
    const limit = Math.min(from + SHORT_SCAN, src.length);
    for (let i = from; i < limit; i++) {
      const c = src[i];
      if (c === CR || (withLf && c === LF)) return i;
    }
    if (limit === src.length) return -1;
    // Nothing in [from, limit): a cached hit at or past limit is still the first one.
    if (this.cr !== -1 && this.cr < limit) this.cr = src.indexOf(CR, limit);
    if (!withLf) return this.cr;
    if (this.lf !== -1 && this.lf < limit) this.lf = src.indexOf(LF, limit);
    if (this.cr === -1) return this.lf;
    return this.lf === -1 ? this.cr : Math.min(this.cr, this.lf);
  }
}

/** How many bytes encodeNetascii(input) produces: every CR and every LF gains one byte. */
export function netasciiEncodedLength(input: Uint8Array): number {
  const src = asBuffer(input);
  const scan = new SpecialScanner(src, true);
  let count = 0;
  for (let at = scan.next(0); at !== -1; at = scan.next(at + 1)) count++;
  return src.length + count;
}

/** Local bytes -> netascii (downloads): LF -> CR LF, CR -> CR NUL. Any chunking gives the same output. */
export function encodeNetascii(input: Uint8Array): Buffer {
  const src = asBuffer(input);
  const length = netasciiEncodedLength(src);
  if (length === src.length) return Buffer.from(src);

  const out = Buffer.allocUnsafe(length);
  const scan = new SpecialScanner(src, true);
  let read = 0;
  let write = 0;
  for (let at = scan.next(0); at !== -1; at = scan.next(read)) {
    if (at > read) write += src.copy(out, write, read, at);
    const isCr = src[at] === CR;
    out[write++] = CR;
    out[write++] = isCr ? NUL : LF;
    read = at + 1;
  }
  src.copy(out, write, read);
  return out;
}

/** netascii -> local bytes (uploads). Feed DATA payloads in order, then call end() once. */
export class NetasciiDecoder {
  private heldCr = false;

  decode(chunk: Uint8Array): Buffer {
    const src = asBuffer(chunk);
    // The output never grows: each CR pair shrinks to one byte; a held CR adds at most one.
    const out = Buffer.allocUnsafe(src.length + (this.heldCr ? 1 : 0));
    let read = 0;
    let write = 0;

    if (this.heldCr) {
      if (src.length === 0) return out.subarray(0, 0);
      this.heldCr = false;
      const first = src[0];
      if (first === LF) {
        out[write++] = LF;
        read = 1;
      } else if (first === NUL) {
        out[write++] = CR;
        read = 1;
      } else {
        out[write++] = CR; // lenient: bare CR kept, the next byte is processed normally
      }
    }

    const scan = new SpecialScanner(src, false);
    for (let at = scan.next(read); at !== -1; at = scan.next(read)) {
      if (at > read) write += src.copy(out, write, read, at);
      if (at + 1 >= src.length) {
        this.heldCr = true; // CR on the chunk boundary: its partner comes with the next block
        return out.subarray(0, write);
      }
      const next = src[at + 1];
      if (next === LF) {
        out[write++] = LF;
        read = at + 2;
      } else if (next === NUL) {
        out[write++] = CR;
        read = at + 2;
      } else {
        out[write++] = CR;
        read = at + 1;
      }
    }
    write += src.copy(out, write, read);
    return out.subarray(0, write);
  }

  /** Flushes a CR held from the last chunk (a stream that ends in a bare CR keeps it). */
  end(): Buffer {
    if (!this.heldCr) return Buffer.alloc(0);
    this.heldCr = false;
    return Buffer.from([CR]);
  }
}
