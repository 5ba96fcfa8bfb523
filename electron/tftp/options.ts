// RFC 2347 option negotiation with RFC 2348 (blksize), RFC 2349 (timeout, tsize) and RFC 7440
// (windowsize). Pure: request options in, granted values and the OACK list out.
//
// Policy (tftp-hpa 6 and async-tftp-rs): an unknown, duplicate or malformed option is left out of
// the OACK, never fatal. Values are strict decimals; a duplicate counts once (the first wins).
import type { DeviceProfile } from '../../shared/device-profiles.js';
import { RFC_LIMITS, type NegotiatedOptions, type OptionAsSent } from '../../shared/tftp-types.js';
import type { RequestOption } from './packet.js';

export interface OptionLimits {
  maxBlksize: number;
  maxWindowsize: number;
  /** seconds, used when the client does not ask for a timeout */
  defaultTimeout: number;
}

/** tftp-hpa's --window-bytes default: a window never holds more than this many bytes. */
export const MAX_WINDOW_BYTES = 4 * 1024 * 1024;

export interface NegotiationRequest {
  kind: 'rrq' | 'wrq';
  options: readonly RequestOption[];
  /** for a read: the size to report in tsize, or undefined when it cannot be known up front */
  readSize?: number;
  /** the options as the client spelled them (request-as-sent.ts), for a profile that echoes names */
  asSent?: readonly OptionAsSent[];
}

export interface Negotiated {
  blksize: number;
  windowsize: number;
  /** seconds */
  timeout: number;
  /** for a write: the size the client declared; for a read: the size reported */
  tsize?: number;
  /** the options to acknowledge, in request order; empty means send no OACK */
  oack: RequestOption[];
}

const DECIMAL = /^[0-9]{1,16}$/;

/** Strict decimal, exact up to 2^53 - 1; anything else (sign, space, hex, exponent, too big) is undefined. */
export function parseDecimal(value: string): number | undefined {
  if (!DECIMAL.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * The options granted to one request. A device profile (shared/device-profiles.ts) narrows what
 * is granted for the clients it applies to; without one every client gets the server's limits.
 */
export function negotiate(
  req: NegotiationRequest,
  limits: OptionLimits,
  profile?: DeviceProfile,
): Negotiated {
  const result: Negotiated = { blksize: 512, windowsize: 1, timeout: limits.defaultTimeout, oack: [] };
  // RFC 1350 plain: no OACK; the transfer starts with DATA 1 (read) or ACK 0 (write).
  if (profile?.ignoreOptions) return result;
  const maxBlksize = Math.min(limits.maxBlksize, profile?.maxBlksize ?? limits.maxBlksize);
  const exact = profile?.onlyAsAsked === true;
  // The OACK echoes each name as the client spelled it when the profile asks (a device that
  // compares names case-sensitively); RFC 2347 says they compare case-insensitively.
  const spelled = (name: string): string =>
    (profile?.echoOptionCase && req.asSent?.find((o) => o.name.toLowerCase() === name)?.name) || name;
  let windowAsked = 0;
  const seen = new Set<string>();
  for (const { name, value } of req.options) {
    if (seen.has(name)) continue;
    seen.add(name);
    const n = parseDecimal(value);
    if (n === undefined) continue;
    const grant = (v: number): void => {
      result.oack.push({ name: spelled(name), value: String(v) });
    };
    switch (name) {
      case 'blksize':
        if (n < RFC_LIMITS.blksizeMin || n > RFC_LIMITS.blksizeMax) break;
        if (exact && n > maxBlksize) break; // not as asked: left out, the transfer uses 512
        result.blksize = Math.min(n, maxBlksize);
        grant(result.blksize);
        break;
      case 'timeout':
        if (n < RFC_LIMITS.timeoutMin || n > RFC_LIMITS.timeoutMax) break;
        result.timeout = n;
        grant(n);
        break;
      case 'windowsize':
        if (n < RFC_LIMITS.windowsizeMin || n > RFC_LIMITS.windowsizeMax || profile?.noWindowsize) break;
        if (exact && n > limits.maxWindowsize) break;
        windowAsked = n;
        result.windowsize = Math.min(n, limits.maxWindowsize);
        grant(0); // value filled in below, once blksize is known
        break;
      case 'tsize':
        if (profile?.tsize === 'never') break;
        if (req.kind === 'wrq') {
          result.tsize = n;
          grant(n);
        } else if (req.readSize !== undefined) {
          result.tsize = req.readSize;
          grant(req.readSize);
        }
        break;
      default:
        break; // unknown options are ignored (RFC 2347)
    }
  }
  // Keep a window within MAX_WINDOW_BYTES whatever the block size (E7: no 4 GB bursts).
  result.windowsize = Math.max(1, Math.min(result.windowsize, Math.floor(MAX_WINDOW_BYTES / result.blksize)));
  const w = result.oack.findIndex((o) => o.name.toLowerCase() === 'windowsize');
  if (w >= 0 && exact && result.windowsize !== windowAsked) {
    result.oack.splice(w, 1);
    result.windowsize = 1;
  } else if (w >= 0) (result.oack[w] as RequestOption).value = String(result.windowsize);
  return result;
}

/**
 * What a request asked for, before the server's limits: what the record of a refused request shows
 * (nothing was granted). Same reading as negotiate(): the first valid value of each option counts.
 */
export function requestedOptions(req: NegotiationRequest, defaultTimeout: number): NegotiatedOptions {
  const asked: NegotiatedOptions = { blksize: 512, windowsize: 1, timeout: defaultTimeout };
  const seen = new Set<string>();
  for (const { name, value } of req.options) {
    if (seen.has(name)) continue;
    seen.add(name);
    const n = parseDecimal(value);
    if (n === undefined) continue;
    if (name === 'blksize' && n >= RFC_LIMITS.blksizeMin && n <= RFC_LIMITS.blksizeMax) asked.blksize = n;
    else if (name === 'windowsize' && n >= RFC_LIMITS.windowsizeMin && n <= RFC_LIMITS.windowsizeMax)
      asked.windowsize = n;
    else if (name === 'timeout' && n >= RFC_LIMITS.timeoutMin && n <= RFC_LIMITS.timeoutMax)
      asked.timeout = n;
    // A download's tsize asks for the size (its value is 0); only an upload's declares one.
    else if (name === 'tsize' && req.kind === 'wrq') asked.tsize = n;
  }
  return asked;
}

export const SUPPORTED_MODES = ['octet', 'netascii'] as const;
export type SupportedMode = (typeof SUPPORTED_MODES)[number];

export function isSupportedMode(mode: string): mode is SupportedMode {
  return mode === 'octet' || mode === 'netascii';
}
