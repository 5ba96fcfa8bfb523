// `tftp-desk serve` as people run it: it says where it listens, serves a real client, prints each
// transfer (human lines or NDJSON with --json), exits 0 on SIGTERM and releases the port, and
// fails with a plain message and exit code 1 (no stack trace) when the port is taken or the
// folder is missing.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import type { EngineEvent } from '../../shared/events.js';
import { ensureEngineBuilt, ServeProcesses, STACK_LINE } from '../helpers/cli-process.js';
import {
  makeTempDir,
  makeTempRoot,
  randomData,
  removeTempDirs,
  sha256,
  type TempDir,
} from '../helpers/files.js';
import { freeUdpPort } from '../helpers/ports.js';
import { expectPacket, RawClient } from '../helpers/raw-client.js';
import { CLIENTS } from '../helpers/tftp-clients.js';
import { data, request } from '../helpers/tftp-wire.js';
import { settle } from '../helpers/wait.js';

const FILE = randomData(20_000);

let root: TempDir;
let scratch: TempDir;
const servers = new ServeProcesses();
const serve = (args: string[]) => servers.serve(args);

beforeAll(async () => {
  await ensureEngineBuilt();
  root = makeTempRoot({ 'fw.bin': FILE });
  scratch = makeTempDir();
}, 120_000);

afterEach(() => servers.stopAll());

afterAll(removeTempDirs);

async function download(port: number, name: string): Promise<Buffer> {
  const local = scratch.file(`${name}-${port}`);
  const r = await CLIENTS.curl.get({ host: '127.0.0.1', port, remote: name, local });
  expect(r.ok, r.summary).toBe(true);
  return readFileSync(local);
}

async function portIsFree(port: number): Promise<boolean> {
  const s = createSocket('udp4');
  const ok = await new Promise<boolean>((resolve) => {
    s.once('error', () => resolve(false));
    s.bind({ port, address: '127.0.0.1', exclusive: true }, () => resolve(true));
  });
  s.close();
  return ok;
}

describe('human output', () => {
  it('prints where it listens, a line per transfer, and exits 0 on SIGTERM, releasing the port', async () => {
    const port = await freeUdpPort();
    const cli = serve(['--root', root.path, '--host', '127.0.0.1', '--port', String(port)]);
    await cli.waitForLine(new RegExp(`^listening on 127\\.0\\.0\\.1:${port}$`));
    expect(sha256(await download(port, 'fw.bin'))).toBe(sha256(FILE));
    const line = await cli.waitForLine(/download finished/);
    expect(line).toContain('fw.bin');
    expect(line).toContain(`sha256 ${sha256(FILE)}`);
    expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    expect(cli.stderr.join('\n')).not.toMatch(STACK_LINE);
    expect(await portIsFree(port)).toBe(true);
  });

  it('prints a refused request as one line with its reason, and no separate warning', async () => {
    const port = await freeUdpPort();
    const cli = serve(['--root', root.path, '--host', '127.0.0.1', '--port', String(port)]);
    await cli.waitForLine(/^listening on/);
    const c = await RawClient.open();
    c.send(request('rrq', 'missing.bin', 'octet', [['blksize', '1468']]), port);
    expectPacket(await c.next(), 'error');
    c.close();
    const line = await cli.waitForLine(/missing\.bin/);
    expect(line).toMatch(
      /download refused {2}127\.0\.0\.1:\d+(?: \[[^\]]+\])? {2}missing\.bin {2}ERROR 1: File not found \(file not found\)$/,
    );
    // The server goes on to serve; by then every line about the refusal has been printed.
    await download(port, 'fw.bin');
    await cli.waitForLine(/download finished/);
    expect(cli.stdout.filter((l) => l.includes('missing.bin'))).toEqual([line]);
    expect(cli.stderr.filter((l) => l.includes('refused'))).toEqual([]);
  });

  it('on SIGTERM mid-upload tells the client, removes the temporary file and exits 0', async () => {
    const port = await freeUdpPort();
    const uploads = makeTempRoot({ 'keep.txt': 'kept' });
    const cli = serve([
      '--root',
      uploads.path,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--uploads',
      'create',
    ]);
    await cli.waitForLine(/^listening on/);
    const client = await RawClient.open();
    try {
      client.send(request('wrq', 'half.bin'), port);
      const first = await client.next();
      expect(expectPacket(first, 'ack').block).toBe(0);
      client.send(data(1, randomData(512)), first.from.port);
      expect(expectPacket(await client.next(), 'ack').block).toBe(1);
      expect(uploads.list().length).toBeGreaterThan(1); // the upload's temporary file exists
      const exit = cli.stop('SIGTERM');
      const bye = expectPacket(await client.nextWhere((r) => r.packet.op !== 'ack'), 'error');
      expect(bye.code).toBe(0);
      expect(await exit).toEqual({ code: 0, signal: null });
    } finally {
      await client.close();
    }
    expect(
      await settle(
        () => uploads.list(),
        (l) => l.length === 1,
      ),
    ).toEqual(['keep.txt']);
  });

  it('says the port is in use and exits 1 without a stack trace', async () => {
    const port = await freeUdpPort();
    const holder: Socket = createSocket('udp4');
    await new Promise<void>((resolve) =>
      holder.bind({ port, address: '127.0.0.1', exclusive: true }, resolve),
    );
    try {
      const cli = serve(['--root', root.path, '--host', '127.0.0.1', '--port', String(port)]);
      expect((await cli.exited).code).toBe(1);
      const err = cli.stderr.join('\n');
      expect(err).toMatch(new RegExp(`Port ${port} is already in use`));
      expect(err).not.toMatch(STACK_LINE);
    } finally {
      holder.close();
    }
  });

  it('says the folder is missing and exits 1 without a stack trace', async () => {
    const port = await freeUdpPort();
    const missing = `${root.path}/no-such-folder`;
    const cli = serve(['--root', missing, '--host', '127.0.0.1', '--port', String(port)]);
    expect((await cli.exited).code).toBe(1);
    const err = cli.stderr.join('\n');
    expect(err).toContain(`The folder ${missing} does not exist.`);
    expect(err).not.toMatch(STACK_LINE);
  });
});

describe('--json', () => {
  it('prints one JSON event per line, ending the download with its sha256', async () => {
    const port = await freeUdpPort();
    const cli = serve(['--root', root.path, '--host', '127.0.0.1', '--port', String(port), '--json']);
    await cli.waitForLine(/"state":"listening"/);
    expect(sha256(await download(port, 'fw.bin'))).toBe(sha256(FILE));
    await cli.waitForLine(/"type":"session-finished"/);
    expect(await cli.stop('SIGTERM')).toEqual({ code: 0, signal: null });
    const events = cli.stdout.filter((l) => l.length > 0).map((l) => JSON.parse(l) as EngineEvent);
    const listening = events.find((e) => e.type === 'server' && e.server.state === 'listening');
    expect(listening).toMatchObject({ server: { addresses: [{ address: '127.0.0.1', port }] } });
    const started = events.find((e) => e.type === 'session-started');
    expect(started).toMatchObject({ file: 'fw.bin', direction: 'download', mode: 'octet' });
    const finished = events.find((e) => e.type === 'session-finished');
    expect(finished).toMatchObject({
      id: started?.type === 'session-started' ? started.id : '',
      stats: { sha256: sha256(FILE), bytes: FILE.length },
    });
    expect(events.at(-1)).toMatchObject({ type: 'server', server: { state: 'stopped' } });
  });
});
