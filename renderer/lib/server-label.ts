// What the server bar says about the server, in words a network engineer expects.
import type { ListenAddress, ServerState } from '../../shared/events';

export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

function isLoopback(a: ListenAddress): boolean {
  return a.address === '::1' || a.address.startsWith('127.');
}

/** External IPv4 first, loopback last: the address a device would use heads the list. */
export function sortListenAddresses(addresses: readonly ListenAddress[]): ListenAddress[] {
  const score = (a: ListenAddress) => (isLoopback(a) ? 2 : 0) + (a.family === 'IPv6' ? 1 : 0);
  return [...addresses].sort((a, b) => score(a) - score(b));
}

export interface ServerLabel {
  tone: 'idle' | 'busy' | 'ok' | 'error';
  text: string;
  /** every address, when the text names only the first */
  detail?: string;
  hint?: string;
}

export function serverLabel(server: ServerState): ServerLabel {
  switch (server.state) {
    case 'stopped':
      return { tone: 'idle', text: 'Stopped' };
    case 'starting':
      return { tone: 'busy', text: 'Starting…' };
    case 'stopping':
      return { tone: 'busy', text: 'Stopping…' };
    case 'error':
      return { tone: 'error', text: `Error: ${server.message}`, hint: server.hint };
    case 'listening': {
      const sorted = sortListenAddresses(server.addresses);
      const first = sorted[0];
      if (first === undefined) return { tone: 'ok', text: 'Listening' };
      const all = sorted.map((a) => hostPort(a.address, a.port)).join(', ');
      const more = sorted.length > 1 ? ` (+${sorted.length - 1} more)` : '';
      return { tone: 'ok', text: `Listening on ${hostPort(first.address, first.port)}${more}`, detail: all };
    }
  }
}
