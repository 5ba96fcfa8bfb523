// Properties of the parser over random input: it never throws or loses a datagram, its text is
// always safe to print, and an RFC 5424 message built from random fields parses back to them.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSyslog } from '../../electron/syslog/parser.js';
import {
  escapeParamValue,
  parseStructuredData,
  type SdElement,
} from '../../electron/syslog/structured-data.js';
import { safeText } from '../../electron/syslog/text.js';

// C0 and C1 controls other than tab: never in the parser's output.
const hasControl = (s: string) =>
  [...s].some((ch) => {
    const c = ch.codePointAt(0) ?? 0;
    return (c < 0x20 && c !== 0x09) || (c >= 0x7f && c <= 0x9f);
  });

describe('parseSyslog on random bytes', () => {
  it('never throws, always keeps the datagram, and its text is printable', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 9000 }), (wire) => {
        const p = parseSyslog(wire);
        expect(['rfc5424', 'rfc3164', 'raw']).toContain(p.format);
        for (const v of Object.values(p)) if (typeof v === 'string') expect(hasControl(v)).toBe(false);
        if (p.format === 'raw') expect(p.message).toBe(p.raw);
        const trimmable = wire.every((b) => b === 0 || b === 10 || b === 13);
        expect(p.raw === '').toBe(trimmable);
        expect(p.truncatedFrom === undefined).toBe(wire.length <= 8192);
        if (p.facility !== undefined) expect(p.facility * 8 + (p.severity ?? 0)).toBeLessThanOrEqual(191);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on datagrams that start like syslog', () => {
    const prefix = fc.constantFrom(
      '<13>',
      '<165>1 ',
      '<189>29: ',
      '<30>May  1 12:00:00 ',
      '<13>1 - - - - - [',
    );
    fc.assert(
      fc.property(prefix, fc.uint8Array({ maxLength: 300 }), (head, tail) => {
        const p = parseSyslog(Buffer.concat([Buffer.from(head), tail]));
        expect(p.raw.startsWith(head)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps printable ASCII verbatim', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[\x20-\x7e\t]{0,400}$/), (text) => {
        expect(parseSyslog(Buffer.from(text, 'latin1')).raw).toBe(text);
      }),
    );
  });

  it('decodes valid UTF-8 without controls exactly', () => {
    fc.assert(
      fc.property(printable(200), (s) => {
        expect(safeText(Buffer.from(s, 'utf8'))).toBe(s);
      }),
    );
  });
});

// Any UTF-8 without controls (the parser shows those escaped; a trailing newline is trimmed).
const printable = (max: number) =>
  fc.string({ unit: 'grapheme', maxLength: max }).filter((s) => !hasControl(s));

// RFC 5424 section 6: the grammar the generators follow.
const printUsAscii = (max: number) =>
  fc.stringMatching(new RegExp(`^[\\x21-\\x7e]{1,${max}}$`)).filter((s) => s !== '-');
const sdName = fc.stringMatching(/^[\x21-\x7e]{1,32}$/).filter((s) => !/[= \]"]/.test(s));
const isoTime = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString());
const sdElement: fc.Arbitrary<SdElement> = fc.record({
  id: sdName,
  params: fc.array(fc.record({ name: sdName, value: printable(30) }), { maxLength: 4 }),
});

interface Fields5424 {
  pri: number;
  timestamp: string | undefined;
  hostname: string | undefined;
  appName: string | undefined;
  procId: string | undefined;
  msgId: string | undefined;
  sd: SdElement[];
  bom: boolean;
  message: string;
}

const fields5424: fc.Arbitrary<Fields5424> = fc.record({
  pri: fc.integer({ min: 0, max: 191 }),
  timestamp: fc.option(isoTime, { nil: undefined }),
  hostname: fc.option(printUsAscii(255), { nil: undefined }),
  appName: fc.option(printUsAscii(48), { nil: undefined }),
  procId: fc.option(printUsAscii(128), { nil: undefined }),
  msgId: fc.option(printUsAscii(32), { nil: undefined }),
  sd: fc.array(sdElement, { maxLength: 3 }),
  bom: fc.boolean(),
  // a BOM at the start of MSG is a marker (RFC 5424 section 6.4), not text
  message: printable(200).filter((s) => !s.startsWith('\uFEFF')),
});

function format5424(f: Fields5424): { wire: string; sd: string | undefined } {
  const sd =
    f.sd.length === 0
      ? undefined
      : f.sd
          .map((e) => `[${e.id}${e.params.map((p) => ` ${p.name}="${escapeParamValue(p.value)}"`).join('')}]`)
          .join('');
  const header = [f.timestamp, f.hostname, f.appName, f.procId, f.msgId].map((v) => v ?? '-').join(' ');
  const body = f.message === '' && !f.bom ? '' : ` ${f.bom ? '\uFEFF' : ''}${f.message}`;
  return { wire: `<${f.pri}>1 ${header} ${sd ?? '-'}${body}`, sd };
}

describe('RFC 5424 round trip', () => {
  it('a message formatted from random fields parses back to them', () => {
    fc.assert(
      fc.property(fields5424, (f) => {
        const { wire, sd } = format5424(f);
        const p = parseSyslog(Buffer.from(wire, 'utf8'));
        expect(p).toEqual({
          format: 'rfc5424',
          facility: f.pri >> 3,
          severity: f.pri & 7,
          ...(f.timestamp !== undefined && { timestamp: f.timestamp }),
          ...(f.hostname !== undefined && { hostname: f.hostname }),
          ...(f.appName !== undefined && { appName: f.appName }),
          ...(f.procId !== undefined && { procId: f.procId }),
          ...(f.msgId !== undefined && { msgId: f.msgId }),
          ...(sd !== undefined && { structuredData: sd }),
          message: f.message,
          raw: wire,
        });
        expect(parseStructuredData(p.structuredData ?? '')).toEqual(f.sd);
      }),
      { numRuns: 1000 },
    );
  });
});
