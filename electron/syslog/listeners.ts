// The receiving sockets. RFC 5426 section 3.3: syslog over UDP, port 514 by default; nothing is
// ever sent back. Unlike the TFTP server, which must answer from the address a request came to
// and so listens on each local address, a receiver only listens: "all addresses" is one wildcard
// socket per family (0.0.0.0 and ::, the IPv6 one IPv6-only so both can share the port), which also
// hears interfaces that appear later without polling for them.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { ListenAddress } from '../../shared/events.js';
import { bindErrorState, isNoIpv6, type SyslogErrorState } from './bind-errors.js';

/** Bigger than the usual default so a burst (a device booting) waits in the kernel, not dropped there. */
const RECEIVE_BUFFER_BYTES = 1024 * 1024;

export type DatagramHandler = (msg: Buffer, rinfo: RemoteInfo) => void;

export interface OpenListeners {
  sockets: Socket[];
  addresses: ListenAddress[];
}

const familyOf = (address: string): 'IPv4' | 'IPv6' => (address.includes(':') ? 'IPv6' : 'IPv4');

function bindOne(
  address: string,
  port: number,
  onMessage: DatagramHandler,
): Promise<{ socket: Socket } | { error: NodeJS.ErrnoException }> {
  const family = familyOf(address);
  return new Promise((resolve) => {
    let socket: Socket;
    try {
      socket = createSocket({ type: family === 'IPv6' ? 'udp6' : 'udp4', ipv6Only: family === 'IPv6' });
    } catch (err) {
      resolve({ error: err as NodeJS.ErrnoException });
      return;
    }
    const onBindError = (error: NodeJS.ErrnoException) => {
      try {
        socket.close();
      } catch {
        // never bound
      }
      resolve({ error });
    };
    socket.once('error', onBindError);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', onBindError);
      // A receive-only UDP socket has no peer to fail; an error here must not end the process.
      socket.on('error', () => undefined);
      socket.on('message', onMessage);
      try {
        socket.setRecvBufferSize(RECEIVE_BUFFER_BYTES);
      } catch {
        // the system caps it; its default still works
      }
      resolve({ socket });
    });
  });
}

export function closeSockets(sockets: readonly Socket[]): Promise<void> {
  return Promise.all(
    sockets.map(
      (s) =>
        new Promise<void>((resolve) => {
          try {
            s.close(() => resolve());
          } catch {
            resolve(); // already closed
          }
        }),
    ),
  ).then(() => undefined);
}

/**
 * Opens the sockets for `host` ('' = every address, IPv4 and IPv6) on `port` (0 = any free port,
 * the same one for both families). Every socket or none: a port half-opened (IPv6 only, because
 * rsyslog holds it on IPv4) would look like it works while devices go unheard. Only a machine
 * without IPv6 is let off with IPv4 alone.
 */
export async function openListeners(
  host: string,
  port: number,
  onMessage: DatagramHandler,
): Promise<OpenListeners | SyslogErrorState> {
  const wildcard = host === '';
  const targets = wildcard ? ['0.0.0.0', '::'] : [host];
  const opened: OpenListeners = { sockets: [], addresses: [] };
  let bindPort = port;
  for (const address of targets) {
    const r = await bindOne(address, bindPort, onMessage);
    if ('error' in r) {
      if (wildcard && address === '::' && opened.sockets.length > 0 && isNoIpv6(r.error)) continue;
      await closeSockets(opened.sockets);
      return bindErrorState(r.error, address, bindPort);
    }
    bindPort = r.socket.address().port;
    opened.sockets.push(r.socket);
    opened.addresses.push({ address, port: bindPort, family: familyOf(address) });
  }
  return opened;
}
