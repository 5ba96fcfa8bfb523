// Device profiles: per-client negotiation settings that make a quirky device work without changing
// the server for everyone. Pure data and pure parsing, shared by the engine (which applies them:
// electron/tftp/options.ts; the matching: profile-match.ts), the settings, the CLI and the UI.
// settings.ts imports this module's validation back; only functions cross, so the cycle is inert.
import { isCidrOrAddress, isIpAddress } from './address-shape.js';
import { TFTP_CLIENT_NAMES, type TftpClientKind } from './tftp-types.js';

/** How a profile changes RFC 2347 negotiation for the clients it applies to. */
export interface DeviceProfile {
  id: string;
  name: string;
  /** one sentence: which device, and what it breaks on */
  reason: string;
  /** answer as RFC 1350 does: no OACK at all, 512-byte blocks, window 1 */
  ignoreOptions: boolean;
  /** the largest blksize granted to this device (below the server's own cap) */
  maxBlksize?: number;
  /** never grant windowsize (RFC 7440): the device gets lock-step transfers */
  noWindowsize: boolean;
  /** OACK option names spelled exactly as the client sent them (case), not lower-cased */
  echoOptionCase: boolean;
  /**
   * grant blksize and windowsize only at the value asked (else leave the option out, so the
   * transfer uses 512 bytes / window 1) and timeout only as asked: the device compares the OACK
   * with its request and aborts on any difference
   */
  onlyAsAsked: boolean;
  /** auto: answered when asked and the size is known and not 0; always: also 0 for an empty
   * file; never: left out of the OACK */
  tsize: 'auto' | 'always' | 'never';
}

const PLAIN: Omit<DeviceProfile, 'id' | 'name' | 'reason'> = {
  ignoreOptions: false,
  noWindowsize: false,
  echoOptionCase: false,
  onlyAsAsked: false,
  tsize: 'auto',
};

/** The profiles TFTP Desk ships; a rule names one by id. */
export const BUILT_IN_PROFILES: readonly DeviceProfile[] = [
  {
    ...PLAIN,
    id: 'old-u-boot',
    name: 'Old U-Boot',
    reason:
      "U-Boot's net/tftp.c answers an OACK whose blksize is above its own or whose timeout differs from its own with ERROR 8 and aborts, and builds without IP defragmentation lose any block larger than one Ethernet frame.",
    maxBlksize: 1468,
    noWindowsize: true,
    echoOptionCase: true,
    onlyAsAsked: true,
  },
  {
    ...PLAIN,
    id: 'cisco-rommon',
    name: 'Cisco ROMMON',
    reason:
      "ROMMON's tftpdnld is a minimal boot-ROM client, and a plain RFC 1350 answer (DATA 1 in 512-byte blocks, no OACK) is the safe one for it whatever it asks.",
    ignoreOptions: true,
    tsize: 'never',
  },
  {
    ...PLAIN,
    id: 'strict-pxe',
    name: 'Strict PXE ROM',
    reason:
      'Some PXE 2.x option ROMs ask for a blksize their stack cannot take once it fragments (VLAN tags shrink the frame) and reject option values they did not ask for, so blocks stay at 1456 bytes, at most as asked, without windowsize.',
    maxBlksize: 1456,
    noWindowsize: true,
    echoOptionCase: true,
    onlyAsAsked: true,
  },
  {
    ...PLAIN,
    id: 'plain-rfc1350',
    name: 'Plain RFC 1350',
    reason:
      'For a device that breaks on any OACK: every request is answered as RFC 1350 did, DATA 1 or ACK 0 in 512-byte blocks, all options ignored.',
    ignoreOptions: true,
    tsize: 'never',
  },
  {
    ...PLAIN,
    id: 'no-windowsize',
    name: 'No windowsize',
    reason:
      'For a client that asks for windowsize (RFC 7440) but loses blocks sent back to back: transfers run in lock step, one block per ACK.',
    noWindowsize: true,
  },
  {
    ...PLAIN,
    id: 'no-tsize',
    name: 'No tsize',
    reason:
      'For a client that asks for tsize but rejects or mis-parses the answer (curl gives up on tsize 0): the size is never sent.',
    tsize: 'never',
  },
];

export function findProfile(id: string): DeviceProfile | undefined {
  return BUILT_IN_PROFILES.find((p) => p.id === id);
}

