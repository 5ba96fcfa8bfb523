// Our client against servers that misbehave, scripted packet by packet on real loopback sockets:
// a server that refuses options with ERROR 8 (the client asks again without them), a stranger
// that sends into a transfer from another port (ERROR 5 to it, the transfer carries on), an OACK
// granting more than was asked (ERROR 8, PROTOCOL, no file), and an answer from another address
// (ignored, never answered).
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { afterAll, describe, expect, it } from 'vitest';
import { tftpGet, TftpClientError } from '../../electron/tftp/index.js';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';
import { data, parse, type WirePacket } from '../helpers/tftp-wire.js';

const local = makeTempDir();
const sockets: Socket[] = [];
afterAll(() => {
  for (const s of sockets) s.close();
  removeTempDirs();
});

interface Got {
  packet: WirePacket;
  raw: Buffer;
  from: RemoteInfo;
}

/** A UDP socket on `address` that queues what it receives; next() waits for the next datagram. */
async function endpoint(address = '127.0.0.1') {
  const socket = createSocket('udp4');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.bind(0, address, () => resolve()));
  const queue: Got[] = [];
  let waiter: (() => void) | undefined;
  socket.on('message', (raw, from) => {
    queue.push({ packet: parse(raw), raw, from });
    waiter?.();
  });
  return {
    port: socket.address().port,
    send: (buf: Buffer, to: RemoteInfo) => socket.send(buf, to.port, to.address),
    async next(timeoutMs = 5000): Promise<Got> {
      const end = Date.now() + timeoutMs;
      while (queue.length === 0) {
        if (Date.now() > end) throw new Error(`nothing received within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          waiter = resolve;
          setTimeout(resolve, 50);
        });
      }
      return queue.shift() as Got;
    },
    pending: () => queue.length,
  };
}

const errorPacket = (code: number, message: string) =>
  Buffer.concat([Buffer.from([0, 5, 0, code]), Buffer.from(message, 'latin1'), Buffer.from([0])]);
const oackPacket = (pairs: [string, string][]) =>
  Buffer.concat([Buffer.from([0, 6]), ...pairs.flatMap(([n, v]) => [Buffer.from(`${n}\0${v}\0`, 'latin1')])]);

async function failure(p: Promise<unknown>): Promise<TftpClientError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(TftpClientError);
  return err as TftpClientError;
}

describe('servers that misbehave', () => {
  it('ERROR 8 to the options: the client asks once more without them and the transfer runs', async () => {
    const server = await endpoint();
    const transfer = await endpoint();
    const got = tftpGet({
      host: '127.0.0.1',
      port: server.port,
      remoteName: 'f',
      localPath: local.file('e8.bin'),
    });
    const first = await server.next();
    expect(first.raw.includes(Buffer.from('blksize\0'))).toBe(true);
    server.send(errorPacket(8, 'no options, please'), first.from);
    const second = await server.next();
    expect(second.packet).toMatchObject({ op: 'other' }); // an RRQ: the test codec parses replies only
    expect(second.raw.includes(Buffer.from('blksize'))).toBe(false);
    expect(second.raw.includes(Buffer.from('tsize'))).toBe(false);
    transfer.send(data(1, Buffer.from('hello')), second.from);
    expect((await transfer.next()).packet).toEqual({ op: 'ack', block: 1 });
    const r = await got;
    expect(r.options).toMatchObject({ blksize: 512, acknowledged: false });
    expect(local.read('e8.bin').toString()).toBe('hello');
  });

  it('a stranger sending into the transfer from another port gets ERROR 5; the transfer carries on', async () => {
    const server = await endpoint();
    const transfer = await endpoint();
    const stranger = await endpoint();
    const got = tftpGet({
      host: '127.0.0.1',
      port: server.port,
      remoteName: 'f',
      localPath: local.file('tid.bin'),
      noOptions: true,
    });
    const rrq = await server.next();
    const block1 = Buffer.alloc(512, 1);
    transfer.send(data(1, block1), rrq.from);
    expect((await transfer.next()).packet).toEqual({ op: 'ack', block: 1 });
    stranger.send(data(2, Buffer.from('evil')), rrq.from);
    expect((await stranger.next()).packet).toEqual({ op: 'error', code: 5, message: 'Unknown transfer ID' });
    transfer.send(data(2, Buffer.from('end')), rrq.from);
    expect((await transfer.next()).packet).toEqual({ op: 'ack', block: 2 });
    await got;
    expect(local.read('tid.bin')).toEqual(Buffer.concat([block1, Buffer.from('end')]));
  });

  it('an OACK granting a larger blksize than asked: ERROR 8 to the server, PROTOCOL, no file', async () => {
    const server = await endpoint();
    const transfer = await endpoint();
    const got = failure(
      tftpGet({
        host: '127.0.0.1',
        port: server.port,
        remoteName: 'f',
        localPath: local.file('big-oack.bin'),
        blksize: 1024,
      }),
    );
    const rrq = await server.next();
    transfer.send(oackPacket([['blksize', '8192']]), rrq.from);
    const reply = await transfer.next();
    expect(reply.packet).toMatchObject({ op: 'error', code: 8 });
    const err = await got;
    expect(err.code).toBe('PROTOCOL');
    expect(err.message).toMatch(/blksize 8192/);
    expect(local.list().filter((n) => n.includes('big-oack'))).toEqual([]);
  });

  it('an answer from another address is ignored and never answered: NO_ANSWER', async () => {
    const server = await endpoint('127.0.0.1');
    const impostor = await endpoint('127.0.0.2');
    const got = failure(
      tftpGet({
        host: '127.0.0.1',
        port: server.port,
        remoteName: 'f',
        localPath: local.file('impostor.bin'),
        noOptions: true,
        timeoutSeconds: 1,
        retries: 1,
      }),
    );
    const rrq = await server.next();
    impostor.send(data(1, Buffer.from('not from the server')), rrq.from);
    const err = await got;
    expect(err.code).toBe('NO_ANSWER');
    expect(impostor.pending()).toBe(0);
    expect(local.list().filter((n) => n.includes('impostor'))).toEqual([]);
  });
});
