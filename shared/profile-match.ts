// Which device profile applies to a request: the rules in order, first match wins. A rule matches
// an address, a CIDR range (as the allow-list reads them), an a-b range, or a client kind from the
// request's fingerprint (fingerprint.ts). IPv4-mapped IPv6 peers (::ffff:10.0.0.5) match IPv4
// rules. Pure; rules are validated before they get here, and one that still does not parse
// matches nothing rather than stopping the server. It lives in shared/ so the engine (which applies
// it), the pre-flight check and the UI ("which rule applies to this device?") give one answer.
import ipaddr from 'ipaddr.js';
import { findProfile, parseProfileMatch, type DeviceProfile, type ProfileRule } from './device-profiles.js';
import type { TftpClientKind } from './tftp-types.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

type Test = (address: Address | undefined, client: TftpClientKind) => boolean;

interface Compiled {
  test: Test;
  profile: DeviceProfile;
  rule: ProfileRule;
  /** the rule's place in the list given (0 = first) */
  index: number;
}

/** The rule that decided, its place in the list, and the profile it names. */
export interface RuleMatch {
  rule: ProfileRule;
  index: number;
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
    for (const [index, rule] of (rules ?? []).entries()) {
      const test = compile(rule);
      const profile = findProfile(rule.profile);
      if (test && profile) this.rules.push({ test, profile, rule, index });
    }
  }

  /** The profile of the first rule that matches this client, or undefined. */
  match(address: string, client: TftpClientKind): DeviceProfile | undefined {
    return this.matchRule(address, client)?.profile;
  }

  /**
   * The first rule that matches this client. With client 'unknown' only address rules can match:
   * what a caller without a request (the pre-flight check) can know.
   */
  matchRule(address: string, client: TftpClientKind): RuleMatch | undefined {
    if (this.rules.length === 0) return undefined;
    let addr: Address | undefined;
    try {
      addr = ipaddr.process(address.split('%')[0] as string);
    } catch {
      addr = undefined;
    }
    const hit = this.rules.find((r) => r.test(addr, client));
    return hit && { rule: hit.rule, index: hit.index, profile: hit.profile };
  }

  /** The client rules listed before `index`, which win over it for a device that looks like their client. */
  clientRulesBefore(index: number): RuleMatch[] {
    return this.rules
      .filter((r) => r.index < index && r.rule.match.trim().startsWith('client:'))
      .map((r) => ({ rule: r.rule, index: r.index, profile: r.profile }));
  }
}
