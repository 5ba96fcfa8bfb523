// A TFTP codec for tests, written apart from the engine's packet.ts so that a bug there cannot
// hide itself: requests and packets are built byte by byte from RFC 1350 / RFC 2347, and replies
// are parsed loosely (whatever the server sends is reported, never thrown away).

export const Op = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;

/** An option as it goes on the wire: name and value, in order, duplicates allowed. */
export type WireOption = readonly [name: string, value: string];

export type WirePacket =
  | { op: 'data'; block: number; payload: Buffer }
  | { op: 'ack'; block: number }
  | { op: 'error'; code: number; message: string }
  | { op: 'oack'; options: [string, string][] }
  | { op: 'other'; raw: Buffer };

function zstrings(parts: readonly string[]): Buffer {
  return Buffer.concat(parts.map((p) => Buffer.concat([Buffer.from(p, 'latin1'), Buffer.from([0])])));
}

function opcode(op: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(op, 0);
  return b;
}

/** RRQ/WRQ: | opcode | filename | 0 | mode | 0 | opt1 | 0 | value1 | 0 | ... */
export function request(
  kind: 'rrq' | 'wrq',
  file: string,
  mode = 'octet',
  options: readonly WireOption[] = [],
): Buffer {
  return Buffer.concat([opcode(kind === 'rrq' ? Op.RRQ : Op.WRQ), zstrings([file, mode, ...options.flat()])]);
}

export function ack(block: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt16BE(Op.ACK, 0);
  b.writeUInt16BE(block & 0xffff, 2);
  return b;
}

export function data(block: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(Op.DATA, 0);
  head.writeUInt16BE(block & 0xffff, 2);
  return Buffer.concat([head, payload]);
}

export function error(code: number, message: string): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(Op.ERROR, 0);
  head.writeUInt16BE(code, 2);
  return Buffer.concat([head, zstrings([message])]);
}

export function parse(raw: Buffer): WirePacket {
  if (raw.length < 2) return { op: 'other', raw };
  const op = raw.readUInt16BE(0);
  if (op === Op.DATA && raw.length >= 4)
    return { op: 'data', block: raw.readUInt16BE(2), payload: raw.subarray(4) };
  if (op === Op.ACK && raw.length >= 4) return { op: 'ack', block: raw.readUInt16BE(2) };
  if (op === Op.ERROR && raw.length >= 4) {
    const end = raw.indexOf(0, 4);
    return {
      op: 'error',
      code: raw.readUInt16BE(2),
      message: raw.toString('latin1', 4, end < 0 ? raw.length : end),
    };
  }
  if (op === Op.OACK) {
    const fields = raw.toString('latin1', 2).split('\0');
    if (fields.at(-1) === '') fields.pop();
    const options: [string, string][] = [];
    for (let i = 0; i + 1 < fields.length; i += 2)
      options.push([fields[i] as string, fields[i + 1] as string]);
    return { op: 'oack', options };
  }
  return { op: 'other', raw };
}

/** Short text for assertion messages: `DATA 3 (512 B)`, `ERROR 1 "File not found"`. */
export function packetSummary(p: WirePacket): string {
  switch (p.op) {
    case 'data':
      return `DATA ${p.block} (${p.payload.length} B)`;
    case 'ack':
      return `ACK ${p.block}`;
    case 'error':
      return `ERROR ${p.code} "${p.message}"`;
    case 'oack':
      return `OACK ${p.options.map(([n, v]) => `${n}=${v}`).join(' ')}`;
    case 'other':
      return `?? ${p.raw.subarray(0, 16).toString('hex')}`;
  }
}
