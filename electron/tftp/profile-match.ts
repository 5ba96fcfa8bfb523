// Which device profile applies to a request: the rules in order, first match wins. A rule matches
// an address, a CIDR range (as the allow-list reads them), an a-b range, or a client kind from the
// request's fingerprint (fingerprint.ts). IPv4-mapped IPv6 peers (::ffff:10.0.0.5) match IPv4
// rules. Pure; rules are validated before they get here, and one that still does not parse
// matches nothing rather than stopping the server.
import ipaddr from 'ipaddr.js';
import {
  findProfile,
  parseProfileMatch,
  type DeviceProfile,
  type ProfileRule,
} from '../../shared/device-profiles.js';
import type { TftpClientKind } from '../../shared/tftp-types.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

type Test = (address: Address | undefined, client: TftpClientKind) => boolean;

interface Compiled {
  test: Test;
  profile: DeviceProfile;
}

/** Bytes compared as one big-endian number. */
function compare(a: Address, b: Address): number {
  const x = a.toByteArray();
  const y = b.toByteArray();
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return 0;
}

function compile(rule: ProfileRule): Test | undefined {
  const m = parseProfileMatch(rule.match);
  if ('error' in m) return undefined;
  try {
    if (m.kind === 'client') return (_a, client) => client === m.client;
    if (m.kind === 'range') {
      let from = ipaddr.parse(m.from);
      let to = ipaddr.parse(m.to);
      if (compare(from, to) > 0) [from, to] = [to, from];
      const [lo, hi] = [from, to];
      return (a) => a !== undefined && a.kind() === lo.kind() && compare(a, lo) >= 0 && compare(a, hi) <= 0;
    }
    const [range, bits] = m.text.includes('/')
      ? ipaddr.parseCIDR(m.text)
      : ((addr) => [addr, addr.kind() === 'ipv4' ? 32 : 128] as const)(ipaddr.parse(m.text));
    return (a) => a !== undefined && a.kind() === range.kind() && a.match(range, bits);
  } catch {
    return undefined;
  }
}

export class ProfileMatcher {
  private readonly rules: Compiled[] = [];

  constructor(rules: readonly ProfileRule[] | undefined) {
    for (const rule of rules ?? []) {
      const test = compile(rule);
      const profile = findProfile(rule.profile);
      if (test && profile) this.rules.push({ test, profile });
    }
  }

  /** The profile of the first rule that matches this client, or undefined. */
  match(address: string, client: TftpClientKind): DeviceProfile | undefined {
    if (this.rules.length === 0) return undefined;
    let addr: Address | undefined;
    try {
      addr = ipaddr.process(address.split('%')[0] as string);
    } catch {
      addr = undefined;
    }
    return this.rules.find((r) => r.test(addr, client))?.profile;
  }
}
