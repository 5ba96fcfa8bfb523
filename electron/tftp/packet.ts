// RFC 1350 (TFTP revision 2), RFC 2347 (option extension): the pure codec.
// decodePacket() never throws: every malformed shape comes back as an `invalid` value with the
// TFTP error code to answer with (or none, when the right answer is silence).
//
//          2 bytes     string    1 byte     string   1 byte   (string 1 byte string 1 byte)*
//          ------------------------------------------------
// RRQ/WRQ | 01/02 |  Filename  |   0  |    Mode    |   0  |  opt1 | 0 | value1 | 0 | ...
//          ------------------------------------------------
//          2 bytes     2 bytes      n bytes
//          ----------------------------------
// DATA    | 03    |   Block #  |   Data     |
//          ----------------------------------
//          2 bytes     2 bytes
//          ---------------------
// ACK     | 04    |   Block #  |
//          ---------------------
//          2 bytes     2 bytes      string    1 byte
//          -----------------------------------------
// ERROR   | 05    |  ErrorCode |   ErrMsg   |   0  |
//          -----------------------------------------
//          2 bytes   string 1 byte string 1 byte ...
//          ----------------------------------------
// OACK    | 06    |  opt1  | 0 | value1 | 0 | ...
//          ----------------------------------------
import { TftpErrorCode } from '../../shared/tftp-types.js';

export const Opcode = { RRQ: 1, WRQ: 2, DATA: 3, ACK: 4, ERROR: 5, OACK: 6 } as const;

/**
 * RFC 2347 caps a request at 512 octets; we accept up to one Ethernet payload so that long paths
 * with a full set of options still fit, and refuse anything larger (A9: 64 KB of `A`s).
 */
export const MAX_REQUEST_BYTES = 1468;
/** ERROR messages we send are short fixed strings; longer ones are cut (CVE-2008-2161 class). */
export const MAX_ERROR_MESSAGE_BYTES = 128;

export interface RequestOption {
  /** lower-cased, as option names are case-insensitive (RFC 2347) */
  name: string;
  value: string;
}

export interface RequestPacket {
  kind: 'rrq' | 'wrq';
  filename: string;
  /** lower-cased transfer mode, not yet checked against the supported ones */
  mode: string;
  options: RequestOption[];
}
export interface DataPacket {
  kind: 'data';
  block: number;
  /** a view into the received datagram: copy it if it must outlive the current event */
  data: Buffer;
}
export interface AckPacket {
  kind: 'ack';
  block: number;
}
export interface ErrorPacket {
  kind: 'error';
  code: number;
  message: string;
}
export interface OackPacket {
  kind: 'oack';
  options: RequestOption[];
}
export interface InvalidPacket {
  kind: 'invalid';
  /** fixed phrase for the log */
  reason: string;
  /** error to send back, or undefined to stay silent (never answer what might not be a request) */
  reply?: { code: TftpErrorCode; message: string };
}

export type Packet = RequestPacket | DataPacket | AckPacket | ErrorPacket | OackPacket;

const utf8 = new TextDecoder('utf-8', { fatal: true });

function invalid(reason: string, code?: TftpErrorCode, message?: string): InvalidPacket {
  return code === undefined
    ? { kind: 'invalid', reason }
    : { kind: 'invalid', reason, reply: { code, message: message ?? reason } };
}

/** Splits NUL-terminated fields; returns undefined when the last field has no terminator. */
function splitFields(buf: Buffer, start: number): Buffer[] | undefined {
  const fields: Buffer[] = [];
  let pos = start;
  while (pos < buf.length) {
    const end = buf.indexOf(0, pos);
    if (end < 0) return undefined;
    fields.push(buf.subarray(pos, end));
    pos = end + 1;
  }
  return fields;
}

function decodeRequest(buf: Buffer, kind: 'rrq' | 'wrq'): RequestPacket | InvalidPacket {
  if (buf.length > MAX_REQUEST_BYTES)
    return invalid('request too long', TftpErrorCode.IllegalOperation, 'Request too long');
  const fields = splitFields(buf, 2);
  if (fields === undefined)
    return invalid('unterminated field in request', TftpErrorCode.IllegalOperation, 'Malformed request');
  const [nameField, modeField] = fields;
  if (nameField === undefined || modeField === undefined)
    return invalid('request without mode', TftpErrorCode.IllegalOperation, 'Malformed request');
  if ((fields.length - 2) % 2 !== 0)
    return invalid('option without value', TftpErrorCode.IllegalOperation, 'Malformed option list');
  let filename: string;
  try {
    filename = utf8.decode(nameField);
  } catch {
    return invalid('file name is not valid UTF-8', TftpErrorCode.AccessViolation, 'Invalid file name');
  }
  const mode = modeField.toString('latin1').toLowerCase();
  const options: RequestOption[] = [];
  for (let i = 2; i + 1 < fields.length; i += 2) {
    options.push({
      name: (fields[i] as Buffer).toString('latin1').toLowerCase(),
      value: (fields[i + 1] as Buffer).toString('latin1'),
    });
  }
  return { kind, filename, mode, options };
}

