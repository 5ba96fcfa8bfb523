// The "Send to device" host driving the real client engine against the real server engine on
// loopback: a put from the served folder, a get into it, a device that never answers, and names
// that would leave the served folder.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientTransferRequest, ClientTransferState } from '../../shared/client-contract.js';
import type { SessionEvent } from '../../shared/events.js';
import { createClientHost, describeClientError, type ClientHost } from '../../electron/app/client-host.js';
import { TftpClientError } from '../../electron/tftp/index.js';
import { freeUdpPort } from '../helpers/ports.js';
import { startServer, stopServers } from '../helpers/test-server.js';
import { until } from '../helpers/wait.js';

let base: string;
let served: string;
let device: string;
let host: ClientHost;
let pushes: ClientTransferState[];
let saved: string[];
let sessions: SessionEvent[];

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const last = () => pushes[pushes.length - 1];

async function ended(timeoutMs = 5000): Promise<ClientTransferState> {
  await until(() => {
    const s = last();
    return s !== undefined && (s.state === 'done' || s.state === 'failed');
  }, timeoutMs);
  return last()!;
}

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'tftp-desk-client-host-'));
  served = join(base, 'served');
  device = join(base, 'device');
  mkdirSync(served);
  mkdirSync(device);
  pushes = [];
  sessions = [];
  saved = ['192.0.2.9', '192.0.2.1'];
  host = createClientHost({
    root: () => served,
    emit: (s) => pushes.push(s),
    session: (e) => sessions.push(e),
    now: () => Date.now(),
    recentDevices: { get: () => saved, set: (list) => (saved = list) },
  });
});

afterEach(async () => {
  await host.dispose();
  await stopServers();
  rmSync(base, { recursive: true, force: true });
});

