// Catalogue E6/E7: reflection. A spoofed RRQ makes a server send to a victim that never ACKs;
// what counts is the bytes the victim receives per byte of request. Measured on our engine with
// its default timers, and on tftpd-hpa (same run, same file) when `in.tftpd` is installed, over
// the same 10 s window (our engine gives up within it; tftpd-hpa keeps resending with backoff for
// about a minute, so its figure is a lower bound).
import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomData } from '../helpers/files.js';
import { freeUdpPort } from '../helpers/ports.js';
import { RawClient } from '../helpers/raw-client.js';
import { isInstalled } from '../helpers/run-process.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { pause } from './support/download.js';
import { makeJail, type Jail } from './support/jail.js';
import { show } from './support/probe.js';
import { rawRequest } from './support/requests.js';

const WINDOW_MS = 10_000;
let jail: Jail;
let server: TestServer;
let hpa: { port: number; child: ChildProcess } | undefined;

beforeAll(async () => {
  jail = makeJail({ 'big.bin': randomData(4_000_000) });
  server = await startServer({ root: jail.root }); // default timeout (3 s) and retries (5)
  if (isInstalled('in.tftpd')) {
    const port = await freeUdpPort();
    const args = ['-L', '-s', '-c', '-B', '65464', '-a', `127.0.0.1:${port}`, jail.root];
    hpa = { port, child: spawn('in.tftpd', args, { stdio: 'ignore' }) };
    await pause(300);
  }
});
afterAll(async () => {
  hpa?.child.kill('SIGKILL');
  await server?.stop();
  jail?.remove();
});

const variants: [label: string, options: [string, string][]][] = [
  ['no options', []],
  [
    'blksize 1468 + tsize',
    [
      ['blksize', '1468'],
      ['tsize', '0'],
    ],
  ],
  [
    'blksize 65464 + windowsize 65535 (E7)',
    [
      ['blksize', '65464'],
      ['windowsize', '65535'],
    ],
  ],
];

interface Reflected {
  bytes: number;
  packets: number;
  kinds: string[];
}

async function reflect(port: number, request: Buffer): Promise<Reflected> {
  const victim = await RawClient.open();
  try {
    victim.send(request, port);
    const got = await victim.collect(WINDOW_MS);
    return {
      bytes: got.reduce((n, r) => n + r.raw.length, 0),
      packets: got.length,
      kinds: [...new Set(got.map((r) => show([r]).split(' ')[0] as string))],
    };
  } finally {
    victim.close();
  }
}

describe('E6/E7 reflection: bytes sent to a victim that never ACKs', () => {
  it('sends at most three copies of a small first packet, no data window before an ACK, and no more than tftpd-hpa', async () => {
    const runs = await Promise.all(
      variants.map(async ([label, options]) => {
        const request = rawRequest('rrq', 'big.bin', 'octet', options);
        const [ours, theirs] = await Promise.all([
          reflect(server.port, request),
          hpa ? reflect(hpa.port, request) : Promise.resolve(undefined),
        ]);
        return { label, options, request: request.length, ours, theirs };
      }),
    );
    const lines = runs.map(({ label, request, ours, theirs }) => {
      const f = (r: Reflected | undefined) =>
        r
          ? `${String(r.bytes).padStart(6)} B in ${r.packets} (${r.kinds.join('/')}) x${(r.bytes / request).toFixed(1)}`
          : 'in.tftpd not installed';
      return `  ${label.padEnd(40)} request ${String(request).padStart(3)} B | ours ${f(ours)} | tftpd-hpa ${f(theirs)}`;
    });
    console.log(`E6/E7 reflection over ${WINDOW_MS / 1000} s:\n${lines.join('\n')}`);

    for (const { label, options, request, ours, theirs } of runs) {
      expect(ours.packets, label).toBeGreaterThan(0);
      expect(ours.packets, label).toBeLessThanOrEqual(3);
      if (options.length > 0) {
        // An OACK first, and nothing else until the client answers: no window of data (E7).
        expect(ours.kinds, label).toEqual(['OACK']);
        expect(ours.bytes / request, label).toBeLessThanOrEqual(3);
      } else {
        // RFC 1350 answers a plain RRQ with DATA 1 itself; the lever is how often it is resent.
        expect(ours.bytes, label).toBeLessThanOrEqual(3 * 516);
        if (theirs) expect(ours.bytes, label).toBeLessThanOrEqual(theirs.bytes);
      }
      if (theirs) expect(ours.packets, label).toBeLessThanOrEqual(theirs.packets);
    }
  });
});
