// The machine's network interfaces as the UI shows them: which addresses a device can reach
// the server on, and which interface holds the default route (the likely "right" one).
import { readFileSync } from 'node:fs';
import { networkInterfaces, type NetworkInterfaceInfo } from 'node:os';
import type { NetAddress, NetInterface } from '../../shared/ipc-contract.js';

export type RawInterfaces = NodeJS.Dict<NetworkInterfaceInfo[]>;

/** Prefix length from the CIDR when present, else from the netmask. */
export function prefixOf(info: Pick<NetworkInterfaceInfo, 'cidr' | 'netmask' | 'family'>): number {
  const fromCidr = info.cidr?.split('/')[1];
  if (fromCidr !== undefined && /^\d{1,3}$/.test(fromCidr)) return Number(fromCidr);
  if (info.family === 'IPv4') {
    return info.netmask
      .split('.')
      .reduce((n, part) => n + (Number(part) >>> 0).toString(2).replace(/0/g, '').length, 0);
  }
  return info.netmask
    .split(':')
    .reduce((n, part) => n + (part === '' ? 0 : parseInt(part, 16).toString(2).replace(/0/g, '').length), 0);
}

/** Interface names holding an IPv4 default route, from the text of /proc/net/route. */
export function parseProcRoute(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n').slice(1)) {
    const [iface, dest, , flags, , , , mask] = line.trim().split(/\s+/);
    if (!iface || dest !== '00000000' || mask !== '00000000') continue;
    // RTF_UP = 0x1
    if ((parseInt(flags ?? '0', 16) & 0x1) === 0) continue;
    if (!out.includes(iface)) out.push(iface);
  }
  return out;
}

/** Interface names holding an IPv6 default route, from the text of /proc/net/ipv6_route. */
export function parseProcIpv6Route(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 10) continue;
    const [dest, prefix] = cols;
    const flags = parseInt(cols[8] ?? '0', 16);
    const iface = cols[9] as string;
    // RTF_UP = 0x1, RTF_REJECT = 0x200 (the kernel's "unreachable" defaults sit on lo)
    if (dest !== '0'.repeat(32) || prefix !== '00' || iface === 'lo') continue;
    if ((flags & 0x1) === 0 || (flags & 0x200) !== 0) continue;
    if (!out.includes(iface)) out.push(iface);
  }
  return out;
}

function readLinuxDefaults(): string[] {
  const read = (p: string): string => {
    try {
      return readFileSync(p, 'utf8');
    } catch {
      return '';
    }
  };
  const v4 = parseProcRoute(read('/proc/net/route'));
  const v6 = parseProcIpv6Route(read('/proc/net/ipv6_route'));
  return [...v4, ...v6.filter((n) => !v4.includes(n))];
}

const LINK_LOCAL_V4 = /^169\.254\./;

/** Without a routing table: the first external interface with a usable IPv4 address. */
export function guessDefault(raw: RawInterfaces): string | undefined {
  for (const [name, infos] of Object.entries(raw)) {
    if (infos?.some((i) => !i.internal && i.family === 'IPv4' && !LINK_LOCAL_V4.test(i.address))) return name;
  }
  return undefined;
}

/** Pure: os.networkInterfaces() output plus the names holding the default route. */
export function toNetInterfaces(raw: RawInterfaces, defaults: readonly string[]): NetInterface[] {
  const out: NetInterface[] = [];
  for (const [name, infos] of Object.entries(raw)) {
    if (!infos) continue;
    const addresses: NetAddress[] = infos.map((i) => ({
      address: i.address,
      family: i.family,
      prefix: prefixOf(i),
    }));
    out.push({
      name,
      addresses,
      internal: infos.length > 0 && infos.every((i) => i.internal),
      up: addresses.length > 0,
      isDefault: defaults.includes(name),
    });
  }
  return out;
}

export function listInterfaces(platform: NodeJS.Platform = process.platform): NetInterface[] {
  const raw = networkInterfaces();
  let defaults: string[] = platform === 'linux' ? readLinuxDefaults() : [];
  if (defaults.length === 0) {
    const guess = guessDefault(raw);
    defaults = guess ? [guess] : [];
  }
  return toNetInterfaces(raw, defaults);
}
