// The OACK as sent, for the transfer detail: the session-started event's `oack` is exactly the
// option list the client received in the OACK datagram (read from its bytes by the test's own
// codec), in its order and spelling; a request the server answers without an OACK has none.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EngineEvent, SessionStartedEvent } from '../../shared/events.js';
import { makeTempRoot, randomData, removeTempDirs, type TempDir } from '../helpers/files.js';
import { rawDownload, rawUpload, type RawTransferResult } from '../helpers/raw-transfers.js';
import { startServer, stopServers, type TestServer } from '../helpers/test-server.js';
import type { WireOption } from '../helpers/tftp-wire.js';

const DATA = randomData(5000);
let root: TempDir;
let server: TestServer;

beforeAll(async () => {
  root = makeTempRoot({ 'image.bin': DATA });
  server = await startServer({ root: root.path, uploads: 'create', maxBlksize: 1024 });
});

beforeEach(() => server.clearEvents());

afterAll(async () => {
  await stopServers();
  removeTempDirs();
});

const startedFor =
  (name: string) =>
  (e: EngineEvent): e is SessionStartedEvent =>
    e.type === 'session-started' && e.request?.name === name;

/** The options of the OACK datagram the client received, decoded from its bytes; undefined without one. */
function oackOnTheWire(result: RawTransferResult): { name: string; value: string }[] | undefined {
  const packet = result.received.find((r) => r.raw.readUInt16BE(0) === 6);
  if (packet === undefined) return undefined;
  const fields = packet.raw.toString('latin1', 2).split('\0');
  expect(fields.pop(), 'an OACK ends with a NUL').toBe('');
  const options: { name: string; value: string }[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2)
    options.push({ name: fields[i] as string, value: fields[i + 1] as string });
  return options;
}

describe('the OACK as sent on session-started', () => {
  it('a download: the granted values in request order, unknown and capped options as sent', async () => {
    // Mixed-case names, an option the server does not know, a blksize above its cap, tsize asked.
    const options: WireOption[] = [
      ['TSize', '0'],
      ['x-vendor', '7'],
      ['BLKSIZE', '1428'],
      ['windowsize', '4'],
      ['timeout', '2'],
    ];
    const result = await rawDownload({
      port: server.port,
      file: 'image.bin',
      options,
      expectedBytes: DATA.length,
    });
    expect(result.complete).toBe(true);
    expect(result.bytes).toEqual(DATA);
    const wire = oackOnTheWire(result);
    expect(wire).toBeDefined();
    const started = await server.waitFor(startedFor('image.bin'));
    expect(started.oack).toEqual(wire);
    // What the wire said, checked on its own: blksize capped, tsize the file's size.
    expect(wire?.find((o) => o.name.toLowerCase() === 'blksize')?.value).toBe('1024');
    expect(wire?.find((o) => o.name.toLowerCase() === 'tsize')?.value).toBe(String(DATA.length));
  });

  it('an upload: the OACK for a WRQ with options', async () => {
    const payload = randomData(1500);
    const result = await rawUpload({
      port: server.port,
      file: 'up.bin',
      payload,
      options: [
        ['blksize', '600'],
        ['tsize', String(payload.length)],
      ],
    });
    expect(result.complete).toBe(true);
    const wire = oackOnTheWire(result);
    expect(wire).toEqual([
      { name: 'blksize', value: '600' },
      { name: 'tsize', value: '1500' },
    ]);
    const started = await server.waitFor(startedFor('up.bin'));
    expect(started.oack).toEqual(wire);
  });

  it('no options, no OACK: the event has none', async () => {
    const result = await rawDownload({ port: server.port, file: 'image.bin', expectedBytes: DATA.length });
    expect(result.complete).toBe(true);
    expect(oackOnTheWire(result)).toBeUndefined();
    const started = await server.waitFor(startedFor('image.bin'));
    expect(started).not.toHaveProperty('oack');
  });

  it('only options the server ignores: no OACK, none on the event', async () => {
    const result = await rawDownload({
      port: server.port,
      file: 'image.bin',
      options: [['x-unknown', '1']],
      expectedBytes: DATA.length,
    });
    expect(result.complete).toBe(true);
    expect(oackOnTheWire(result)).toBeUndefined();
    const started = await server.waitFor(startedFor('image.bin'));
    expect(started).not.toHaveProperty('oack');
  });
});
