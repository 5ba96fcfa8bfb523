// A raw UDP client run inside a host's namespace (bundled and started by clients.ts, its
// configuration in the JSON file named by the first argument): binds one
// socket, sends the steps it is given (hand-made datagrams, pauses, a bounded flood of DISCOVERs
// from random MACs), prints what comes back as JSON lines, and exits. Every loop is bounded in
// count and time.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { buildMessage } from './dhcp-wire.js';

export interface ProbeStep {
  /** a datagram as hex */
  send?: string;
  to?: { address: string; port: number };
  waitMs?: number;
  /** wait (at most maxMs) until another probe has written this file: it is listening */
  awaitFile?: { path: string; maxMs: number };
  /** DISCOVERs from random MACs, as fast as the socket takes them */
  flood?: { count: number; to: { address: string; port: number }; maxMs: number };
}

export interface ProbeConfig {
  bind: { address: string; port: number };
  steps: ProbeStep[];
  /** keep listening this long after the last step */
  listenMs: number;
  /** print at most this many replies (the rest are only counted) */
  maxReplies?: number;
  /** written once the socket is bound, so another probe can wait for this one to listen */
  readyFile?: string;
}

export type ProbeLine =
  | { t: 'reply'; from: string; port: number; hex: string }
  | { t: 'sent'; n: number }
  | { t: 'error'; message: string }
  | { t: 'done'; replies: number };

function out(line: ProbeLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function main(): Promise<void> {
  const config = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as ProbeConfig;
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  let replies = 0;
  socket.on('message', (bytes, from) => {
    replies++;
    if (replies <= (config.maxReplies ?? 100)) {
      out({ t: 'reply', from: from.address, port: from.port, hex: bytes.toString('hex') });
    }
  });
  socket.on('error', (err) => out({ t: 'error', message: err.message }));
  await new Promise<void>((resolve) => socket.bind(config.bind, resolve));
  socket.setBroadcast(true);
  if (config.readyFile) writeFileSync(config.readyFile, 'listening\n');
  const send = (bytes: Buffer, to: { address: string; port: number }): Promise<void> =>
    new Promise((resolve) =>
      socket.send(bytes, to.port, to.address, (err) => {
        if (err) out({ t: 'error', message: err.message });
        resolve();
      }),
    );
  for (const step of config.steps) {
    if (step.awaitFile) {
      const end = Date.now() + step.awaitFile.maxMs;
      while (!existsSync(step.awaitFile.path) && Date.now() < end) await sleep(20);
      if (!existsSync(step.awaitFile.path))
        out({ t: 'error', message: `${step.awaitFile.path} never appeared` });
    }
    if (step.send !== undefined && step.to) {
      await send(Buffer.from(step.send, 'hex'), step.to);
      out({ t: 'sent', n: 1 });
    }
    if (step.waitMs) await sleep(step.waitMs);
    if (step.flood) {
      const end = Date.now() + step.flood.maxMs;
      let n = 0;
      for (; n < step.flood.count && Date.now() < end; n++) {
        const mac = randomBytes(6);
        mac[0] = ((mac[0] ?? 0) & 0xfc) | 0x02;
        const hexMac = [...mac].map((b) => b.toString(16).padStart(2, '0')).join(':');
        const xid = randomBytes(4).readUInt32BE(0);
        await send(buildMessage({ xid, mac: hexMac, flags: 0x8000, options: [[53, [1]]] }), step.flood.to);
      }
      out({ t: 'sent', n });
    }
  }
  await sleep(config.listenMs);
  out({ t: 'done', replies });
  socket.close();
}

main().catch((err: unknown) => {
  out({ t: 'error', message: err instanceof Error ? err.message : String(err) });
  process.exitCode = 1;
});
