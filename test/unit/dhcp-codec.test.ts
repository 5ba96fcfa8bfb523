import { describe, expect, it } from 'vitest';
import {
  decodeDhcp,
  encodeDhcp,
  macOf,
  type DhcpDecodeResult,
  type DhcpMessage,
} from '../../electron/dhcp/codec.js';

const b = (...values: number[]) => Buffer.from(values);
const zeros = (n: number) => Buffer.alloc(n);
const latin1 = (text: string) => Buffer.from(text, 'latin1');
const COOKIE = b(99, 130, 83, 99);

/** The fixed part up to and including `file`: 236 bytes. */
function header(opts: { op?: number; hlen?: number; sname?: Buffer; file?: Buffer } = {}): Buffer {
  const sname = Buffer.concat([opts.sname ?? zeros(0), zeros(64)]).subarray(0, 64);
  const file = Buffer.concat([opts.file ?? zeros(0), zeros(128)]).subarray(0, 128);
  return Buffer.concat([
    b(opts.op ?? 1, 1, opts.hlen ?? 6, 0), // op, htype Ethernet, hlen, hops
    b(0x00, 0x00, 0x3d, 0x1d), // xid
    b(0, 0, 0, 0), // secs, flags
    zeros(16), // ciaddr, yiaddr, siaddr, giaddr
    b(0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42),
    zeros(10), // chaddr
    sname,
    file,
  ]);
}

function ok(r: DhcpDecodeResult): DhcpMessage {
  if (!r.ok) throw new Error(`expected a message, got: ${r.error}`);
  return r.message;
}

function error(r: DhcpDecodeResult): string {
  if (r.ok) throw new Error('expected an error');
  return r.error;
}

describe('decodeDhcp: literal byte tables', () => {
  it('decodes a real DISCOVER (a Windows XP client, as in the classic Wireshark capture)', () => {
    const bytes = Buffer.concat([
      b(0x01, 0x01, 0x06, 0x00), // BOOTREQUEST, Ethernet, hlen 6, hops 0
      b(0x00, 0x00, 0x3d, 0x1d), // xid
      b(0x00, 0x00, 0x00, 0x00), // secs 0, flags 0 (unicast allowed)
      b(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), // ciaddr, yiaddr, siaddr, giaddr
      b(0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), // chaddr
      zeros(64), // sname
      zeros(128), // file
      b(0x63, 0x82, 0x53, 0x63), // magic cookie
      b(0x35, 0x01, 0x01), // 53: DHCPDISCOVER
      b(0x3d, 0x07, 0x01, 0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42), // 61: client id (type 1 + MAC)
      b(0x32, 0x04, 0x00, 0x00, 0x00, 0x00), // 50: requested 0.0.0.0
      b(0x37, 0x04, 0x01, 0x03, 0x06, 0x2a), // 55: mask, router, DNS, NTP
      b(0xff), // end
      zeros(7), // pad to 272 bytes, as captured
    ]);
    const m = ok(decodeDhcp(bytes));
    expect(m).toMatchObject({
      op: 1,
      htype: 1,
      hlen: 6,
      hops: 0,
      xid: 0x3d1d,
      secs: 0,
      flags: 0,
      ciaddr: '0.0.0.0',
      yiaddr: '0.0.0.0',
      siaddr: '0.0.0.0',
      giaddr: '0.0.0.0',
      sname: '',
      file: '',
      cookie: true,
    });
    expect(macOf(m)).toBe('00:0b:82:01:fc:42');
    expect([...m.options.keys()]).toEqual([53, 61, 50, 55]);
    expect(m.options.get(53)).toEqual(b(1));
    expect(m.options.get(61)).toEqual(b(1, 0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42));
    expect(m.options.get(55)).toEqual(b(1, 3, 6, 42));
  });

  it('decodes a plain RFC 951 BOOTP request: 300 bytes, no cookie, the vendor area opaque', () => {
    const bytes = Buffer.concat([
      b(0x01, 0x01, 0x06, 0x00),
      b(0xde, 0xad, 0xbe, 0xef), // xid
      b(0x00, 0x02, 0x00, 0x00), // secs 2
      zeros(16),
      b(0x00, 0x0c, 0x42, 0x11, 0x22, 0x33),
      zeros(10),
      zeros(64),
      latin1('boot/routeros\0'),
      zeros(128 - 14),
      b(1, 2, 3, 4), // CMU-style vendor bytes, not RFC 1048 options
      zeros(60),
    ]);
    expect(bytes.length).toBe(300);
    const m = ok(decodeDhcp(bytes));
    expect(m.cookie).toBe(false);
    expect(m.options.size).toBe(0);
    expect(m.xid).toBe(0xdeadbeef);
    expect(m.secs).toBe(2);
    expect(m.file).toBe('boot/routeros');
    expect(macOf(m)).toBe('00:0c:42:11:22:33');
  });

  it('decodes a BOOTP request with the cookie and RFC 1048 options but no option 53', () => {
    const m = ok(decodeDhcp(Buffer.concat([header(), COOKIE, b(1, 4, 255, 255, 255, 0), b(255), zeros(59)])));
    expect(m.cookie).toBe(true);
    expect(m.options.has(53)).toBe(false);
    expect(m.options.get(1)).toEqual(b(255, 255, 255, 0));
  });

  it('takes exactly 236 bytes, or fewer than 4 after them, as BOOTP without a vendor area', () => {
    expect(ok(decodeDhcp(header())).cookie).toBe(false);
    expect(ok(decodeDhcp(Buffer.concat([header(), b(99, 130, 83)]))).cookie).toBe(false);
    expect(ok(decodeDhcp(Buffer.concat([header(), COOKIE]))).options.size).toBe(0);
  });

  it('skips pad bytes, tolerates a missing end option and ignores bytes after the end', () => {
    const m = ok(decodeDhcp(Buffer.concat([header(), COOKIE, b(0, 0, 53, 1, 3, 0, 12, 2, 0x68, 0x69)])));
    expect([...m.options]).toEqual([
      [53, b(3)],
      [12, latin1('hi')],
    ]);
    const after = ok(decodeDhcp(Buffer.concat([header(), COOKIE, b(53, 1, 1, 255, 12, 200, 1)])));
    expect([...after.options.keys()]).toEqual([53]);
  });

  it('concatenates a repeated option in wire order (RFC 3396)', () => {
    const m = ok(decodeDhcp(Buffer.concat([header(), COOKIE, b(43, 2, 1, 2, 53, 1, 1, 43, 1, 3, 255)])));
    expect([...m.options.keys()]).toEqual([43, 53]);
    expect(m.options.get(43)).toEqual(b(1, 2, 3));
  });

  it('reads the file field, then sname, as options when option 52 says so', () => {
    const file = b(67, 3, 0x61, 0x62, 0x63, 43, 1, 2, 255);
    const sname = b(43, 1, 3, 52, 1, 1, 255); // a 52 inside the fields is ignored
    const m = ok(
      decodeDhcp(Buffer.concat([header({ sname, file }), COOKIE, b(53, 1, 1, 52, 1, 3, 43, 1, 1, 255)])),
    );
    expect(m.sname).toBe('');
    expect(m.file).toBe('');
    expect(m.options.get(43)).toEqual(b(1, 2, 3));
    expect(m.options.get(67)).toEqual(latin1('abc'));
    expect(m.options.has(52)).toBe(false);
  });

  it('keeps the field not overloaded as a string', () => {
    const m = ok(
      decodeDhcp(
        Buffer.concat([header({ sname: latin1('srv\0'), file: b(12, 1, 0x78) }), COOKIE, b(52, 1, 1, 255)]),
      ),
    );
    expect(m.sname).toBe('srv');
    expect(m.file).toBe('');
    expect(m.options.get(12)).toEqual(latin1('x'));
  });

  it('reads sname and file as latin1 up to the first NUL', () => {
    const m = ok(decodeDhcp(header({ sname: latin1('tftp\0junk'), file: latin1('p\xe9xe.0\0') })));
    expect(m.sname).toBe('tftp');
    expect(m.file).toBe('p\xe9xe.0');
  });
});

