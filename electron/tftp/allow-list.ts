// RFC 1123 4.2.3.4: configurable access control SHOULD exist. An allow-list of addresses and
// CIDR ranges, IPv4 and IPv6; IPv4-mapped IPv6 peers (::ffff:10.0.0.5) match IPv4 ranges.
import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

export class AllowList {
  private readonly ranges: Range[];

  /** Throws on an entry that is neither an address nor a CIDR range (settings are validated first). */
  constructor(entries: readonly string[]) {
    this.ranges = entries.map((e) => {
      if (e.includes('/')) return ipaddr.parseCIDR(e);
      const addr = ipaddr.parse(e);
      return [addr, addr.kind() === 'ipv4' ? 32 : 128];
    });
  }

  get allowsEveryone(): boolean {
    return this.ranges.length === 0;
  }

  allows(address: string): boolean {
    if (this.ranges.length === 0) return true;
    let addr: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      addr = ipaddr.process(address.split('%')[0] as string);
    } catch {
      return false;
    }
    return this.ranges.some(([range, bits]) => range.kind() === addr.kind() && addr.match(range, bits));
  }
}
