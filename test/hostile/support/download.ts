// A raw download (lock-step or RFC 7440 windows) that makes sure its final ACK leaves before the
// socket closes. node:dgram defers a send to the next tick, so closing right after the last
// send drops it and the server keeps the session until it times out; the hostile rows run many
// downloads back to back and would hit the per-client session limit.
import { RawClient, type Received } from '../../helpers/raw-client.js';
import type { LoopbackHost } from '../../helpers/ports.js';
import { ack } from '../../helpers/tftp-wire.js';
import { rawRequest } from './requests.js';

export interface DownloadOptions {
  port: number;
  file: string | Buffer;
  host?: LoopbackHost;
  mode?: string;
  options?: readonly (readonly [string, string])[];
  /** send each ACK this many times (Sorcerer's Apprentice bait) */
  ackCopies?: number;
  timeoutMs?: number;
}

export interface Download {
  bytes: Buffer;
  complete: boolean;
  error?: { code: number; message: string };
  oack?: [string, string][];
  /** DATA packets received, duplicates included */
  dataPackets: number;
  /** DATA packets for a block already received */
  duplicates: number;
  received: Received[];
}

export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function download(o: DownloadOptions): Promise<Download> {
  const { host = '127.0.0.1', ackCopies = 1, timeoutMs = 20_000 } = o;
  const client = await RawClient.open(host);
  const out: Download = {
    bytes: Buffer.alloc(0),
    complete: false,
    dataPackets: 0,
    duplicates: 0,
    received: [],
  };
  const chunks: Buffer[] = [];
  const deadline = Date.now() + timeoutMs;
  let last = { buf: rawRequest('rrq', o.file, o.mode, o.options), port: o.port };
  const sendLast = () => {
    for (let i = 0; i < ackCopies; i++) client.send(last.buf, last.port);
  };
  try {
    client.send(last.buf, last.port);
    let blksize = 512;
    let windowsize = 1;
    let expected = 1;
    let inWindow = 0;
    while (Date.now() < deadline) {
      const r = await client.maybeNext(Math.min(1000, deadline - Date.now()));
      if (!r) {
        sendLast();
        continue;
      }
      out.received.push(r);
      const p = r.packet;
      if (p.op === 'error') {
        out.error = { code: p.code, message: p.message };
        break;
      }
      if (p.op === 'oack' && expected === 1) {
        out.oack = p.options;
        blksize = Number(p.options.find(([n]) => n === 'blksize')?.[1] ?? 512);
        windowsize = Number(p.options.find(([n]) => n === 'windowsize')?.[1] ?? 1);
        last = { buf: ack(0), port: r.from.port };
        sendLast();
        continue;
      }
      if (p.op !== 'data') continue;
      out.dataPackets++;
      if (p.block !== (expected & 0xffff)) {
        out.duplicates++;
        continue;
      }
      chunks.push(Buffer.from(p.payload));
      expected++;
      inWindow++;
      const end = p.payload.length < blksize;
      if (end || inWindow >= windowsize) {
        last = { buf: ack(p.block), port: r.from.port };
        sendLast();
        inWindow = 0;
      }
      if (end) {
        out.complete = true;
        break;
      }
    }
  } finally {
    await pause(20); // let the final ACK leave
    client.close();
  }
  out.bytes = Buffer.concat(chunks);
  return out;
}
