// The client (tftpGet, tftpPut) against other servers on loopback: tftpd-hpa, atftpd and busybox
// tftpd, each skipped with a reason when it is not installed. Every option, windows where the
// server grants them (tftpd-hpa 5.2 does not know windowsize: the transfer falls back to lock-step),
// netascii both ways, no options at all, and the ERROR answers each server gives.
import { chmodSync, existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tftpGet, tftpPut, TftpClientError } from '../../electron/tftp/index.js';
import {
  makeTempDir,
  makeTempRoot,
  randomData,
  removeTempDirs,
  sha256,
  type TempDir,
} from '../helpers/files.js';
import { peerCommand, startPeer, type PeerName, type PeerServer } from '../helpers/peer-servers.js';
import { settle } from '../helpers/wait.js';

const FILE = randomData(1_500_000);
const TEXT = 'first line\nsecond line\r\nbare\rcarriage\n'.repeat(400);

interface PeerCase {
  name: PeerName;
  /** whether the server grants RFC 7440 windowsize */
  windows: boolean;
  /** a request the server refuses with an access violation, and the TFTP code it answers with */
  accessViolation: { kind: 'get' | 'put'; remote: string; code: number };
}

const PEERS: PeerCase[] = [
  // tftpd-hpa 5.2 reports EACCES as ERROR 0 "Permission denied"
  { name: 'tftpd-hpa', windows: false, accessViolation: { kind: 'get', remote: 'secret.bin', code: 0 } },
  { name: 'atftpd', windows: true, accessViolation: { kind: 'put', remote: '../outside.bin', code: 2 } },
  { name: 'busybox', windows: false, accessViolation: { kind: 'put', remote: '../outside.bin', code: 2 } },
];

async function failure(p: Promise<unknown>): Promise<TftpClientError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TftpClientError);
  return err as TftpClientError;
}

afterAll(removeTempDirs);

/**
 * The server's copy of an upload, once it matches or after a bounded wait. atftpd sends the last
 * ACK before its file is final: the data is flushed at close, and in netascii a CR LF that spans
 * two writes is fixed up afterwards (a CR written, then overwritten by the LF).
 */
async function stored(root: TempDir, name: string, expected: Buffer): Promise<Buffer> {
  const read = () => (existsSync(root.file(name)) ? root.read(name) : Buffer.alloc(0));
  return settle(read, (b) => b.equals(expected));
}

for (const peer of PEERS) {
  const command = peerCommand(peer.name);
  const missing = 'missing' in command ? command.missing : undefined;
  if (missing) console.log(`client interop: ${peer.name} skipped: ${missing}`);

  describe.skipIf(missing !== undefined)(`client against ${peer.name}`, () => {
    let root: TempDir;
    let local: TempDir;
    let server: PeerServer;
    const at = () => ({ host: '127.0.0.1', port: server.port });

    beforeAll(async () => {
      root = makeTempRoot({ 'fw.bin': FILE, 'text.txt': TEXT, 'secret.bin': 'not for you' });
      for (const name of ['fw.bin', 'text.txt']) chmodSync(root.file(name), 0o644);
      chmodSync(root.file('secret.bin'), 0o600);
      local = makeTempDir();
      server = await startPeer(peer.name, root.path);
    });
    afterAll(async () => {
      await server?.stop();
    });

    it.each([
      ['the defaults (blksize 1468, tsize)', {}],
      ['blksize 8192, windowsize 8, timeout 2', { blksize: 8192, windowsize: 8, timeoutSeconds: 2 }],
      ['blksize 512, windowsize 4', { blksize: 512, windowsize: 4 }],
    ])('get with %s', async (label, extra) => {
      const out = local.file(`get-${label.length}.bin`);
      const r = await tftpGet({ ...at(), remoteName: 'fw.bin', localPath: out, ...extra });
      expect(r.sha256).toBe(sha256(FILE));
      expect(sha256(local.read(`get-${label.length}.bin`))).toBe(sha256(FILE));
      expect(r.options.acknowledged).toBe(true);
      expect(r.options.tsize).toBe(FILE.length);
      expect(r.options.blksize).toBe('blksize' in extra ? extra.blksize : 1468);
      const asked = 'windowsize' in extra ? extra.windowsize : 1;
      expect(r.options.windowsize).toBe(peer.windows ? asked : 1);
      if ('timeoutSeconds' in extra) expect(r.options.timeout).toBe(2);
    });

    it('get with no options: RFC 1350 lock-step at 512', async () => {
      const r = await tftpGet({
        ...at(),
        remoteName: 'fw.bin',
        localPath: local.file('plain.bin'),
        noOptions: true,
      });
      expect(r.sha256).toBe(sha256(FILE));
      expect(r.options).toMatchObject({ blksize: 512, windowsize: 1, acknowledged: false });
    });

    it('get in netascii: the server sends CR LF and CR NUL, the file gets LF and CR back', async () => {
      await tftpGet({ ...at(), remoteName: 'text.txt', localPath: local.file('text.txt'), mode: 'netascii' });
      expect(local.read('text.txt').toString('latin1')).toBe(TEXT);
    });

    it.each([
      ['the defaults', {}],
      ['windowsize 4, blksize 4096', { windowsize: 4, blksize: 4096 }],
      ['no options', { noOptions: true }],
    ])('put with %s', async (label, extra) => {
      const remote = `put-${label.length}.bin`;
      const src = local.write(`src-${label.length}.bin`, FILE);
      const r = await tftpPut({ ...at(), remoteName: remote, localPath: src, ...extra });
      expect(r.sha256).toBe(sha256(FILE));
      expect(r.bytes).toBe(FILE.length);
      expect(sha256(await stored(root, remote, FILE))).toBe(sha256(FILE));
    });

    it('put in netascii: the server stores the text with its own line ends restored', async () => {
      const src = local.write('src.txt', TEXT);
      await tftpPut({ ...at(), remoteName: 'put.txt', localPath: src, mode: 'netascii' });
      expect((await stored(root, 'put.txt', Buffer.from(TEXT, 'latin1'))).toString('latin1')).toBe(TEXT);
    });

    it('file not found: REFUSED with ERROR 1, nothing written locally', async () => {
      const err = await failure(
        tftpGet({ ...at(), remoteName: 'nope.bin', localPath: local.file('nope.bin') }),
      );
      expect(err.code).toBe('REFUSED');
      expect(err.server?.code).toBe(1);
      expect(local.list().filter((n) => n.includes('nope.bin'))).toEqual([]);
    });

    it('access violation: REFUSED or SERVER_ERROR with the server code', async () => {
      const { kind, remote, code } = peer.accessViolation;
      const src = local.write('av.bin', 'x');
      const p =
        kind === 'get'
          ? tftpGet({ ...at(), remoteName: remote, localPath: local.file('av-out.bin') })
          : tftpPut({ ...at(), remoteName: remote, localPath: src });
      const err = await failure(p);
      expect(['REFUSED', 'SERVER_ERROR']).toContain(err.code);
      expect(err.server?.code).toBe(code);
      expect(err.server?.message.length).toBeGreaterThan(0);
    });
  });
}
