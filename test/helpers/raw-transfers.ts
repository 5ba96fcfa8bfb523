// Whole transfers driven by the raw client, recording every packet: a download that can ACK each
// block several times (Sorcerer's Apprentice) or per window (RFC 7440), and a lock-step upload.
// Both are bounded by a deadline and by a packet count, and resend their last packet on silence.
import { RawClient, type Received } from './raw-client.js';
import type { LoopbackHost } from './ports.js';
import { ack, data, request, type WireOption } from './tftp-wire.js';

export interface RawTransferOptions {
  host?: LoopbackHost;
  port: number;
  file: string;
  mode?: string;
  options?: readonly WireOption[];
  /** overall deadline */
  timeoutMs?: number;
  /** silence after which the last packet is sent again (the server's retransmission covers the rest) */
  resendAfterMs?: number;
}

export interface RawTransferResult {
  /** the OACK options, when the server sent one */
  oack?: [string, string][];
  error?: { code: number; message: string };
  /** the server's transfer port */
  tid?: number;
  /** every packet received, in order */
  received: Received[];
}

export interface RawDownloadResult extends RawTransferResult {
  /** the payload bytes as they came off the wire (netascii not decoded) */
  bytes: Buffer;
  /** DATA packets received in all, duplicates included */
  dataPackets: number;
  complete: boolean;
}

const option = (oack: [string, string][] | undefined, name: string) =>
  oack?.find(([n]) => n.toLowerCase() === name)?.[1];

/** RRQ, then ACK each block (or each window) `ackCopies` times until the short last block. */
export async function rawDownload(
  o: RawTransferOptions & {
    ackCopies?: number;
    expectedBytes?: number;
    /** runs when block `block` has arrived, before it is acknowledged (inject packets here) */
    onBlock?: (block: number, tid: number) => Promise<void> | void;
  },
): Promise<RawDownloadResult> {
  const { host = '127.0.0.1', ackCopies = 1, timeoutMs = 15_000, resendAfterMs = 1500 } = o;
  const client = await RawClient.open(host);
  const result: RawDownloadResult = { bytes: Buffer.alloc(0), dataPackets: 0, complete: false, received: [] };
  const chunks: Buffer[] = [];
  try {
    const deadline = Date.now() + timeoutMs;
    let last: { buf: Buffer; port: number } = {
      buf: request('rrq', o.file, o.mode, o.options),
      port: o.port,
    };
    client.send(last.buf, last.port);
    let blksize = 512;
    let windowsize = 1;
    let expected = 1;
    let inWindow = 0;
    const maxPackets = 4 * Math.ceil((o.expectedBytes ?? 64 * 1024 * 1024) / 8) + 100;
    const sendAck = (block: number, port: number) => {
      last = { buf: ack(block), port };
      for (let i = 0; i < ackCopies; i++) client.send(last.buf, port);
    };
    while (result.received.length < maxPackets && Date.now() < deadline) {
      const r = await client.maybeNext(Math.min(resendAfterMs, deadline - Date.now()));
      if (!r) {
        client.send(last.buf, last.port);
        continue;
      }
      result.received.push(r);
      result.tid ??= r.from.port;
      const p = r.packet;
      if (p.op === 'error') {
        result.error = { code: p.code, message: p.message };
        break;
      }
      if (p.op === 'oack' && expected === 1) {
        result.oack = p.options;
        blksize = Number(option(p.options, 'blksize') ?? 512);
        windowsize = Number(option(p.options, 'windowsize') ?? 1);
        sendAck(0, r.from.port);
        continue;
      }
      if (p.op !== 'data') continue;
      result.dataPackets++;
      if (p.block !== (expected & 0xffff)) continue; // duplicate or out of order: not ours to answer
      chunks.push(Buffer.from(p.payload));
      await o.onBlock?.(expected, r.from.port);
      expected++;
      inWindow++;
      const end = p.payload.length < blksize;
      if (end || inWindow >= windowsize) {
        sendAck(p.block, r.from.port);
        inWindow = 0;
      }
      if (end) {
        result.complete = true;
        break;
      }
    }
  } finally {
    await client.close();
  }
  result.bytes = Buffer.concat(chunks);
  return result;
}

/** WRQ, then send `payload` in lock-step blocks, each after the ACK of the one before. */
export async function rawUpload(
  o: RawTransferOptions & {
    payload: Uint8Array;
    /** runs when the ACK of `block` has arrived, before the next block goes out */
    onAck?: (block: number, tid: number) => Promise<void> | void;
  },
): Promise<RawTransferResult & { complete: boolean }> {
  const { host = '127.0.0.1', timeoutMs = 15_000, resendAfterMs = 1500 } = o;
  const client = await RawClient.open(host);
  const result: RawTransferResult & { complete: boolean } = { complete: false, received: [] };
  try {
    const deadline = Date.now() + timeoutMs;
    let last: { buf: Buffer; port: number } = {
      buf: request('wrq', o.file, o.mode, o.options),
      port: o.port,
    };
    client.send(last.buf, last.port);
    let blksize = 512;
    let sent = 0; // block number last sent
    let total = Math.floor(o.payload.length / blksize) + 1; // recomputed if an OACK changes blksize
    while (result.received.length < 4 * total + 100 && Date.now() < deadline) {
      const r = await client.maybeNext(Math.min(resendAfterMs, deadline - Date.now()));
      if (!r) {
        client.send(last.buf, last.port);
        continue;
      }
      result.received.push(r);
      result.tid ??= r.from.port;
      const p = r.packet;
      if (p.op === 'error') {
        result.error = { code: p.code, message: p.message };
        break;
      }
      if (p.op === 'oack' && sent === 0) {
        result.oack = p.options;
        blksize = Number(option(p.options, 'blksize') ?? 512);
      } else if (p.op !== 'ack' || p.block !== (sent & 0xffff)) {
        continue;
      }
      if (sent === 0) total = Math.floor(o.payload.length / blksize) + 1;
      await o.onAck?.(sent, r.from.port);
      if (sent === total) {
        result.complete = true;
        break;
      }
      const start = sent * blksize;
      sent++;
      last = { buf: data(sent, o.payload.subarray(start, start + blksize)), port: r.from.port };
      client.send(last.buf, last.port);
    }
  } finally {
    await client.close();
  }
  return result;
}
