// Property tests of the codec (electron/tftp/packet.ts decodePacket) against hostile bytes:
// it never throws, answers only with short fixed ERRORs, never reads past the datagram it was
// given, and agrees with an independent encoder on every well-formed request.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodePacket, MAX_REQUEST_BYTES } from '../../electron/tftp/packet.js';
import { data, error as errorPacket } from '../helpers/tftp-wire.js';
import { rawRequest } from './support/requests.js';

const RUNS = { numRuns: 2000 };
/** Any string without NUL (a field of a request). */
const field = (max: number) => fc.string({ maxLength: max, unit: 'binary' }).map((s) => s.replace(/\0/g, ''));
const latin1Field = (max: number) =>
  fc.uint8Array({ maxLength: max }).map((b) => Buffer.from(b.filter((x) => x !== 0)).toString('latin1'));

describe('decodePacket on hostile bytes', () => {
  it('never throws, whatever the bytes; a refusal is ERR 2 or 4 with a short printable message', () => {
    const opcodeHeavy = fc
      .tuple(fc.constantFrom(0, 1, 2, 3, 4, 5, 6, 7, 255), fc.uint8Array({ maxLength: 1600 }))
      .map(([op, rest]) => Buffer.concat([Buffer.from([0, op]), Buffer.from(rest)]));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 70_000 }).map((b) => Buffer.from(b)),
          opcodeHeavy,
        ),
        (buf) => {
          const p = decodePacket(buf);
          expect(['rrq', 'wrq', 'data', 'ack', 'error', 'oack', 'invalid']).toContain(p.kind);
          if (p.kind === 'invalid' && p.reply) {
            expect([2, 4]).toContain(p.reply.code);
            expect(p.reply.message).toMatch(/^[\x20-\x7e]{1,128}$/);
          }
          if ((p.kind === 'rrq' || p.kind === 'wrq') && buf.length > MAX_REQUEST_BYTES) {
            throw new Error(`a ${buf.length}-byte request was accepted`);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('reads nothing past the end of the datagram it is given', () => {
    // The datagram is a view into a larger buffer whose tail is all 'Z': no decoded field may
    // contain a 'Z', and the result must equal decoding a standalone copy.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: 600 }), (bytes, cut) => {
        const clean = Buffer.from(bytes.map((b) => (b === 0x5a ? 0x59 : b)));
        const datagram = clean.subarray(0, Math.min(cut, clean.length));
        const backing = Buffer.concat([datagram, Buffer.alloc(64, 'Z')]);
        const view = backing.subarray(0, datagram.length);
        const fromView = decodePacket(view);
        expect(JSON.stringify(fromView)).not.toContain('Z');
        expect(JSON.stringify(fromView)).toBe(JSON.stringify(decodePacket(Buffer.from(datagram))));
      }),
      RUNS,
    );
  });

  it('agrees with an independent encoder on every well-formed request', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('rrq' as const, 'wrq' as const),
        field(120),
        latin1Field(20),
        fc.array(fc.tuple(latin1Field(12), latin1Field(12)), { maxLength: 12 }),
        (kind, name, mode, options) => {
          const buf = rawRequest(kind, name, mode, options);
          const p = decodePacket(buf);
          if (buf.length > MAX_REQUEST_BYTES) {
            expect(p).toMatchObject({ kind: 'invalid', reply: { code: 4 } });
            return;
          }
          if (Buffer.from(name, 'utf8').toString('utf8') !== name) return; // lone surrogates
          expect(p).toEqual({
            kind,
            filename: name,
            mode: mode.toLowerCase(),
            options: options.map(([n, v]) => ({ name: n.toLowerCase(), value: v })),
          });
        },
      ),
      RUNS,
    );
  });

  it('refuses every truncation of a well-formed request that cuts a field (ERR 4), never a shorter request', () => {
    fc.assert(
      fc.property(
        field(40),
        fc.array(fc.tuple(latin1Field(8), latin1Field(8)), { maxLength: 4 }),
        (name, options) => {
          const buf = rawRequest('rrq', name, 'octet', options);
          for (let cut = 2; cut < buf.length; cut++) {
            const p = decodePacket(buf.subarray(0, cut));
            if (buf[cut - 1] === 0) continue; // cut on a field boundary: may be a valid shorter request
            expect(p.kind, `cut at ${cut}`).toBe('invalid');
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('DATA, ACK and ERROR of any content decode to what was sent; ERROR text is bounded', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 65535 }),
        fc.uint8Array({ maxLength: 1500 }),
        (block, payload) => {
          const p = decodePacket(data(block, payload));
          expect(p).toMatchObject({ kind: 'data', block });
          if (p.kind === 'data') expect(Buffer.from(p.data).equals(Buffer.from(payload))).toBe(true);
        },
      ),
      RUNS,
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), latin1Field(65_000), (code, message) => {
        const p = decodePacket(errorPacket(code, message));
        expect(p.kind).toBe('error');
        if (p.kind === 'error') {
          expect(p.code).toBe(code);
          expect(p.message.length).toBeLessThanOrEqual(512);
          expect(message.startsWith(p.message)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });
});
