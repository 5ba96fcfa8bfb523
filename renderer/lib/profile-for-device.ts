// "Use a device profile for this device…": from one request (the Requests tab, the transfer
// detail) to a profile rule. Which device it was (its address, the client its request looks like),
// the matches a rule can use for it, the rule that applies to it now (the engine's own matcher,
// shared/profile-match.ts), and the rule list with the new rule first. Pure: tested in Node.
import {
  MAX_PROFILE_RULES,
  profileRuleProblem,
  ruleText as ruleWords,
  type ProfileRule,
} from '../../shared/device-profiles';
import type { SessionStartedEvent } from '../../shared/events';
import { ProfileMatcher, type RuleMatch } from '../../shared/profile-match';
import { TFTP_CLIENT_NAMES, type TftpClientKind } from '../../shared/tftp-types';
import { peerAddress } from './syslog-timeline';

export interface Device {
  /** the peer's address without its port (an IPv4-mapped peer as plain IPv4) */
  address: string;
  client: TftpClientKind;
  /** the fingerprint is a guess, not a match of that client alone */
  guess: boolean;
}

/** The device behind a request the server answered; undefined for our own transfers (no request). */
export function deviceOf(started: SessionStartedEvent): Device | undefined {
  const r = started.request;
  if (r === undefined || started.role === 'client') return undefined;
  return {
    address: peerAddress(started.peer),
    client: r.client.client,
    guess: r.client.client !== 'unknown' && r.client.confidence === 'guess',
  };
}

export interface MatchChoice {
  by: 'address' | 'client';
  /** the rule's match: `10.0.0.7` or `client:u-boot` */
  match: string;
  /** in words, for the choice */
  text: string;
}

/** This device's address, and every client like it when the fingerprint names one (saying when it is a guess). */
export function matchChoices(device: Device): MatchChoice[] {
  const out: MatchChoice[] = [
    { by: 'address', match: device.address, text: `This device only (${device.address})` },
  ];
  if (device.client !== 'unknown') {
    const name = TFTP_CLIENT_NAMES[device.client];
    out.push({
      by: 'client',
      match: `client:${device.client}`,
      text: device.guess
        ? `Every client that looks like ${name} (a guess from this request)`
        : `Every client that looks like ${name}`,
    });
  }
  return out;
}

/** The rule that applies to this device now (first match wins), as the server decides it. */
export function ruleFor(rules: readonly ProfileRule[] | undefined, device: Device): RuleMatch | undefined {
  return new ProfileMatcher(rules).matchRule(device.address, device.client);
}

/** A rule in words: `rule 2: client curl → No tsize`. */
export function ruleText(m: RuleMatch): string {
  return ruleWords(m.rule, m.index);
}

export type FirstRuleEdit =
  { ok: true; rules: ProfileRule[]; replaced: ProfileRule[] } | { ok: false; error: string };

/**
 * The rules with `match=profile` first (tried before any other). A rule with the same match goes
 * (two would be a duplicate); so does `replace`, the rule that applied before, when asked.
 * Checked with the validation Settings > Device profiles applies.
 */
export function addRuleFirst(
  rules: readonly ProfileRule[],
  match: string,
  profile: string,
  replace?: number,
): FirstRuleEdit {
  const rule = { match: match.trim(), profile };
  const problem = profileRuleProblem(rule);
  if (problem !== undefined) return { ok: false, error: problem };
  const replaced: ProfileRule[] = [];
  const kept = rules.filter((r, i) => {
    const goes = i === replace || r.match.trim() === rule.match;
    if (goes) replaced.push(r);
    return !goes;
  });
  if (kept.length >= MAX_PROFILE_RULES) return { ok: false, error: `At most ${MAX_PROFILE_RULES} rules.` };
  return { ok: true, rules: [rule, ...kept], replaced };
}
