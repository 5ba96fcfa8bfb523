import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NetasciiDecoder, encodeNetascii, netasciiEncodedLength } from '../../electron/tftp/netascii.js';

const b = (...bytes: number[]): Buffer => Buffer.from(bytes);
const CR = 0x0d;
const LF = 0x0a;

function decodeChunks(chunks: Uint8Array[]): Buffer {
  const d = new NetasciiDecoder();
  return Buffer.concat([...chunks.map((c) => d.decode(c)), d.end()]);
}

function splitAt(buf: Buffer, cuts: number[]): Buffer[] {
  const sorted = [...new Set(cuts.map((c) => Math.min(Math.max(c, 0), buf.length)))].sort((x, y) => x - y);
  const parts: Buffer[] = [];
  let from = 0;
  for (const cut of sorted) {
    parts.push(buf.subarray(from, cut));
    from = cut;
  }
  parts.push(buf.subarray(from));
  return parts;
}

describe('encodeNetascii', () => {
  const table: Array<[string, Buffer, Buffer]> = [
    ['empty', b(), b()],
    ['plain text', Buffer.from('abc'), Buffer.from('abc')],
    ['LF', b(LF), b(CR, LF)],
    ['CR', b(CR), b(CR, 0)],
    ['CR LF (each byte converted)', b(CR, LF), b(CR, 0, CR, LF)],
    ['LF CR', b(LF, CR), b(CR, LF, CR, 0)],
    ['NUL passes through', b(0, 0x41, 0), b(0, 0x41, 0)],
    ['text lines', Buffer.from('a\nb\n'), Buffer.from('a\r\nb\r\n')],
    ['mixed', b(0x41, CR, 0x42, LF, LF, CR, CR), b(0x41, CR, 0, 0x42, CR, LF, CR, LF, CR, 0, CR, 0)],
    ['high bytes untouched', b(0xff, 0x8d, 0x8a), b(0xff, 0x8d, 0x8a)],
  ];
  it.each(table)('%s', (_name, input, expected) => {
    expect(encodeNetascii(input)).toEqual(expected);
    expect(netasciiEncodedLength(input)).toBe(expected.length);
  });

  it('accepts a plain Uint8Array view with an offset', () => {
    const backing = new Uint8Array([9, 9, LF, 0x41, 9]);
    expect(encodeNetascii(backing.subarray(2, 4))).toEqual(b(CR, LF, 0x41));
  });

  it('does not alias its input', () => {
    const input = Buffer.from('plain');
    const out = encodeNetascii(input);
    input[0] = 0x5a;
    expect(out.toString()).toBe('plain');
  });

  it('is stateless: any chunking gives the same concatenated output', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300)), (bytes, cuts) => {
        const input = Buffer.from(bytes);
        const whole = encodeNetascii(input);
        const pieces = Buffer.concat(splitAt(input, cuts).map((p) => encodeNetascii(p)));
        expect(pieces).toEqual(whole);
      }),
    );
  });
});

