// The device profiles panel's logic, pure: what each profile changes (in words), and adding,
// removing and moving rules with the same validation the server applies (shared/device-profiles.ts).
import {
  MAX_PROFILE_RULES,
  profileRuleProblem,
  type DeviceProfile,
  type ProfileRule,
} from '../../shared/device-profiles';
import { TFTP_CLIENT_NAMES, type TftpClientKind } from '../../shared/tftp-types';

/** What a profile does to negotiation, as short phrases for the list of built-ins. */
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

/** The client kinds a rule can name (every fingerprint except "unknown"). */
export const RULE_CLIENT_KINDS = (Object.keys(TFTP_CLIENT_NAMES) as TftpClientKind[]).filter(
  (k) => k !== 'unknown',
);

/** A rule's match in words: `10.0.0.0/24` or `client U-Boot`. */
export function matchText(match: string): string {
  if (!match.startsWith('client:')) return match;
  const kind = match.slice('client:'.length) as TftpClientKind;
  return `client ${TFTP_CLIENT_NAMES[kind] ?? kind}`;
}

export type RuleEdit = { ok: true; rules: ProfileRule[] } | { ok: false; error: string };

/** Appends a rule (the last to be tried); refuses a bad one, a duplicate, or one too many. */
export function addRule(rules: readonly ProfileRule[], match: string, profile: string): RuleEdit {
  const rule = { match: match.trim(), profile };
  if (rule.match === '') return { ok: false, error: 'Enter an address, a range or choose a client.' };
  const problem = profileRuleProblem(rule);
  if (problem !== undefined) return { ok: false, error: problem };
  if (rules.some((r) => r.match === rule.match))
    return { ok: false, error: `A rule for ${matchText(rule.match)} exists already; remove it first.` };
  if (rules.length >= MAX_PROFILE_RULES) return { ok: false, error: `At most ${MAX_PROFILE_RULES} rules.` };
  return { ok: true, rules: [...rules, rule] };
}

export function removeRule(rules: readonly ProfileRule[], index: number): ProfileRule[] {
  return rules.filter((_, i) => i !== index);
}

/** Moves a rule one place earlier (it is tried sooner); the first stays where it is. */
export function moveRuleUp(rules: readonly ProfileRule[], index: number): ProfileRule[] {
  if (index <= 0 || index >= rules.length) return [...rules];
  const out = [...rules];
  [out[index - 1], out[index]] = [out[index] as ProfileRule, out[index - 1] as ProfileRule];
  return out;
}
