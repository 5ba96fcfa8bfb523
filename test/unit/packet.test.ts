import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodePacket,
  encodeAck,
  encodeData,
  encodeError,
  encodeOack,
  encodeRequest,
  MAX_REQUEST_BYTES,
} from '../../electron/tftp/packet.js';

const bytes = (...parts: (number[] | string)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

describe('decodePacket: literal byte tables', () => {
  it('decodes an RRQ with options, names lower-cased', () => {
    const p = decodePacket(
      bytes([0, 1], 'boot/pxelinux.0\0', 'OCTET\0', 'BlkSize\0', '1468\0', 'tsize\0', '0\0'),
    );
    expect(p).toEqual({
      kind: 'rrq',
      filename: 'boot/pxelinux.0',
      mode: 'octet',
      options: [
        { name: 'blksize', value: '1468' },
        { name: 'tsize', value: '0' },
      ],
    });
  });

  it('decodes a WRQ without options', () => {
    expect(decodePacket(bytes([0, 2], 'cfg.txt\0netascii\0'))).toEqual({
      kind: 'wrq',
      filename: 'cfg.txt',
      mode: 'netascii',
      options: [],
    });
  });

  it('decodes DATA, ACK, ERROR and OACK', () => {
    const data = decodePacket(bytes([0, 3, 0xff, 0xfe], 'abc'));
    expect(data).toMatchObject({ kind: 'data', block: 0xfffe });
    expect(data.kind === 'data' && data.data.toString()).toBe('abc');
    expect(decodePacket(bytes([0, 4, 1, 2]))).toEqual({ kind: 'ack', block: 0x0102 });
    expect(decodePacket(bytes([0, 5, 0, 1], 'File not found\0'))).toEqual({
      kind: 'error',
      code: 1,
      message: 'File not found',
    });
    expect(decodePacket(bytes([0, 6], 'blksize\0', '512\0'))).toEqual({
      kind: 'oack',
      options: [{ name: 'blksize', value: '512' }],
    });
  });

  it('treats a bare 00 05 as an ERROR with code 0 (the client wants to stop)', () => {
    expect(decodePacket(bytes([0, 5]))).toEqual({ kind: 'error', code: 0, message: '' });
  });

  it('reads an unterminated ERROR message only up to the datagram end', () => {
    expect(decodePacket(bytes([0, 5, 0, 2], 'no nul'))).toEqual({
      kind: 'error',
      code: 2,
      message: 'no nul',
    });
  });
});

describe('decodePacket: malformed shapes', () => {
  const cases: [string, Buffer, number | undefined][] = [
    ['empty datagram', bytes([]), undefined],
    ['one byte', bytes([0]), undefined],
    ['RRQ opcode only', bytes([0, 1]), 4],
    ['filename without NUL', bytes([0, 1], 'file'), 4],
    ['mode missing', bytes([0, 1], 'file\0'), 4],
    ['mode unterminated', bytes([0, 1], 'file\0octet'), 4],
    ['trailing garbage after mode', bytes([0, 1], 'file\0octet\0more'), 4],
    ['option without value', bytes([0, 1], 'file\0octet\0blksize\0'), 4],
    ['DATA without block number', bytes([0, 3, 0]), undefined],
    ['ACK without block number', bytes([0, 4]), undefined],
    ['ACK of three bytes', bytes([0, 4, 1]), undefined],
    ['opcode 0', bytes([0, 0, 1, 2]), undefined],
    ['opcode 7', bytes([0, 7], 'x\0'), undefined],
    ['opcode 99', bytes([0, 99]), undefined],
    ['opcode 0xffff', bytes([0xff, 0xff]), undefined],
    ['invalid UTF-8 file name', bytes([0, 1, 0xc3, 0x28, 0], 'octet\0'), 2],
  ];
  it.each(cases)('%s', (_name, buf, code) => {
    const p = decodePacket(buf);
    expect(p.kind).toBe('invalid');
    if (p.kind !== 'invalid') return;
    expect(p.reply?.code).toBe(code);
  });

  it('refuses a request longer than the cap (A9)', () => {
    const huge = Buffer.concat([bytes([0, 1]), Buffer.alloc(65_505, 0x41), bytes([0])]);
    const p = decodePacket(huge);
    expect(p).toMatchObject({ kind: 'invalid', reply: { code: 4 } });
    const justFits = encodeRequest('rrq', 'a'.repeat(MAX_REQUEST_BYTES - 10), 'octet');
    expect(justFits.length).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
    expect(decodePacket(justFits).kind).toBe('rrq');
  });

  it('keeps an embedded NUL from smuggling a path: the rest becomes the mode (B10)', () => {
    const p = decodePacket(bytes([0, 1], 'ok.txt\0../../x\0octet\0'));
    // three fields: name, mode "../../x", then one option name without value -> malformed
    expect(p.kind).toBe('invalid');
    const q = decodePacket(bytes([0, 1], 'ok.txt\0../../x\0'));
    expect(q).toMatchObject({ kind: 'rrq', filename: 'ok.txt', mode: '../../x' });
  });
});

describe('encoders', () => {
  it('encodes the literal bytes', () => {
    expect([...encodeAck(0x1234)]).toEqual([0, 4, 0x12, 0x34]);
    expect([...encodeAck(65536 + 7)]).toEqual([0, 4, 0, 7]);
    expect([...encodeData(1, Buffer.from('hi'))]).toEqual([0, 3, 0, 1, 0x68, 0x69]);
    expect([...encodeError(1, 'File not found')]).toEqual([0, 5, 0, 1, ...Buffer.from('File not found'), 0]);
    expect([...encodeOack([{ name: 'blksize', value: '1468' }])]).toEqual([
      0,
      6,
      ...Buffer.from('blksize\0' + '1468\0'),
    ]);
  });

  it('cuts error messages to 128 printable bytes', () => {
    const e = encodeError(0, 'x'.repeat(1000) + '\u001b[31m');
    expect(e.length).toBe(4 + 128 + 1);
    const withEscape = encodeError(0, 'bad\u001b[2Jname');
    expect(withEscape.subarray(4, -1).toString('latin1')).toBe('bad?[2Jname');
  });
});

describe('properties', () => {
  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (arr) => {
        const p = decodePacket(Buffer.from(arr));
        expect(typeof p.kind).toBe('string');
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on random requests built from opcode + NUL-separated fields', () => {
    const field = fc.string({ maxLength: 20 }).map((s) => s.replace(/\0/g, ''));
    fc.assert(
      fc.property(
        fc.constantFrom(1, 2, 3, 4, 5, 6),
        fc.array(field, { maxLength: 12 }),
        fc.boolean(),
        (op, fields, terminate) => {
          const body = fields.join('\0') + (terminate ? '\0' : '');
          const p = decodePacket(Buffer.concat([Buffer.from([0, op]), Buffer.from(body, 'latin1')]));
          expect(p).toBeDefined();
        },
      ),
    );
  });

  it('round-trips requests', () => {
    const text = fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('\0'));
    const ascii = fc.stringMatching(/^[a-z]{1,10}$/);
    fc.assert(
      fc.property(
        fc.constantFrom('rrq' as const, 'wrq' as const),
        text,
        ascii,
        fc.array(fc.tuple(ascii, fc.stringMatching(/^[0-9]{1,6}$/)), { maxLength: 5 }),
        (kind, name, mode, opts) => {
          const options = opts.map(([n, v]) => ({ name: n, value: v }));
          const p = decodePacket(encodeRequest(kind, name, mode, options));
          expect(p).toEqual({ kind, filename: name, mode, options });
        },
      ),
    );
  });

  it('round-trips DATA, ACK and ERROR', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 65535 }), fc.uint8Array({ maxLength: 1500 }), (block, data) => {
        expect(decodePacket(encodeData(block, data))).toEqual({
          kind: 'data',
          block,
          data: Buffer.from(data),
        });
        expect(decodePacket(encodeAck(block))).toEqual({ kind: 'ack', block });
      }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 8 }), fc.stringMatching(/^[ -~]{0,100}$/), (code, message) => {
        expect(decodePacket(encodeError(code, message))).toEqual({ kind: 'error', code, message });
      }),
    );
  });
});
