// A BOOTP/DHCP codec written apart from the service's (RFC 951, RFC 2131 section 2, RFC 2132), for
// hand-made requests and for reading replies in tests: if the service's codec and this one disagree,
// a test fails. Deliberately plain: fixed layout, options in the options area only.

export interface WireMessage {
  op?: number;
  htype?: number;
  hlen?: number;
  hops?: number;
  xid: number;
  secs?: number;
  flags?: number;
  ciaddr?: string;
  yiaddr?: string;
  siaddr?: string;
  giaddr?: string;
  /** 'aa:bb:cc:dd:ee:ff' */
  mac: string;
  sname?: string;
  file?: string;
  /** false: plain BOOTP, no magic cookie and no options */
  cookie?: boolean;
  /** in this order; an end option is added */
  options?: [number, Uint8Array | number[] | string][];
}

export interface ParsedMessage {
  op: number;
  xid: number;
  flags: number;
  ciaddr: string;
  yiaddr: string;
  siaddr: string;
  giaddr: string;
  mac: string;
  sname: string;
  file: string;
  cookie: boolean;
  options: Map<number, Buffer>;
  /** option 53, when present */
  type?: number;
}

export const DHCP = {
  DISCOVER: 1,
  OFFER: 2,
  REQUEST: 3,
  DECLINE: 4,
  ACK: 5,
  NAK: 6,
  RELEASE: 7,
  INFORM: 8,
} as const;

function ip(text: string | undefined): number[] {
  return (text ?? '0.0.0.0').split('.').map(Number);
}

export function buildMessage(m: WireMessage): Buffer {
  const fixed = Buffer.alloc(236);
  fixed[0] = m.op ?? 1;
  fixed[1] = m.htype ?? 1;
  fixed[2] = m.hlen ?? 6;
  fixed[3] = m.hops ?? 0;
  fixed.writeUInt32BE(m.xid >>> 0, 4);
  fixed.writeUInt16BE(m.secs ?? 0, 8);
  fixed.writeUInt16BE(m.flags ?? 0, 10);
  fixed.set(ip(m.ciaddr), 12);
  fixed.set(ip(m.yiaddr), 16);
  fixed.set(ip(m.siaddr), 20);
  fixed.set(ip(m.giaddr), 24);
  fixed.set(
    m.mac.split(':').map((h) => parseInt(h, 16)),
    28,
  );
  fixed.write(m.sname ?? '', 44, 63, 'latin1');
  fixed.write(m.file ?? '', 108, 127, 'latin1');
  if (m.cookie === false) return Buffer.concat([fixed, Buffer.alloc(64)]); // RFC 951 vendor area
  const parts: Buffer[] = [fixed, Buffer.from([99, 130, 83, 99])];
  for (const [code, value] of m.options ?? []) {
    const bytes = typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from(value);
    parts.push(Buffer.from([code, bytes.length]), bytes);
  }
  parts.push(Buffer.from([255]));
  const body = Buffer.concat(parts);
  return body.length >= 300 ? body : Buffer.concat([body, Buffer.alloc(300 - body.length)]);
}

function dotted(b: Buffer, at: number): string {
  return [...b.subarray(at, at + 4)].join('.');
}

function cString(b: Buffer, at: number, length: number): string {
  const field = b.subarray(at, at + length);
  const nul = field.indexOf(0);
  return field.subarray(0, nul < 0 ? length : nul).toString('latin1');
}

/** Throws on anything that is not a well-formed message (a test then fails with the reason). */
export function parseMessage(b: Buffer): ParsedMessage {
  if (b.length < 236) throw new Error(`message of ${b.length} bytes, shorter than BOOTP's 236`);
  const hlen = Math.min(b[2] ?? 6, 16);
  const options = new Map<number, Buffer>();
  const cookie = b.length >= 240 && b.readUInt32BE(236) === 0x63825363;
  if (cookie) {
    let i = 240;
    while (i < b.length) {
      const code = b[i] ?? 255;
      if (code === 255) break;
      if (code === 0) {
        i++;
        continue;
      }
      const len = b[i + 1];
      if (len === undefined || i + 2 + len > b.length) throw new Error(`option ${code} runs past the end`);
      const value = b.subarray(i + 2, i + 2 + len);
      const prior = options.get(code);
      options.set(code, prior ? Buffer.concat([prior, value]) : Buffer.from(value));
      i += 2 + len;
    }
  }
  const type = options.get(53)?.[0];
  return {
    op: b[0] ?? 0,
    xid: b.readUInt32BE(4),
    flags: b.readUInt16BE(10),
    ciaddr: dotted(b, 12),
    yiaddr: dotted(b, 16),
    siaddr: dotted(b, 20),
    giaddr: dotted(b, 24),
    mac: [...b.subarray(28, 28 + hlen)].map((x) => x.toString(16).padStart(2, '0')).join(':'),
    sname: cString(b, 44, 64),
    file: cString(b, 108, 128),
    cookie,
    options,
    ...(type !== undefined ? { type } : {}),
  };
}

/** An option's value as a dotted quad (options 1, 3, 54 ...). */
export function optionAddress(m: ParsedMessage, code: number): string | undefined {
  const v = m.options.get(code);
  return v && v.length >= 4 ? dotted(v, 0) : undefined;
}

export function optionText(m: ParsedMessage, code: number): string | undefined {
  return m.options.get(code)?.toString('latin1');
}