function decodeOptionsOnly(buf: Buffer): OackPacket | InvalidPacket {
  const fields = splitFields(buf, 2);
  if (fields === undefined || fields.length % 2 !== 0) return invalid('malformed OACK');
  const options: RequestOption[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    options.push({
      name: (fields[i] as Buffer).toString('latin1').toLowerCase(),
      value: (fields[i + 1] as Buffer).toString('latin1'),
    });
  }
  return { kind: 'oack', options };
}

/** Decodes one datagram. Never throws; reads nothing past the datagram's end. */
export function decodePacket(buf: Buffer): Packet | InvalidPacket {
  if (buf.length < 2) return invalid('datagram shorter than an opcode');
  const op = buf.readUInt16BE(0);
  switch (op) {
    case Opcode.RRQ:
      return decodeRequest(buf, 'rrq');
    case Opcode.WRQ:
      return decodeRequest(buf, 'wrq');
    case Opcode.DATA:
      if (buf.length < 4) return invalid('DATA without block number');
      return { kind: 'data', block: buf.readUInt16BE(2), data: buf.subarray(4) };
    case Opcode.ACK:
      if (buf.length < 4) return invalid('ACK without block number');
      return { kind: 'ack', block: buf.readUInt16BE(2) };
    case Opcode.ERROR: {
      // A bare `00 05` still means "stop" (D10): code 0, no message.
      if (buf.length < 4) return { kind: 'error', code: 0, message: '' };
      const end = buf.indexOf(0, 4);
      const raw = buf.subarray(4, end < 0 ? Math.min(buf.length, 4 + 512) : Math.min(end, 4 + 512));
      return { kind: 'error', code: buf.readUInt16BE(2), message: raw.toString('latin1') };
    }
    case Opcode.OACK:
      return decodeOptionsOnly(buf);
    default:
      return invalid('unknown opcode');
  }
}

/** Cuts and cleans an outgoing error message: printable ASCII only, at most 128 bytes. */
export function cleanErrorMessage(message: string): string {
  const printable = message.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > MAX_ERROR_MESSAGE_BYTES ? printable.slice(0, MAX_ERROR_MESSAGE_BYTES) : printable;
}

export function encodeError(code: number, message: string): Buffer {
  const text = cleanErrorMessage(message);
  const buf = Buffer.alloc(5 + text.length);
  buf.writeUInt16BE(Opcode.ERROR, 0);
  buf.writeUInt16BE(code, 2);
  buf.write(text, 4, 'latin1');
  return buf;
}

export function encodeAck(block: number): Buffer {
  const buf = Buffer.alloc(4);
  writeAck(buf, block);
  return buf;
}

/** Writes an ACK into a reusable 4-byte buffer (hot path of uploads: no allocation per block). */
export function writeAck(buf: Buffer, block: number): void {
  buf.writeUInt16BE(Opcode.ACK, 0);
  buf.writeUInt16BE(block & 0xffff, 2);
}

/** Writes a DATA header into the first 4 bytes of a packet buffer (hot path of downloads). */
export function writeDataHeader(buf: Buffer, block: number): void {
  buf.writeUInt16BE(Opcode.DATA, 0);
  buf.writeUInt16BE(block & 0xffff, 2);
}

export function encodeData(block: number, data: Uint8Array): Buffer {
  const buf = Buffer.alloc(4 + data.length);
  writeDataHeader(buf, block);
  buf.set(data, 4);
  return buf;
}

function encodeOptionList(
  opcode: number,
  filename: string | undefined,
  mode: string | undefined,
  options: readonly RequestOption[],
): Buffer {
  const parts: Buffer[] = [Buffer.from([0, opcode])];
  const field = (s: string, encoding: BufferEncoding) =>
    parts.push(Buffer.from(s, encoding), Buffer.from([0]));
  if (filename !== undefined) field(filename, 'utf8');
  if (mode !== undefined) field(mode, 'latin1');
  for (const o of options) {
    field(o.name, 'latin1');
    field(o.value, 'latin1');
  }
  return Buffer.concat(parts);
}

/** The OACK is built in its own buffer, never inside a DATA buffer sized by blksize (CVE-2021-41054). */
export function encodeOack(options: readonly RequestOption[]): Buffer {
  return encodeOptionList(Opcode.OACK, undefined, undefined, options);
}

/** For tests and the benchmark client: builds an RRQ or WRQ. */
export function encodeRequest(
  kind: 'rrq' | 'wrq',
  filename: string,
  mode: string,
  options: readonly RequestOption[] = [],
): Buffer {
  return encodeOptionList(kind === 'rrq' ? Opcode.RRQ : Opcode.WRQ, filename, mode, options);
}
