// The controller driving the real engine: a raw RRQ over loopback UDP, then the snapshot and the
// pushed batches must tell the same story as the bytes on the wire.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent } from '../../shared/events.js';
import { createAppController, type AppController } from '../../electron/app/controller.js';
import { createMemorySettingsStore, defaultSettings } from '../../electron/app/settings-store.js';
import { createTftpEngine } from '../../electron/tftp/server.js';
import { freeUdpPort } from '../helpers/ports.js';
import { request } from '../helpers/tftp-wire.js';
import { until } from '../helpers/wait.js';

/** Reads a file of under 512 bytes the plain RFC 1350 way: RRQ, DATA 1, ACK 1. */
async function fetchSmall(client: Socket, port: number, name: string): Promise<Buffer> {
  const data = new Promise<{ msg: Buffer; port: number }>((resolve) =>
    client.once('message', (msg, rinfo) => resolve({ msg, port: rinfo.port })),
  );
  client.send(request('rrq', name), port, '127.0.0.1');
  const { msg, port: tid } = await data;
  expect(msg.readUInt16BE(0)).toBe(3);
  expect(msg.readUInt16BE(2)).toBe(1);
  client.send(Buffer.from([0, 4, 0, 1]), tid, '127.0.0.1');
  return msg.subarray(4);
}

let base: string;
let controller: AppController;
let client: Socket;
let batches: EngineEvent[][];

beforeEach(async () => {
  base = mkdtempSync(join(tmpdir(), 'tftp-desk-live-'));
  mkdirSync(join(base, 'root'));
  const port = await freeUdpPort();
  controller = createAppController({
    dataDir: base,
    settings: createMemorySettingsStore({
      ...defaultSettings(join(base, 'root')),
      port,
      hosts: ['127.0.0.1'],
    }),
    createEngine: createTftpEngine,
    platform: process.platform,
  });
  batches = [];
  controller.on('events', (b) => batches.push(b));
  client = createSocket('udp4');
  await new Promise<void>((r) => client.bind(0, '127.0.0.1', r));
});

afterEach(async () => {
  client.close();
  await controller.dispose();
  rmSync(base, { recursive: true, force: true });
});

describe('controller + real engine over loopback', () => {
  it('a download shows up as a finished history entry with the right bytes and hash', async () => {
    const content = Buffer.from('hostname core-sw1\ninterface vlan1\n ip address 10.0.0.2 255.255.255.0\n');
    writeFileSync(join(base, 'root', 'core-sw1.cfg'), content);
    const state = await controller.startServer();
    expect(state).toMatchObject({ state: 'listening' });
    const port = (await controller.getSnapshot()).settings.port;
    expect(state.state === 'listening' && state.addresses.some((a) => a.port === port)).toBe(true);

    const got = await fetchSmall(client, port, 'core-sw1.cfg');
    expect(got.equals(content)).toBe(true);

    await until(async () => (await controller.getSnapshot()).history.length === 1);
    const snap = await controller.getSnapshot();
    expect(snap.sessions).toHaveLength(0);
    const entry = snap.history[0]!;
    expect(entry.started).toMatchObject({ file: 'core-sw1.cfg', direction: 'download', mode: 'octet' });
    expect(entry.end).toMatchObject({
      type: 'session-finished',
      stats: { bytes: content.length, sha256: createHash('sha256').update(content).digest('hex') },
    });
    const all = batches.flat();
    expect(all.filter((e) => e.type === 'session-started')).toHaveLength(1);
    expect(all.filter((e) => e.type === 'session-finished')).toHaveLength(1);
  });

  it('a missing file is a failed entry with what was asked; stop releases the port for a restart', async () => {
    await controller.startServer();
    const port = (await controller.getSnapshot()).settings.port;
    const reply = new Promise<Buffer>((resolve) => client.once('message', (m) => resolve(m)));
    const asked: [string, string][] = [
      ['blksize', '1468'],
      ['windowsize', '8'],
    ];
    client.send(request('rrq', 'nope.bin', 'octet', asked), port, '127.0.0.1');
    const err = await reply;
    expect(err.readUInt16BE(0)).toBe(5);
    expect(err.readUInt16BE(2)).toBe(1);
    await until(async () => (await controller.getSnapshot()).history.length === 1);
    const entry = (await controller.getSnapshot()).history[0]!;
    expect(entry.started.file).toBe('nope.bin');
    // Nothing was granted: the record shows what the client asked for, and why it was refused.
    expect(entry.started.options).toMatchObject({ blksize: 1468, windowsize: 8 });
    expect(entry.end).toMatchObject({
      type: 'session-failed',
      code: 1,
      by: 'server',
      reason: 'file not found',
    });

    expect((await controller.stopServer()).state).toBe('stopped');
    expect((await controller.startServer()).state).toBe('listening');
    writeFileSync(join(base, 'root', 'after.txt'), 'again');
    expect((await fetchSmall(client, port, 'after.txt')).toString()).toBe('again');
  });

  it('a transfer sent to a device and one fetched back sit in the same history, marked as ours', async () => {
    // our own server plays the device: the client's put lands in its served folder as an upload
    await controller.updateSettings({ uploads: 'create' });
    const image = Buffer.alloc(70_000, 9);
    image.write('firmware image', 0);
    writeFileSync(join(base, 'root', 'fw.bin'), image);
    await controller.startServer();
    const port = (await controller.getSnapshot()).settings.port;
    const device = `127.0.0.1:${port}`;
    const hash = createHash('sha256').update(image).digest('hex');

    const put = await controller.startClientTransfer({
      direction: 'put',
      device,
      localName: 'fw.bin',
      remoteName: 'pushed.bin',
    });
    expect(put.ok).toBe(true);
    await until(async () => (await controller.getSnapshot()).history.length === 2);
    const get = await controller.startClientTransfer({
      direction: 'get',
      device,
      localName: 'fetched.bin',
      remoteName: 'pushed.bin',
    });
    expect(get.ok).toBe(true);
    await until(async () => (await controller.getSnapshot()).history.length === 4);

    const snap = await controller.getSnapshot();
    expect(snap.sessions).toEqual([]);
    const entries = snap.history.map((e) => ({
      role: e.started.role ?? 'server',
      direction: e.started.direction,
      file: e.started.file,
      peer: e.started.peer,
      sha256: e.end.type === 'session-finished' ? e.end.stats.sha256 : e.end.message,
    }));
    const ours = entries.filter((e) => e.role === 'client');
    const served = entries.filter((e) => e.role === 'server');
    // sent to the device (bytes out), then fetched from it (bytes in), both to the device's address
    expect(ours).toEqual([
      { role: 'client', direction: 'download', file: 'pushed.bin', peer: device, sha256: hash },
      { role: 'client', direction: 'upload', file: 'pushed.bin', peer: device, sha256: hash },
    ]);
    // the server saw the mirror image: an upload received, then a download served
    expect(served.map((e) => [e.direction, e.file, e.sha256])).toEqual([
      ['upload', 'pushed.bin', hash],
      ['download', 'pushed.bin', hash],
    ]);
    // the pushes carried the same events the snapshot was folded from
    const pushed = batches.flat().filter((e) => e.type === 'session-started');
    expect(pushed.filter((e) => e.type === 'session-started' && e.role === 'client')).toHaveLength(2);
  });
});
