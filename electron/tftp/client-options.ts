// The client's side of RFC 2347 option negotiation, with RFC 2348 (blksize), RFC 2349 (timeout,
// tsize) and RFC 7440 (windowsize). Pure: what to ask for, and whether an OACK can be accepted.
//
// RFC 2347: the server acknowledges a subset of what was asked; an option we did not ask for, or a
// value outside what we offered (a larger blksize or windowsize, a different timeout), means the
// OACK cannot be accepted, and we answer ERROR 8 and stop. A server that ignores options answers
// the request directly (DATA 1 for a read, ACK 0 for a write) and the RFC 1350 defaults apply.
import { RFC_LIMITS } from '../../shared/tftp-types.js';
import type { ClientNegotiated } from '../../shared/tftp-client.js';
import { parseDecimal } from './options.js';
import type { RequestOption } from './packet.js';

export const DEFAULT_BLKSIZE = 512;

export interface ClientOptionRequest {
  blksize?: number;
  windowsize?: number;
  /** seconds */
  timeout?: number;
  /** a get asks with 0; a put announces the file's size; undefined: not asked */
  tsize?: number;
}

/** The request's option list, in a fixed order (blksize, windowsize, timeout, tsize). */
export function requestOptions(req: ClientOptionRequest): RequestOption[] {
  const out: RequestOption[] = [];
  if (req.blksize !== undefined && req.blksize !== DEFAULT_BLKSIZE)
    out.push({ name: 'blksize', value: String(req.blksize) });
  if (req.windowsize !== undefined && req.windowsize > 1)
    out.push({ name: 'windowsize', value: String(req.windowsize) });
  if (req.timeout !== undefined) out.push({ name: 'timeout', value: String(req.timeout) });
  if (req.tsize !== undefined) out.push({ name: 'tsize', value: String(req.tsize) });
  return out;
}

/** What the transfer runs with when the server ignores the options (RFC 1350). */
export function plainOptions(timeoutSeconds: number): ClientNegotiated {
  return { blksize: DEFAULT_BLKSIZE, windowsize: 1, timeout: timeoutSeconds, acknowledged: false };
}

export type OackVerdict = { ok: true; options: ClientNegotiated } | { ok: false; reason: string };

/** Checks the server's OACK against what was asked; the granted values, or why they are refused. */
export function acceptOack(
  asked: readonly RequestOption[],
  granted: readonly RequestOption[],
  timeoutSeconds: number,
): OackVerdict {
  const options = { ...plainOptions(timeoutSeconds), acknowledged: true };
  const seen = new Set<string>();
  for (const { name, value } of granted) {
    const request = asked.find((o) => o.name === name);
    if (request === undefined)
      return { ok: false, reason: `the server acknowledged "${name}", never asked for` };
    if (seen.has(name)) return { ok: false, reason: `the server acknowledged "${name}" twice` };
    seen.add(name);
    const n = parseDecimal(value);
    const offered = parseDecimal(request.value) ?? 0;
    if (n === undefined) return { ok: false, reason: `the server's ${name} is not a number` };
    switch (name) {
      case 'blksize':
        if (n < RFC_LIMITS.blksizeMin || n > offered)
          return { ok: false, reason: `the server's blksize ${n} is outside 8-${offered}` };
        options.blksize = n;
        break;
      case 'windowsize':
        if (n < RFC_LIMITS.windowsizeMin || n > offered)
          return { ok: false, reason: `the server's windowsize ${n} is outside 1-${offered}` };
        options.windowsize = n;
        break;
      case 'timeout':
        // RFC 2349: the server must acknowledge the value asked for, or leave the option out.
        if (n !== offered)
          return { ok: false, reason: `the server's timeout ${n} is not the ${offered} asked for` };
        options.timeout = n;
        break;
      case 'tsize':
        options.tsize = n;
        break;
    }
  }
  return { ok: true, options };
}
