// The netascii rules of RFC 764 / RFC 1350 as a whole-buffer oracle for tests (the engine's
// converter is streaming; this one is deliberately the simplest correct form):
// on the wire a line ends in CR LF and a lone CR is sent as CR NUL.

const CR = 0x0d;
const LF = 0x0a;
const NUL = 0x00;

/** Local (Unix) bytes -> wire bytes: LF -> CR LF, CR -> CR NUL. */
export function toNetascii(local: Uint8Array): Buffer {
  const out: number[] = [];
  for (const b of local) {
    if (b === LF) out.push(CR, LF);
    else if (b === CR) out.push(CR, NUL);
    else out.push(b);
  }
  return Buffer.from(out);
}

/** Wire bytes -> local (Unix) bytes: CR LF -> LF, CR NUL -> CR; any other CR is kept as it is. */
export function fromNetascii(wire: Uint8Array): Buffer {
  const out: number[] = [];
  for (let i = 0; i < wire.length; i++) {
    const b = wire[i] as number;
    const next = wire[i + 1];
    if (b === CR && next === LF) {
      out.push(LF);
      i++;
    } else if (b === CR && next === NUL) {
      out.push(CR);
      i++;
    } else {
      out.push(b);
    }
  }
  return Buffer.from(out);
}

/**
 * Text whose netascii form puts a CR as the last byte of a block: `prefix` bytes of filler, then
 * the line break, so that the CR lands at wire offset `blksize - 1` and its LF (or NUL) starts the
 * next block (FreeBSD tftpd bug D16853).
 */
export function crOnBoundary(blksize: number, lineBreak: 'lf' | 'cr', tail = 'tail\n'): Buffer {
  const filler = Buffer.alloc(blksize - 1, 'x');
  return Buffer.concat([filler, Buffer.from(lineBreak === 'lf' ? '\n' : '\r'), Buffer.from(tail)]);
}
