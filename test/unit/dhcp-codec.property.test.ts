import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeDhcp, encodeDhcp, type DhcpMessage } from '../../electron/dhcp/codec.js';

const quad = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((q) => q.join('.'));
/** latin1 text without NUL, as the fixed fields hold it */
const fieldText = (max: number) =>
  fc
    .array(fc.integer({ min: 1, max: 255 }), { maxLength: max })
    .map((codes) => String.fromCharCode(...codes));
/** any option but pad, end and overload (which would change how the message reads) */
const optionCode = fc.integer({ min: 1, max: 254 }).filter((c) => c !== 52);
const optionValue = fc.uint8Array({ maxLength: 600 }).map((a) => Buffer.from(a));

const messageArb = (cookie: boolean): fc.Arbitrary<DhcpMessage> =>
  fc.record({
    op: fc.constantFrom(1, 2),
    htype: fc.nat(255),
    hlen: fc.nat(16),
    hops: fc.nat(255),
    xid: fc.nat(0xffffffff),
    secs: fc.nat(0xffff),
    flags: fc.nat(0xffff),
    ciaddr: quad,
    yiaddr: quad,
    siaddr: quad,
    giaddr: quad,
    chaddr: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((a) => Buffer.from(a)),
    sname: fieldText(63),
    file: fieldText(127),
    cookie: fc.constant(cookie),
    options: cookie
      ? fc
          .uniqueArray(fc.tuple(optionCode, optionValue), { selector: ([c]) => c, maxLength: 12 })
          .map((e) => new Map(e))
      : fc.constant(new Map<number, Buffer>()),
  });

/** Well-formed options (maybe with pads, an end and a tail), or any bytes at all. */
const optionArea = (max: number) =>
  fc.oneof(
    fc.uint8Array({ maxLength: max }),
    fc
      .tuple(
        fc.array(
          fc.oneof(
            fc.constant([0]),
            fc.tuple(optionCode, fc.uint8Array({ maxLength: 20 })).map(([c, v]) => [c, v.length, ...v]),
          ),
          {
            maxLength: 10,
          },
        ),
        fc.boolean(),
        fc.uint8Array({ maxLength: 8 }),
      )
      .map(([opts, end, tail]) =>
        Uint8Array.from([...opts.flat(), ...(end ? [255, ...tail] : [])]).subarray(0, max),
      ),
  );
/** A fixed field: a string and its NUL, options, or any bytes. */
const fieldArb = (size: number) =>
  fc
    .oneof(fieldText(size - 1), optionArea(size), fc.uint8Array({ minLength: size, maxLength: size }))
    .map((v) => {
      const out = Buffer.alloc(size);
      if (typeof v === 'string') out.write(v, 'latin1');
      else Buffer.from(v).copy(out);
      return out;
    });

describe('codec properties', () => {
  it('decode(encode(m)) is m, with the cookie', () => {
    fc.assert(
      fc.property(messageArb(true), (m) => {
        expect(decodeDhcp(encodeDhcp(m))).toEqual({ ok: true, message: m });
      }),
      { numRuns: 300 },
    );
  });

  it('decode(encode(m)) is m for plain BOOTP (no cookie, no options)', () => {
    fc.assert(
      fc.property(messageArb(false), (m) => {
        expect(decodeDhcp(encodeDhcp(m))).toEqual({ ok: true, message: m });
      }),
      { numRuns: 200 },
    );
  });

  it('any bytes decode to a message or an error, never a throw', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (bytes) => {
        const r = decodeDhcp(bytes);
        expect(typeof r.ok).toBe('boolean');
        if (!r.ok) expect(r.error.length).toBeGreaterThan(0);
      }),
      { numRuns: 1000 },
    );
  });

  it('any bytes after a valid header and the cookie decode or fail cleanly; a decoded one re-encodes to itself', () => {
    let decoded = 0;
    const head = Buffer.alloc(236);
    head[0] = 1;
    head[2] = 6;
    fc.assert(
      fc.property(
        fc.constantFrom(0, 1, 2, 3),
        optionArea(400),
        fieldArb(64),
        fieldArb(128),
        (overload, body, sname, file) => {
          const bytes = Buffer.from(head);
          Buffer.from(sname).copy(bytes, 44);
          Buffer.from(file).copy(bytes, 108);
          // overload 0: the three bytes of option 52 become pads
          const overloadOption = overload === 0 ? [0, 0, 0] : [52, 1, overload];
          const packet = Buffer.concat([bytes, Buffer.from([99, 130, 83, 99, ...overloadOption]), body]);
          const r = decodeDhcp(packet);
          if (!r.ok) return;
          decoded++;
          // Re-encoding what was read gives the same reading (overloaded data moves to the options area).
          const again = decodeDhcp(encodeDhcp(r.message));
          expect(again).toEqual(r);
        },
      ),
      { numRuns: 1000 },
    );
    // The generator must reach the decoding paths, not only the refusals.
    expect(decoded).toBeGreaterThan(100);
  });

  it('every truncation of a valid packet decodes or fails cleanly; below 236 bytes it fails', () => {
    fc.assert(
      fc.property(messageArb(true), (m) => {
        const full = encodeDhcp(m);
        for (let n = 0; n <= full.length; n += 1 + Math.floor(full.length / 97)) {
          const r = decodeDhcp(full.subarray(0, n));
          if (n < 236) expect(r.ok).toBe(false);
          else if (r.ok) expect(r.message.xid).toBe(m.xid);
        }
      }),
      { numRuns: 100 },
    );
  });
});
