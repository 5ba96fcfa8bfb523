// The fingerprint table against the real clients installed here, with no server in between: each
// client sends its first request to a plain loopback socket, which records the datagram and answers
// ERROR 1 so the client gives up at once. The recorded bytes are what the table must recognise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSocket, type Socket } from 'node:dgram';
import { fingerprint } from '../../electron/tftp/fingerprint.js';
import { readRequestAsSent, type RawRequest } from '../../electron/tftp/request-as-sent.js';
import { makeTempDir, removeTempDirs, type TempDir } from '../helpers/files.js';
import { runProcess } from '../helpers/run-process.js';
import type { TftpClientKind } from '../../shared/tftp-types.js';

let socket: Socket;
let port: number;
let scratch: TempDir;
const received: Buffer[] = [];

beforeAll(async () => {
  scratch = makeTempDir();
  scratch.write('up.txt', 'hello\n');
  socket = createSocket('udp4');
  socket.on('message', (msg, from) => {
    received.push(msg);
    socket.send(Buffer.from('\0\x05\0\x01Not here\0', 'latin1'), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  port = socket.address().port;
});

afterAll(() => {
  socket.close();
  removeTempDirs();
});

/** Runs a client and returns the first request it sent. */
async function capture(command: string, args: (port: string, local: string, up: string) => string[]) {
  received.length = 0;
  await runProcess(command, args(String(port), scratch.file('out'), scratch.file('up.txt')), {
    timeoutMs: 10_000,
  });
  const first = received[0];
  if (first === undefined) throw new Error(`${command} sent nothing`);
  return readRequestAsSent(first) as RawRequest;
}

const URL = (p: string, name: string) => `tftp://127.0.0.1:${p}/${name}`;

// [label, command, args, options as sent, client, confidence]
const CASES: [
  string,
  string,
  (p: string, l: string, u: string) => string[],
  string,
  TftpClientKind,
  string,
][] = [
  [
    'curl get',
    'curl',
    (p, l) => ['-s', '-o', l, URL(p, 'fw.bin')],
    'octet tsize=0 blksize=512 timeout=6',
    'curl',
    'likely',
  ],
  [
    'curl put',
    'curl',
    (p, _l, u) => ['-s', '-T', u, URL(p, 'up.txt')],
    'octet tsize=6 blksize=512 timeout=6',
    'curl',
    'likely',
  ],
  [
    'curl --tftp-blksize',
    'curl',
    (p, l) => ['-s', '--tftp-blksize', '1024', '-o', l, URL(p, 'fw.bin')],
    'octet tsize=0 blksize=1024 timeout=6',
    'curl',
    'likely',
  ],
  [
    'tftp-hpa default mode',
    'tftp',
    (p, l) => ['127.0.0.1', p, '-c', 'get', 'fw.bin', l],
    'netascii',
    'tftp-hpa',
    'likely',
  ],
  [
    'tftp-hpa binary',
    'tftp',
    (p, l) => ['-m', 'binary', '127.0.0.1', p, '-c', 'get', 'fw.bin', l],
    'octet',
    'unknown',
    'guess',
  ],
  [
    'atftp default',
    'atftp',
    (p, l) => ['-g', '-r', 'fw.bin', '-l', l, '127.0.0.1', p],
    'octet',
    'unknown',
    'guess',
  ],
  [
    'atftp with options',
    'atftp',
    (p, l) => [
      '--option',
      'blksize 1024',
      '--option',
      'tsize',
      '-g',
      '-r',
      'fw.bin',
      '-l',
      l,
      '127.0.0.1',
      p,
    ],
    'octet tsize=0 blksize=1024',
    'atftp',
    'likely',
  ],
  [
    'atftp timeout and window',
    'atftp',
    (p, l) => [
      '--option',
      'windowsize 4',
      '--option',
      'timeout 3',
      '-g',
      '-r',
      'fw.bin',
      '-l',
      l,
      '127.0.0.1',
      p,
    ],
    'octet timeout=3 windowsize=4',
    'atftp',
    'likely',
  ],
  [
    'busybox get',
    'busybox',
    (p, l) => ['tftp', '-g', '-r', 'fw.bin', '-l', l, '127.0.0.1', p],
    'octet tsize=0',
    'busybox',
    'guess',
  ],
  [
    'busybox -b',
    'busybox',
    (p, l) => ['tftp', '-b', '1400', '-g', '-r', 'fw.bin', '-l', l, '127.0.0.1', p],
    'octet blksize=1400 tsize=0',
    'ipxe',
    'guess',
  ],
];

describe('real clients, captured', () => {
  it.each(CASES)('%s', async (_label, command, args, asSent, client, confidence) => {
    const r = await capture(command, args);
    expect([r.mode, ...r.options.map((o) => `${o.name}=${o.value}`)].join(' ')).toBe(asSent);
    const f = fingerprint(r);
    expect({ client: f.client, confidence: f.confidence }).toEqual({ client, confidence });
    // Where the options are not one client's alone, the answer says who else sends them.
    if (confidence === 'guess' && client !== 'unknown') expect(f.reasons.join(' ')).toMatch(/also sent by/);
  });
});