describe('decodeDhcp: refused shapes', () => {
  const cases: [string, Buffer, RegExp][] = [
    ['empty datagram', zeros(0), /0 bytes is shorter than the 236-byte/],
    ['235 bytes', header().subarray(0, 235), /235 bytes is shorter/],
    ['op 0', header({ op: 0 }), /op 0 is neither/],
    ['op 3', header({ op: 3 }), /op 3 is neither/],
    ['hlen 17', header({ hlen: 17 }), /hardware address length 17/],
    [
      'option running past the end',
      Buffer.concat([header(), COOKIE, b(53, 1, 1, 12, 5, 0x61)]),
      /option 12 .* runs past/,
    ],
    ['option without its length byte', Buffer.concat([header(), COOKIE, b(53, 1, 1, 12)]), /no length byte/],
    ['overload of two bytes', Buffer.concat([header(), COOKIE, b(52, 2, 1, 1, 255)]), /option 52/],
    ['overload value 4', Buffer.concat([header(), COOKIE, b(52, 1, 4, 255)]), /option 52/],
    ['overload value 0', Buffer.concat([header(), COOKIE, b(52, 1, 0, 255)]), /option 52/],
    [
      'overloaded file with an option past its end',
      Buffer.concat([header({ file: Buffer.concat([zeros(126), b(12, 9)]) }), COOKIE, b(52, 1, 1, 255)]),
      /file field runs past/,
    ],
    [
      'overloaded sname with an option past its end',
      Buffer.concat([header({ sname: Buffer.concat([zeros(62), b(12, 9)]) }), COOKIE, b(52, 1, 2, 255)]),
      /sname field runs past/,
    ],
    ['sname without a NUL', header({ sname: Buffer.alloc(64, 0x41) }), /sname field is not NUL-terminated/],
    ['file without a NUL', header({ file: Buffer.alloc(128, 0x41) }), /file field is not NUL-terminated/],
  ];
  for (const [name, bytes, pattern] of cases) {
    it(`refuses: ${name}`, () => {
      expect(error(decodeDhcp(bytes))).toMatch(pattern);
    });
  }

  it('accepts 63 name bytes and 127 file bytes with their NUL', () => {
    const m = ok(decodeDhcp(header({ sname: Buffer.alloc(63, 0x73), file: Buffer.alloc(127, 0x66) })));
    expect(m.sname).toBe('s'.repeat(63));
    expect(m.file).toBe('f'.repeat(127));
  });

  it('reads a view into a larger buffer without looking outside it', () => {
    const big = Buffer.concat([b(9, 9, 9), header(), COOKIE, b(53, 1, 1, 255), b(7, 7)]);
    const view = new Uint8Array(big.buffer, big.byteOffset + 3, big.length - 5);
    expect(ok(decodeDhcp(view)).options.get(53)).toEqual(b(1));
  });
});

