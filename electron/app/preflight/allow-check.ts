// Would the server itself refuse this device: its address outside the allow-list (checked with the
// engine's own AllowList, so the answer is the engine's), or its per-client session limit reached.
import type { PreflightCheck } from '../../../shared/preflight.js';
import { AllowList } from '../../tftp/index.js';

const TITLE = 'Allow-list and limits';

export interface AllowInput {
  deviceAddress?: string;
  allow: readonly string[];
  maxSessionsPerClient: number;
  /** live transfers from the device's address now */
  liveFromDevice: number;
}

export function checkAllow(input: AllowInput): PreflightCheck {
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
