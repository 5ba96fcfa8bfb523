// IPv4 arithmetic on 32-bit unsigned numbers, for the DHCP settings check and the lease pool.
// Pure, no node:*: the settings form validates with it too.

/** `10.0.0.1` -> 167772161; undefined for anything but four decimal octets 0-255 without leading zeros. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = n * 256 + v;
  }
  return n;
}

export function formatIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

/** Mask of a prefix length as an unsigned number: 24 -> 0xffffff00. */
export function prefixMask(prefixLength: number): number {
  if (prefixLength <= 0) return 0;
  if (prefixLength >= 32) return 0xffffffff;
  return (0xffffffff << (32 - prefixLength)) >>> 0;
}

export function networkOf(address: number, prefixLength: number): number {
  return (address & prefixMask(prefixLength)) >>> 0;
}

export function broadcastOf(address: number, prefixLength: number): number {
  return (networkOf(address, prefixLength) | ~prefixMask(prefixLength)) >>> 0;
}

export function sameSubnet(a: number, b: number, prefixLength: number): boolean {
  return networkOf(a, prefixLength) === networkOf(b, prefixLength);
}

/**
 * A MAC in any common spelling (`AA:BB:CC:DD:EE:FF`, `aa-bb-cc-dd-ee-ff`, `aabb.ccdd.eeff`,
 * `aabbccddeeff`) -> `aa:bb:cc:dd:ee:ff`; undefined when it is not 6 bytes of hex.
 */
export function normalizeMac(text: string): string | undefined {
  const t = text.trim().toLowerCase();
  let hex: string;
  if (/^[0-9a-f]{2}([:-])[0-9a-f]{2}(\1[0-9a-f]{2}){4}$/.test(t)) hex = t.replace(/[:-]/g, '');
  else if (/^[0-9a-f]{4}\.[0-9a-f]{4}\.[0-9a-f]{4}$/.test(t)) hex = t.replace(/\./g, '');
  else if (/^[0-9a-f]{12}$/.test(t)) hex = t;
  else return undefined;
  return hex.match(/../g)?.join(':');
}
