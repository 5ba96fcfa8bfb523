// Free UDP ports on loopback. The OS picks the port (bind to 0) and the socket is closed again, so
// another process could take it before the server binds: startServer() retries on EADDRINUSE.
import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';

export type LoopbackHost = '127.0.0.1' | '::1';

function udpType(host: string): 'udp4' | 'udp6' {
  return isIPv6(host) ? 'udp6' : 'udp4';
}

/** A UDP port that was free on `host` a moment ago. */
export async function freeUdpPort(host: string = '127.0.0.1'): Promise<number> {
  const socket = createSocket({ type: udpType(host), ipv6Only: isIPv6(host) });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, () => resolve());
    });
    return socket.address().port;
  } finally {
    await new Promise<void>((resolve) => {
      try {
        socket.close(() => resolve());
      } catch {
        resolve(); // never bound
      }
    });
  }
}

/** Whether a UDP socket can be bound on `host` (false on machines without ::1). */
export async function canBindUdp(host: string): Promise<boolean> {
  try {
    await freeUdpPort(host);
    return true;
  } catch {
    return false;
  }
}

/** `host:port` for IPv4, `[host]:port` for IPv6, as the engine and the CLI print them. */
export function hostPort(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}
