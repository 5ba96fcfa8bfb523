// The device profiles panel's logic, pure: what each profile changes (in words), and adding,
// removing and moving rules with the same validation the server applies (shared/device-profiles.ts).
import {
  MAX_PROFILE_RULES,
  matchText,
  profileRuleProblem,
  type ProfileRule,
} from '../../shared/device-profiles';
import { TFTP_CLIENT_NAMES, type TftpClientKind } from '../../shared/tftp-types';

// In words, shared with the pre-flight check (which says what a profile would change for a device).
export { matchText, profileEffects } from '../../shared/device-profiles';

/** The client kinds a rule can name (every fingerprint except "unknown"). */
export const RULE_CLIENT_KINDS = (Object.keys(TFTP_CLIENT_NAMES) as TftpClientKind[]).filter(
  (k) => k !== 'unknown',
);

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