describe('client host', () => {
  it('puts a file from the served folder to a device and reports its SHA-256', async () => {
    const image = Buffer.alloc(300_000, 7);
    image.write('firmware', 0);
    writeFileSync(join(served, 'fw.bin'), image);
    const server = await startServer({ root: device, uploads: 'create' });
    const started = await host.calls.startClientTransfer({
      direction: 'put',
      device: `127.0.0.1:${server.port}`,
      localName: 'fw.bin',
      remoteName: 'flash.bin',
      blksize: 1428,
    });
    expect(started).toMatchObject({ ok: true, value: { state: 'running' } });
    const end = await ended();
    expect(end.state).toBe('done');
    if (end.state !== 'done') return;
    expect(end.result.bytes).toBe(image.length);
    expect(end.result.sha256).toBe(sha256(image));
    expect(end.result.options.blksize).toBe(1428);
    expect(readFileSync(join(device, 'flash.bin')).equals(image)).toBe(true);
    const recent = [`127.0.0.1:${server.port}`, '192.0.2.9', '192.0.2.1'];
    expect(saved).toEqual(recent);
    expect((await host.calls.getClientState()).recentDevices).toEqual(recent);

    // the same transfer as session events: a client transfer, bytes going out, its hash at the end
    const first = sessions[0];
    expect(first).toMatchObject({
      type: 'session-started',
      role: 'client',
      direction: 'download',
      peer: `127.0.0.1:${server.port}`,
      file: 'flash.bin',
      localPath: join(served, 'fw.bin'),
      size: image.length,
    });
    const id = first?.id;
    expect(sessions.every((e) => e.id === id)).toBe(true);
    expect(sessions.at(-1)).toMatchObject({
      type: 'session-finished',
      stats: { bytes: image.length, sha256: sha256(image) },
    });
  });

  it('gets a file into the served folder under the chosen name', async () => {
    const config = Buffer.from('hostname router\n'.repeat(200));
    writeFileSync(join(device, 'running.cfg'), config);
    const server = await startServer({ root: device });
    mkdirSync(join(served, 'backups'));
    await host.calls.startClientTransfer({
      direction: 'get',
      device: `127.0.0.1:${server.port}`,
      localName: 'backups/router.cfg',
      remoteName: 'running.cfg',
    });
    const end = await ended();
    expect(end.state).toBe('done');
    if (end.state !== 'done') return;
    expect(end.result.sha256).toBe(sha256(config));
    expect(readFileSync(join(served, 'backups', 'router.cfg')).equals(config)).toBe(true);
    expect(readdirSync(join(served, 'backups'))).toEqual(['router.cfg']);
    expect(sessions[0]).toMatchObject({ type: 'session-started', role: 'client', direction: 'upload' });
    expect(sessions.at(-1)).toMatchObject({ type: 'session-finished', stats: { sha256: sha256(config) } });
  });

  it('says plainly that the device did not answer, and keeps no partial file', async () => {
    const port = await freeUdpPort();
    await host.calls.startClientTransfer({
      direction: 'get',
      device: `127.0.0.1:${port}`,
      localName: 'nothing.bin',
      remoteName: 'fw.bin',
      timeoutSeconds: 1,
    });
    // 1 s of silence, resent 5 times: about 6 s
    const end = await ended(15_000);
    expect(end).toMatchObject({ state: 'failed', code: 'NO_ANSWER' });
    if (end.state === 'failed') expect(end.message).toMatch(/did not answer/);
    expect(readdirSync(served)).toEqual([]);
    expect(sessions.at(-1)).toMatchObject({ type: 'session-failed', by: 'timeout', code: 0 });
  }, 20_000);

  it("words a refusal with the device's own error", async () => {
    const server = await startServer({ root: device });
    await host.calls.startClientTransfer({
      direction: 'get',
      device: `127.0.0.1:${server.port}`,
      localName: 'absent.bin',
      remoteName: 'absent.bin',
    });
    const end = await ended();
    expect(end).toMatchObject({ state: 'failed', code: 'REFUSED' });
    if (end.state === 'failed')
      expect(end.message).toMatch(/^The device refused the request\. The device said ERROR 1 \(/);
    expect(readdirSync(served)).toEqual([]);
    // the history names the device's own error code and who ended it
    expect(sessions.at(-1)).toMatchObject({ type: 'session-failed', by: 'server', code: 1 });
  });

  it("escapes the device's text so it cannot fake lines or styles", () => {
    const text = describeClientError(
      new TftpClientError('SERVER_ERROR', 'the server stopped the transfer', {
        code: 0,
        message: 'flash full\n\u001b[31mOK: upgrade done',
      }),
    );
    expect(text).toBe(
      'The device stopped the transfer. The device said ERROR 0 (Not defined): "flash full\\n\\x1b[31mOK: upgrade done".',
    );
  });

  it('cancels a transfer waiting for a device', async () => {
    const port = await freeUdpPort();
    await host.calls.startClientTransfer({
      direction: 'get',
      device: `127.0.0.1:${port}`,
      localName: 'late.bin',
      remoteName: 'fw.bin',
      waitSeconds: 600,
    });
    const again = await host.calls.startClientTransfer({
      direction: 'get',
      device: `127.0.0.1:${port}`,
      localName: 'late.bin',
      remoteName: 'fw.bin',
    });
    expect(again).toMatchObject({ ok: false, message: expect.stringMatching(/already running/) });
    const state = await host.calls.cancelClientTransfer();
    expect(state).toMatchObject({ state: 'failed', code: 'ABORTED' });
    expect(sessions.at(-1)).toMatchObject({ type: 'session-failed', by: 'client' });
    expect(readdirSync(served)).toEqual([]);
  });

  it('refuses local names outside the served folder before anything is sent', async () => {
    writeFileSync(join(base, 'secret.txt'), 'secret');
    for (const [direction, localName] of [
      ['put', '../secret.txt'],
      ['put', join(base, 'secret.txt')],
      ['get', '../escaped.bin'],
      ['get', 'missing-folder/x.bin'],
      ['get', ''],
    ] as const) {
      const r = await host.calls.startClientTransfer({
        direction,
        device: '127.0.0.1:1',
        localName,
        remoteName: 'x',
      });
      expect(r.ok, `${direction} ${localName}`).toBe(false);
    }
    expect(pushes).toEqual([]);
    expect(sessions).toEqual([]);
    expect(readdirSync(base).sort()).toEqual(['device', 'secret.txt', 'served']);
  });

  describe('a file outside the served folder, by its full path', () => {
    it('the browser UI puts a typed path and gets into another folder', async () => {
      const elsewhere = join(base, 'elsewhere');
      mkdirSync(elsewhere);
      const image = Buffer.alloc(5000, 3);
      writeFileSync(join(elsewhere, 'fw.bin'), image);
      const server = await startServer({ root: device, uploads: 'create' });
      const put = await host.calls.startClientTransfer({
        direction: 'put',
        device: `127.0.0.1:${server.port}`,
        localName: '',
        localPath: join(elsewhere, 'fw.bin'),
        remoteName: 'fw.bin',
      });
      expect(put.ok).toBe(true);
      expect((await ended()).state).toBe('done');
      expect(readFileSync(join(device, 'fw.bin')).equals(image)).toBe(true);
      expect(sessions[0]).toMatchObject({ localPath: join(elsewhere, 'fw.bin') });

      pushes = [];
      const get = await host.calls.startClientTransfer({
        direction: 'get',
        device: `127.0.0.1:${server.port}`,
        localName: '',
        localPath: join(elsewhere, 'back.bin'),
        remoteName: 'fw.bin',
      });
      expect(get.ok).toBe(true);
      expect((await ended()).state).toBe('done');
      expect(readFileSync(join(elsewhere, 'back.bin')).equals(image)).toBe(true);
      expect(readdirSync(served)).toEqual([]);
    });

    it('says what is wrong with a path before anything is sent', async () => {
      mkdirSync(join(base, 'folder'));
      writeFileSync(join(base, 'file.bin'), 'x');
      symlinkSync(join(base, 'file.bin'), join(base, 'link.bin'));
      const cases: [ClientTransferRequest['direction'], string, RegExp][] = [
        ['put', 'relative/fw.bin', /full path/],
        ['put', join(base, 'missing.bin'), /was not found/],
        ['put', join(base, 'folder'), /is a folder; choose a file/],
        ['put', '/dev/null', /not a regular file/],
        ['get', join(base, 'no-such-folder', 'x.bin'), /folder .* was not found/],
        ['get', join(base, 'folder'), /is a folder; choose another name/],
        ['get', join(base, 'link.bin'), /is a link/],
        ['get', join(base, 'file.bin', 'x.bin'), /not a folder|was not found/],
        ['get', `${base}/`, /Name a file/],
      ];
      for (const [direction, localPath, message] of cases) {
        const r = await host.calls.startClientTransfer({
          direction,
          device: '127.0.0.1:1',
          localName: '',
          localPath,
          remoteName: 'x',
        });
        expect(r, `${direction} ${localPath}`).toEqual({
          ok: false,
          message: expect.stringMatching(message),
        });
      }
      expect(pushes).toEqual([]);
      expect(sessions).toEqual([]);
    });

    it('the desktop takes a full path only from its own file dialog', async () => {
      writeFileSync(join(base, 'fw.bin'), 'firmware');
      const choices: unknown[] = [];
      const desktop = createClientHost({
        root: () => served,
        emit: (s) => pushes.push(s),
        session: (e) => sessions.push(e),
        now: () => Date.now(),
        recentDevices: { get: () => [], set: () => undefined },
        chooseFile: async (choice) => (choices.push(choice), join(base, 'fw.bin')),
      });
      try {
        const request = {
          direction: 'put' as const,
          device: `127.0.0.1:${await freeUdpPort()}`,
          localName: '',
          localPath: join(base, 'fw.bin'),
          remoteName: 'fw.bin',
          waitSeconds: 60,
        };
        expect(await desktop.calls.startClientTransfer(request)).toEqual({
          ok: false,
          message: expect.stringMatching(/file dialog only/),
        });
        expect(await desktop.calls.chooseClientFile({ direction: 'put' })).toBe(join(base, 'fw.bin'));
        expect(choices).toEqual([{ direction: 'put' }]);
        expect(await desktop.calls.startClientTransfer(request)).toMatchObject({ ok: true });
        expect(await desktop.calls.cancelClientTransfer()).toMatchObject({
          state: 'failed',
          code: 'ABORTED',
        });
      } finally {
        await desktop.dispose();
      }
      // the browser UI has no dialog to open
      expect(await host.calls.chooseClientFile({ direction: 'put' })).toBeNull();
    });
  });
});