function message(over: Partial<DhcpMessage> = {}): DhcpMessage {
  return {
    op: 2,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid: 0x01020304,
    secs: 0,
    flags: 0x8000,
    ciaddr: '0.0.0.0',
    yiaddr: '10.99.0.50',
    siaddr: '10.99.0.1',
    giaddr: '0.0.0.0',
    chaddr: Buffer.concat([b(0x52, 0x54, 0, 0x12, 0x34, 0x56), zeros(10)]),
    sname: '10.99.0.1',
    file: 'pxelinux.0',
    cookie: true,
    options: new Map([
      [53, b(2)],
      [54, b(10, 99, 0, 1)],
    ]),
    ...over,
  };
}

describe('encodeDhcp', () => {
  it('lays out an OFFER byte for byte, padded to 300 bytes', () => {
    const out = encodeDhcp(message());
    expect(out.length).toBe(300);
    expect([...out.subarray(0, 28)]).toEqual([
      2, 1, 6, 0, 1, 2, 3, 4, 0, 0, 0x80, 0, 0, 0, 0, 0, 10, 99, 0, 50, 10, 99, 0, 1, 0, 0, 0, 0,
    ]);
    expect([...out.subarray(28, 34)]).toEqual([0x52, 0x54, 0, 0x12, 0x34, 0x56]);
    expect(out.toString('latin1', 44, 53)).toBe('10.99.0.1');
    expect(out[53]).toBe(0);
    expect(out.toString('latin1', 108, 118)).toBe('pxelinux.0');
    expect([...out.subarray(236, 250)]).toEqual([99, 130, 83, 99, 53, 1, 2, 54, 4, 10, 99, 0, 1, 255]);
    expect(out.subarray(250).every((x) => x === 0)).toBe(true);
  });

  it('splits an option longer than 255 bytes into repeated instances (RFC 3396)', () => {
    const long = Buffer.alloc(300, 0xab);
    const out = encodeDhcp(message({ options: new Map([[43, long]]) }));
    expect([out[240], out[241]]).toEqual([43, 255]);
    expect([out[240 + 257], out[240 + 258]]).toEqual([43, 45]);
    expect(out[240 + 257 + 2 + 45]).toBe(255);
    expect(ok(decodeDhcp(out)).options.get(43)).toEqual(long);
  });

  it('writes a zero-length option as code and length 0, and never writes pad or end as options', () => {
    const out = encodeDhcp(
      message({
        options: new Map([
          [80, zeros(0)],
          [0, b(1)],
          [255, b(1)],
        ]),
      }),
    );
    expect([...out.subarray(240, 243)]).toEqual([80, 0, 255]);
  });

  it('writes no vendor area for a reply to plain BOOTP', () => {
    const out = encodeDhcp(message({ cookie: false }));
    expect(out.length).toBe(300);
    expect(out.subarray(236).every((x) => x === 0)).toBe(true);
  });

  it('cuts names longer than their field so the terminating NUL stays', () => {
    const out = encodeDhcp(message({ sname: 'n'.repeat(80), file: 'f'.repeat(200) }));
    const m = ok(decodeDhcp(out));
    expect(m.sname).toBe('n'.repeat(63));
    expect(m.file).toBe('f'.repeat(127));
  });

  it('grows past 300 bytes when the options need it', () => {
    const out = encodeDhcp(message({ options: new Map([[43, Buffer.alloc(200, 1)]]) }));
    expect(out.length).toBe(236 + 4 + 202 + 1);
  });
});

describe('macOf', () => {
  it('formats hlen bytes of chaddr', () => {
    expect(macOf(message())).toBe('52:54:00:12:34:56');
    expect(macOf(message({ hlen: 0 }))).toBe('');
    expect(macOf(message({ hlen: 16, chaddr: Buffer.alloc(16, 0xf) }))).toBe(Array(16).fill('0f').join(':'));
  });
});
