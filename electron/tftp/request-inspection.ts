// What the request inspector records about one RRQ/WRQ: the request exactly as sent, the client it
// looks like (fingerprint.ts), the name the mapping rules turn it into (name-map.ts), and the text
// of the log lines that tell it. The server calls this once per admitted request; everything here
// is pure. Names, options and suggestions come from the network or the disk, so every one is
// escaped (shared/display-text.ts) before it reaches a log line, and a name the path policy refuses
// (control characters, markup characters, "..") never reaches one at all: the event carries it for
// the inspector, whose views escape it.
import { displayText } from '../../shared/display-text.js';
import type { NameMapRule } from '../../shared/settings.js';
import type { ClientFingerprint, NameSuggestion, RequestAsSent } from '../../shared/tftp-types.js';
import { TFTP_CLIENT_NAMES } from '../../shared/tftp-types.js';
import { checkRequestName } from './file-root.js';
import { fingerprint } from './fingerprint.js';
import { applyNameMap } from './name-map.js';
import type { RequestPacket } from './packet.js';
import { readRequestAsSent } from './request-as-sent.js';

export interface InspectedRequest {
  /** for the session-started event */
  request: RequestAsSent;
  /** the request to admit: the mapped name in place of the one sent */
  lookup: RequestPacket;
}

/** Inspects one decoded request and its datagram; `address` is the client's (for \i and \x). */
export function inspectRequest(
  datagram: Uint8Array,
  req: RequestPacket,
  address: string,
  nameMap: readonly NameMapRule[] | undefined,
): InspectedRequest {
  // The codec already accepted the datagram, so this only fails on a codec/reader disagreement;
  // then the decoded fields stand in.
  const raw = readRequestAsSent(datagram) ?? { ...req, name: req.filename };
  const request: RequestAsSent = { name: raw.name, mode: raw.mode, options: raw.options, client: UNKNOWN };
  try {
    request.client = fingerprint(raw);
    const mapped = applyNameMap(nameMap, { name: req.filename, kind: req.kind, address });
    if (mapped.rules.length === 0) return { request, lookup: req };
    request.mapped = { to: mapped.name, rule: mapped.rules.join(' ; ') };
    return { request, lookup: { ...req, filename: mapped.name } };
  } catch {
    // Neither throws by design; should an operator's pattern still fail at run time, the request is
    // served as sent rather than left half-admitted.
    return { request, lookup: req };
  }
}

const UNKNOWN: ClientFingerprint = { client: 'unknown', confidence: 'guess', reasons: ['not inspected'] };

const MAX_LOGGED_NAME = 200;

/** A name for a log line: quoted and escaped, or a fixed phrase when the path policy refuses it. */
function loggedName(name: string): string {
  return checkRequestName(name).ok
    ? `"${displayText(name, MAX_LOGGED_NAME)}"`
    : '(a name the path policy refuses)';
}

/** `"name" octet blksize=1432 tsize=0, iPXE (likely), mapped to "x" by r ...` for a log line. */
export function describeRequest(r: RequestAsSent): string {
  const options = r.options.map((o) => ` ${displayText(o.name, 32)}=${displayText(o.value, 32)}`).join('');
  const client =
    r.client.client === 'unknown'
      ? 'client unknown'
      : `${TFTP_CLIENT_NAMES[r.client.client]} (${r.client.confidence === 'likely' ? 'likely' : 'a guess'})`;
  const mapped = r.mapped
    ? `, mapped to ${loggedName(r.mapped.to)} by ${displayText(r.mapped.rule, MAX_LOGGED_NAME)}`
    : '';
  return `${loggedName(r.name)} ${displayText(r.mode, 16)}${options}, ${client}${mapped}`;
}

/** `did you mean: a/b.bin (case), c.bin (extension)` or '' when there is nothing to suggest. */
export function describeSuggestions(s: readonly NameSuggestion[] | undefined): string {
  if (s === undefined || s.length === 0) return '';
  return `; did you mean ${s.map((x) => `${loggedName(x.file)} (${x.reason})`).join(', ')}`;
}