describe('NetasciiDecoder', () => {
  const table: Array<[string, Buffer, Buffer]> = [
    ['empty', b(), b()],
    ['CR LF -> LF', b(0x41, CR, LF, 0x42), b(0x41, LF, 0x42)],
    ['CR NUL -> CR', b(0x41, CR, 0, 0x42), b(0x41, CR, 0x42)],
    ['bare CR + other byte kept (lenient)', b(CR, 0x41), b(CR, 0x41)],
    ['CR CR LF', b(CR, CR, LF), b(CR, LF)],
    ['CR CR NUL', b(CR, CR, 0), b(CR, CR)],
    ['bare LF kept', b(LF), b(LF)],
    ['NUL alone kept', b(0), b(0)],
    ['trailing CR flushed by end()', b(0x41, CR), b(0x41, CR)],
    ['only CR', b(CR), b(CR)],
  ];
  it.each(table)('%s', (_name, input, expected) => {
    expect(decodeChunks([input])).toEqual(expected);
  });

  it('holds a CR that ends a chunk until the next one (CR on a block boundary)', () => {
    const d = new NetasciiDecoder();
    expect(d.decode(b(0x41, CR))).toEqual(b(0x41));
    expect(d.decode(b(LF, 0x42))).toEqual(b(LF, 0x42));
    expect(d.decode(b(CR))).toEqual(b());
    expect(d.decode(b())).toEqual(b()); // an empty chunk keeps the CR held
    expect(d.decode(b(0, CR))).toEqual(b(CR));
    expect(d.decode(b(CR))).toEqual(b(CR)); // held CR + CR: the first is bare, the second is held
    expect(d.end()).toEqual(b(CR));
    expect(d.end()).toEqual(b());
  });

  it('decodes an encoded stream split at every offset to the same bytes', () => {
    const original = b(CR, LF, 0x41, CR, CR, LF, LF, 0, CR, 0x42, CR);
    const encoded = encodeNetascii(original);
    for (let cut = 0; cut <= encoded.length; cut++) {
      expect(decodeChunks(splitAt(encoded, [cut])), `cut at ${cut}`).toEqual(original);
    }
    // and at every pair of offsets, so a chunk can consist of a lone CR
    for (let i = 0; i <= encoded.length; i++) {
      for (let j = i; j <= encoded.length; j++) {
        expect(decodeChunks(splitAt(encoded, [i, j])), `cuts ${i},${j}`).toEqual(original);
      }
    }
  });

  it('decodes one byte at a time', () => {
    const original = Buffer.from('line one\r\nbare\rcr\n\n\r');
    const encoded = encodeNetascii(original);
    const oneByOne = [...encoded].map((x) => b(x));
    expect(decodeChunks(oneByOne)).toEqual(original);
  });
});

describe('round trip and length', () => {
  // Dense: CR, LF and NUL are half of all bytes. Sparse: long runs of ordinary bytes between them,
  // so the indexOf path (runs longer than the short hand scan) is exercised too.
  const dense = fc.array(fc.oneof(fc.constantFrom(CR, LF, 0), fc.integer({ min: 0, max: 255 })), {
    maxLength: 600,
  });
  const run = fc.uint8Array({ maxLength: 200 }).map((r) => r.filter((x) => x !== CR && x !== LF));
  const sparse = fc
    .array(fc.tuple(run, fc.constantFrom(CR, LF, 0)), { maxLength: 12 })
    .map((parts) => parts.flatMap(([r, special]) => [...r, special]));
  const bytes = fc.oneof(dense, sparse);

  it('decode(encode(x)) === x under any chunking', () => {
    fc.assert(
      fc.property(bytes, fc.array(fc.nat(5000), { maxLength: 8 }), (arr, cuts) => {
        const x = Buffer.from(arr);
        const encoded = encodeNetascii(x);
        expect(decodeChunks(splitAt(encoded, cuts))).toEqual(x);
      }),
      { numRuns: 1000 },
    );
  });

  it('netasciiEncodedLength === encodeNetascii().length, and encoding matches a byte-by-byte model', () => {
    const model = (x: Buffer): Buffer =>
      Buffer.from([...x].flatMap((c) => (c === LF ? [CR, LF] : c === CR ? [CR, 0] : [c])));
    fc.assert(
      fc.property(bytes, (arr) => {
        const x = Buffer.from(arr);
        expect(encodeNetascii(x)).toEqual(model(x));
        expect(netasciiEncodedLength(x)).toBe(encodeNetascii(x).length);
      }),
      { numRuns: 500 },
    );
  });

  it.each([
    ['text lines', 'the quick brown fox jumps over the lazy dog\n'],
    ['only line ends', '\r\n\r\n'],
    ['no line ends', 'x'],
  ])('round-trips 1 MiB of %s in one call each way', (_name, pattern) => {
    const src = Buffer.alloc(1024 * 1024, pattern);
    const d = new NetasciiDecoder();
    const decoded = Buffer.concat([d.decode(encodeNetascii(src)), d.end()]);
    expect(decoded.equals(src)).toBe(true);
  });
});
