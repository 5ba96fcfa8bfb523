// IPv6: every client downloads and uploads over ::1. Skipped, with the reason in the output, on a
// machine where ::1 cannot be bound (IPv6 disabled in the kernel or the container).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import {
  makeTempDir,
  makeTempRoot,
  randomData,
  removeTempDirs,
  sha256,
  type TempDir,
} from '../helpers/files.js';
import { canBindUdp } from '../helpers/ports.js';
import { rawDownload } from '../helpers/raw-transfers.js';
import { ALL_CLIENTS } from '../helpers/tftp-clients.js';
import { startServer, stopServers, type TestServer } from '../helpers/test-server.js';

const ipv6 = await canBindUdp('::1');
if (!ipv6) console.warn('IPv6 tests skipped: a UDP socket cannot be bound on ::1 on this machine');

const FILE = randomData(70_000);

describe.skipIf(!ipv6)('over ::1', () => {
  let root: TempDir;
  let scratch: TempDir;
  let server: TestServer;

  beforeAll(async () => {
    root = makeTempRoot({ 'six.bin': FILE });
    scratch = makeTempDir();
    server = await startServer({ root: root.path, host: '::1', uploads: 'create' });
  });

  afterAll(async () => {
    await stopServers();
    removeTempDirs();
  });

  it('listens on ::1 only', () => {
    expect(server.engine.state).toMatchObject({
      state: 'listening',
      addresses: [{ address: '::1', family: 'IPv6' }],
    });
  });

  it('serves the raw client, answering from ::1', async () => {
    const r = await rawDownload({ host: '::1', port: server.port, file: 'six.bin' });
    expect(r.complete).toBe(true);
    expect(r.received[0]?.from.address).toBe('::1');
    expect(sha256(r.bytes)).toBe(sha256(FILE));
  });

  describe.each(ALL_CLIENTS.map((c) => [c.name, c] as const))('%s', (_name, client) => {
    it('downloads byte-identical', async () => {
      const local = scratch.file(`${client.name}-six.bin`);
      const r = await client.get({ host: '::1', port: server.port, remote: 'six.bin', local });
      expect(r.ok, r.summary).toBe(true);
      expect(sha256(readFileSync(local))).toBe(sha256(FILE));
      const { started, end } = await server.outcome('six.bin');
      expect(started.peer).toMatch(/^\[::1\]:\d+$/);
      expect(end.type === 'session-finished' && end.stats.sha256).toBe(sha256(FILE));
    });

    it('uploads byte-identical', async () => {
      const remote = `${client.name}-up.bin`;
      const bytes = randomData(30_000);
      const local = scratch.write(remote, bytes);
      const r = await client.put({ host: '::1', port: server.port, remote, local });
      expect(r.ok, r.summary).toBe(true);
      const { end } = await server.outcome(remote);
      expect(end.type === 'session-finished' && end.stats.sha256).toBe(sha256(bytes));
      expect(sha256(root.read(remote))).toBe(sha256(bytes));
    });
  });
});