/** What a profile does to negotiation, as short phrases (the UI's list, the pre-flight check). */
export function profileEffects(p: DeviceProfile): string[] {
  if (p.ignoreOptions) return ['no OACK: options ignored, 512-byte blocks'];
  const out: string[] = [];
  if (p.maxBlksize !== undefined) out.push(`blksize at most ${p.maxBlksize}`);
  if (p.onlyAsAsked) out.push('values only as asked');
  if (p.noWindowsize) out.push('no windowsize');
  if (p.echoOptionCase) out.push('option names echoed as spelled');
  if (p.tsize === 'never') out.push('no tsize');
  if (p.tsize === 'always') out.push('tsize even for an empty file');
  return out;
}

/** A rule's match in words: `10.0.0.0/24` or `client U-Boot`. */
export function matchText(match: string): string {
  if (!match.startsWith('client:')) return match;
  const kind = match.slice('client:'.length) as TftpClientKind;
  return `client ${TFTP_CLIENT_NAMES[kind] ?? kind}`;
}

/** A rule at its place in the list, in words: `rule 2: client curl → No tsize`. */
export function ruleText(rule: ProfileRule, index: number): string {
  return `rule ${index + 1}: ${matchText(rule.match)} → ${findProfile(rule.profile)?.name ?? rule.profile}`;
}

/** One rule: which clients (an address, a CIDR range, an a-b range or `client:KIND`) get which profile. */
export interface ProfileRule {
  match: string;
  /** a profile id */
  profile: string;
}

/** A rule holds at most this many rules: each request runs through them in order. */
export const MAX_PROFILE_RULES = 200;

export type ProfileMatch =
  | { kind: 'address'; text: string }
  | { kind: 'range'; from: string; to: string }
  | { kind: 'client'; client: TftpClientKind };

const CLIENT_KINDS = Object.keys(TFTP_CLIENT_NAMES) as TftpClientKind[];

/** Reads a rule's match; a message saying what is wrong when it is not one of the forms. */
export function parseProfileMatch(text: string): ProfileMatch | { error: string } {
  const t = text.trim();
  if (t.startsWith('client:')) {
    const client = t.slice('client:'.length);
    if ((CLIENT_KINDS as string[]).includes(client) && client !== 'unknown')
      return { kind: 'client', client: client as TftpClientKind };
    return {
      error: `"${client}" is not a client kind; use one of ${CLIENT_KINDS.filter((c) => c !== 'unknown').join(', ')}.`,
    };
  }
  const dash = t.indexOf('-');
  if (dash > 0) {
    const from = t.slice(0, dash).trim();
    const to = t.slice(dash + 1).trim();
    if (!isIpAddress(from) || !isIpAddress(to))
      return { error: `"${t}" is not a range of two addresses (e.g. 10.0.0.10-10.0.0.20).` };
    if (from.includes(':') !== to.includes(':'))
      return { error: `"${t}" mixes an IPv4 and an IPv6 address.` };
    return { kind: 'range', from, to };
  }
  if (!isCidrOrAddress(t))
    return {
      error: `"${t}" is not an address, a CIDR range (10.0.0.0/24), a range (10.0.0.10-10.0.0.20) or client:KIND.`,
    };
  return { kind: 'address', text: t };
}

/** The first thing wrong with one rule, or undefined when it is usable. */
export function profileRuleProblem(rule: unknown): string | undefined {
  const r = rule as Partial<Record<string, unknown>> | null;
  if (typeof r !== 'object' || r === null || typeof r.match !== 'string' || typeof r.profile !== 'string')
    return 'A profile rule needs a match and a profile.';
  const m = parseProfileMatch(r.match);
  if ('error' in m) return m.error;
  if (findProfile(r.profile) === undefined)
    return `"${r.profile}" is not a profile; use one of ${BUILT_IN_PROFILES.map((p) => p.id).join(', ')}.`;
  return undefined;
}

/** The first thing wrong with a list of rules, or undefined when it is usable. */
export function profileRulesProblem(rules: unknown): string | undefined {
  if (!Array.isArray(rules)) return 'Profile rules must be a list.';
  if (rules.length > MAX_PROFILE_RULES) return `At most ${MAX_PROFILE_RULES} profile rules.`;
  for (const [i, r] of rules.entries()) {
    const problem = profileRuleProblem(r);
    if (problem !== undefined) return `Rule ${i + 1}: ${problem}`;
  }
  return undefined;
}

/** `MATCH=PROFILE` (the CLI's --profile): the rule, or a message saying what is wrong. */
export function parseProfileRule(text: string): ProfileRule | { error: string } {
  const eq = text.lastIndexOf('=');
  if (eq <= 0 || eq === text.length - 1)
    return { error: `"${text}" is not MATCH=PROFILE (e.g. 10.0.0.0/24=old-u-boot).` };
  const rule = { match: text.slice(0, eq).trim(), profile: text.slice(eq + 1).trim() };
  const problem = profileRuleProblem(rule);
  return problem === undefined ? rule : { error: problem };
}
