// The machine's own unicast addresses, for "all interfaces": node:dgram cannot tell which local
// address a datagram was sent to, so the engine listens on each address separately and answers
// from the one the request arrived on (and never hears broadcasts: RFC 1123 4.2.3.5).
import { networkInterfaces } from 'node:os';

export interface LocalAddress {
  address: string;
  family: 'IPv4' | 'IPv6';
  interface: string;
}

export function localAddresses(): LocalAddress[] {
  const result: LocalAddress[] = [];
  for (const [name, list] of Object.entries(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv6' && a.scopeid) {
        result.push({ address: `${a.address}%${name}`, family: 'IPv6', interface: name });
      } else {
        result.push({ address: a.address, family: a.family, interface: name });
      }
    }
  }
  return result;
}

export const familyOf = (address: string): 'IPv4' | 'IPv6' => (address.includes(':') ? 'IPv6' : 'IPv4');
