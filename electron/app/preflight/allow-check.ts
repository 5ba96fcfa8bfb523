// Would the server itself refuse this device: its address outside the allow-list (checked with the
// engine's own AllowList, so the answer is the engine's), or its per-client session limit reached.
// And which device profile would apply to it (the engine's own matcher): a profile never refuses a
// device, it changes what is negotiated, so it is a note beside the verdict, never the verdict.
import { profileEffects, ruleText, type ProfileRule } from '../../../shared/device-profiles.js';
import type { PreflightCheck } from '../../../shared/preflight.js';
import { AllowList, ProfileMatcher } from '../../tftp/index.js';

const TITLE = 'Allow-list and limits';

export interface AllowInput {
  deviceAddress?: string;
  allow: readonly string[];
  maxSessionsPerClient: number;
  /** live transfers from the device's address now */
  liveFromDevice: number;
  /** the device profile rules, in order */
  profiles?: readonly ProfileRule[];
}

/**
 * Which profile rule would apply to this address, in words. Without a request the check cannot
 * know what the device looks like, so an address rule decides, and a client rule tried before it
 * (or, with no address rule, any client rule) is named as what would apply instead if the
 * device's requests look like that client. Undefined when there are no rules.
 */
export function profileNote(device: string, rules: readonly ProfileRule[] | undefined): string | undefined {
  if (rules === undefined || rules.length === 0) return undefined;
  const matcher = new ProfileMatcher(rules);
  const hit = matcher.matchRule(device, 'unknown');
  const before = matcher.clientRulesBefore(hit?.index ?? rules.length);
  const unless =
    before.length === 0
      ? ''
      : ` ${hit === undefined ? 'A client rule' : 'A client rule tried before it'} would apply instead if the device's requests look like that client: ${before.map((r) => ruleText(r.rule, r.index)).join('; ')}.`;
  if (hit === undefined)
    return `Device profile: no rule names ${device}, so it gets the server's own negotiation.${unless}`;
  return (
    `Device profile: ${ruleText(hit.rule, hit.index)} applies to ${device}. A profile never refuses a device; ` +
    `it changes what is negotiated with it: ${profileEffects(hit.profile).join(', ')}.${unless}`
  );
}

export function checkAllow(input: AllowInput): PreflightCheck {
  const check = allowVerdict(input);
  const note =
    input.deviceAddress === undefined ? undefined : profileNote(input.deviceAddress, input.profiles);
  return note === undefined ? check : { ...check, notes: [...(check.notes ?? []), note] };
}

function allowVerdict(input: AllowInput): PreflightCheck {
  const list = new AllowList(input.allow);
  const device = input.deviceAddress;
  if (device === undefined) {
    return list.allowsEveryone
      ? {
          id: 'allow-list',
          title: TITLE,
          status: 'ok',
          summary: 'The allow-list is empty: every address may ask.',
        }
      : {
          id: 'allow-list',
          title: TITLE,
          status: 'skipped',
          summary: `Only ${input.allow.join(', ')} may ask. Give the device's address to check it against this list.`,
        };
  }
  if (!list.allows(device)) {
    return {
      id: 'allow-list',
      title: TITLE,
      status: 'problem',
      summary: `The allow-list (${input.allow.join(', ')}) does not include ${device}: the server drops its requests without an answer.`,
      fix: { text: `Add ${device} (or its subnet) to the allowed clients in Settings, or empty the list.` },
    };
  }
  if (input.liveFromDevice >= input.maxSessionsPerClient) {
    return {
      id: 'allow-list',
      title: TITLE,
      status: 'warning',
      summary: `${device} already has ${input.liveFromDevice} transfers running, the most one client may have (${input.maxSessionsPerClient}): a new request gets "Too many transfers from your address".`,
      fix: { text: 'Wait for them to end, or raise "Sessions per client" in Settings.' },
    };
  }
  return {
    id: 'allow-list',
    title: TITLE,
    status: 'ok',
    summary: list.allowsEveryone
      ? `Every address may ask, ${device} included.`
      : `The allow-list admits ${device}.`,
  };
}
