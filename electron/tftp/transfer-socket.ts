// One UDP socket per transfer (its TID), bound to the local address the request arrived on so the
// reply comes from the address the client talked to, optionally from a fixed port range (firewalls).
import { createSocket, type Socket } from 'node:dgram';
import type { LocalAddress } from './local-addresses.js';

/** Larger kernel buffers let a whole window through without drops (RFC 7440 bursts). */
const WINDOWED_BUFFER_BYTES = 4 * 1024 * 1024;
const MAX_RANGE_ATTEMPTS = 64;

let rangeCursor = 0;

/**
 * node:dgram resolves the destination of every send through dns.lookup, which for an IP literal
 * still defers the send to the next tick. Peers are always IP literals: answer at once.
 */
function literalLookup(
  address: string,
  family: number,
  cb: (err: Error | null, address: string, family: number) => void,
): void {
  cb(null, address, family);
}

function bindOnce(local: LocalAddress, port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = createSocket({
      type: local.family === 'IPv6' ? 'udp6' : 'udp4',
      ipv6Only: local.family === 'IPv6',
      lookup: literalLookup as never,
    });
    const onError = (err: Error) => {
      try {
        socket.close();
      } catch {
        // never bound
      }
      reject(err);
    };
    socket.once('error', onError);
    socket.bind({ address: local.address, port, exclusive: true }, () => {
      socket.off('error', onError);
      resolve(socket);
    });
  });
}

export async function openTransferSocket(
  local: LocalAddress,
  range: { from: number; to: number } | null | undefined,
  windowed: boolean,
): Promise<Socket> {
  let socket: Socket | undefined;
  if (!range) socket = await bindOnce(local, 0);
  else {
    const size = range.to - range.from + 1;
    let lastError: unknown;
    for (let i = 0; i < Math.min(size, MAX_RANGE_ATTEMPTS) && !socket; i++) {
      const port = range.from + (((rangeCursor++ % size) + size) % size);
      try {
        socket = await bindOnce(local, port);
      } catch (err) {
        lastError = err;
      }
    }
    if (!socket) throw lastError ?? new Error('no free port in range');
  }
  if (windowed) {
    try {
      socket.setRecvBufferSize(WINDOWED_BUFFER_BYTES);
      socket.setSendBufferSize(WINDOWED_BUFFER_BYTES);
    } catch {
      // the OS caps buffer sizes; the defaults still work
    }
  }
  return socket;
}
