// The plainest test of "who holds the port": try to bind it ourselves, the way the server does
// (no address reuse), and close at once. Real socket; never throws.
import { createSocket } from 'node:dgram';

export type BindOutcome = 'free' | 'in-use' | 'no-permission' | 'no-address' | 'other';

export function tryBind(port: number, address = '0.0.0.0'): Promise<{ outcome: BindOutcome; code?: string }> {
  return new Promise((resolve) => {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    const done = (outcome: BindOutcome, code?: string) => {
      socket.removeAllListeners();
      try {
        socket.close();
      } catch {
        // never bound: nothing to close
      }
      resolve(code === undefined ? { outcome } : { outcome, code });
    };
    socket.once('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'unknown';
      if (code === 'EADDRINUSE') done('in-use', code);
      else if (code === 'EACCES' || code === 'EPERM') done('no-permission', code);
      else if (code === 'EADDRNOTAVAIL') done('no-address', code);
      else done('other', code);
    });
    socket.bind({ port, address, exclusive: true }, () => done('free'));
  });
}
