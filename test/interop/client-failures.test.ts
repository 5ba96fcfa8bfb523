// The client when things go wrong or grow large, against real servers: a device whose TFTP server
// appears only after a few seconds (`tftp-desk put --wait`), a server killed mid-transfer (no
// partial file, the old file kept), and a file past 65535 blocks (block numbers roll over).
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tftpGet, TftpClientError } from '../../electron/tftp/index.js';
import { ensureEngineBuilt, REPO_ROOT } from '../helpers/cli-process.js';
import {
  makeTempDir,
  makeTempRoot,
  randomData,
  removeTempDirs,
  sha256,
  type TempDir,
} from '../helpers/files.js';
import { peerCommand, startPeer, type PeerName, type PeerServer } from '../helpers/peer-servers.js';
import { freeUdpPort } from '../helpers/ports.js';
import { runProcess } from '../helpers/run-process.js';
import { startServer, stopServers } from '../helpers/test-server.js';
import { settle, sleep } from '../helpers/wait.js';

/** The first installed server that forks or threads per transfer and can be killed as a process. */
const PEER: PeerName | undefined = (['tftpd-hpa', 'atftpd'] as const).find(
  (n) => !('missing' in peerCommand(n)),
);
if (!PEER) console.log('client failures: tftpd-hpa and atftpd both missing; the process tests are skipped');

let local: TempDir;
const peers: PeerServer[] = [];

beforeAll(async () => {
  await ensureEngineBuilt();
  local = makeTempDir();
}, 120_000);
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await stopServers();
  removeTempDirs();
});

describe.skipIf(!PEER)(`client against ${PEER ?? 'a peer'} as a process`, () => {
  it('put --wait: keeps asking until the server appears, then sends at once', async () => {
    const root = makeTempRoot();
    const firmware = randomData(300_000);
    const src = local.write('firmware.bin', firmware);
    const port = await freeUdpPort();
    const run = runProcess(
      process.execPath,
      [`${REPO_ROOT}bin/tftp-desk.js`, 'put', `127.0.0.1:${port}`, src, '--wait', '30'],
      { timeoutMs: 60_000 },
    );
    await sleep(3000); // the device is still booting
    peers.push(await startPeer(PEER as PeerName, root.path, port));
    const r = await run;
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/waiting up to 30 s/);
    expect(r.stdout).toMatch(
      new RegExp(`^put .*firmware\\.bin: 300\\.0 kB .* sha256 ${sha256(firmware)}\\n$`),
    );
    // A peer may send its last ACK a moment before its copy is flushed.
    const stored = await settle(
      () => (existsSync(root.file('firmware.bin')) ? root.read('firmware.bin') : Buffer.alloc(0)),
      (b) => b.equals(firmware),
    );
    expect(sha256(stored)).toBe(sha256(firmware));
  });

  it('--wait gives up with exit 3 when the server never appears', async () => {
    const port = await freeUdpPort();
    const r = await runProcess(
      process.execPath,
      [`${REPO_ROOT}bin/tftp-desk.js`, 'get', `127.0.0.1:${port}`, 'x.bin', '--wait', '2'],
      { timeoutMs: 30_000, cwd: local.path },
    );
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no answer from the server in 2 s/);
  });

  it('a server killed mid-transfer: TIMEOUT, no partial file, the existing file untouched', async () => {
    const root = makeTempRoot({ 'big.bin': randomData(8_000_000) });
    const server = await startPeer(PEER as PeerName, root.path);
    peers.push(server);
    local.write('kept.bin', 'the previous version');
    let killedAt = 0;
    const err = await tftpGet({
      host: '127.0.0.1',
      port: server.port,
      remoteName: 'big.bin',
      localPath: local.file('kept.bin'),
      blksize: 512,
      timeoutSeconds: 1,
      retries: 1,
      onProgress: (p) => {
        if (killedAt === 0 && p.bytes > 300_000) {
          killedAt = p.bytes;
          server.kill();
        }
      },
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(killedAt).toBeGreaterThan(0);
    expect(err).toBeInstanceOf(TftpClientError);
    expect((err as TftpClientError).code).toBe('TIMEOUT');
    expect(local.read('kept.bin').toString()).toBe('the previous version');
    expect(local.list().filter((n) => n.includes('kept.bin'))).toEqual(['kept.bin']);
  });
});

describe('block number rollover', () => {
  it('gets a file of more than 65535 blocks at blksize 512', async () => {
    // 65536 full blocks and a short one: the wire numbers pass 65535 -> 0 -> 1.
    const big = randomData(65_536 * 512 + 1000);
    const root = makeTempRoot({ 'rollover.bin': big });
    let port: number;
    if (PEER === 'tftpd-hpa') {
      const peer = await startPeer('tftpd-hpa', root.path);
      peers.push(peer);
      port = peer.port;
    } else port = (await startServer({ root: root.path })).port;
    const r = await tftpGet({
      host: '127.0.0.1',
      port,
      remoteName: 'rollover.bin',
      localPath: local.file('rollover.bin'),
      blksize: 512,
    });
    expect(r.options.blksize).toBe(512);
    expect(r.bytes).toBe(big.length);
    expect(r.sha256).toBe(sha256(big));
    expect(sha256(local.read('rollover.bin'))).toBe(sha256(big));
  });
});
