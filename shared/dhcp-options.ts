// Custom DHCP options as a person gives them: which codes may be set, and the bytes of a value
// (`hex:`, `ip:`, `u8:`/`u16:`/`u32:`, `text:` or plain text). Pure: the settings form checks them too.
import { parseIpv4 } from './ipv4.js';

/** A custom option goes out as one option: 255 bytes at most (RFC 2132 section 2). */
export const MAX_CUSTOM_OPTION_BYTES = 255;

/**
 * Codes a custom option may not carry, and why: the protocol's own bookkeeping (the service sets or
 * reads them per client) and those that have their own setting.
 */
export const RESERVED_OPTION_CODES: ReadonlyMap<number, string> = new Map([
  [0, 'code 0 is the pad byte'],
  [255, 'code 255 is the end marker'],
  [1, 'the subnet mask comes from the prefix length'],
  [3, 'use the Router setting'],
  [6, 'use the DNS servers setting'],
  [15, 'use the Domain name setting'],
  [50, 'the client sends option 50 (requested address)'],
  [51, 'use the Lease time setting'],
  [52, 'option 52 (overload) is part of the message layout'],
  [53, 'the service sets option 53 (message type) itself'],
  [54, 'the service sets option 54 (server identifier) to the interface address'],
  [55, 'the client sends option 55 (parameter request list)'],
  [57, 'the client sends option 57 (maximum message size)'],
  [58, 'renewal time follows the lease time'],
  [59, 'rebinding time follows the lease time'],
  [61, 'the client sends option 61 (client identifier)'],
  [66, 'use the TFTP server name setting'],
  [67, 'use the Boot file settings'],
]);

export type CustomOptionBytes = { ok: true; bytes: Uint8Array } | { ok: false; error: string };

/** The bytes of a custom option value (see DhcpCustomOption.value for the forms). */
export function customOptionBytes(value: string): CustomOptionBytes {
  const colon = value.indexOf(':');
  const kind = colon > 0 ? value.slice(0, colon).toLowerCase() : '';
  const body = value.slice(colon + 1);
  let bytes: Uint8Array;
  if (kind === 'hex') {
    const hex = body.replace(/[\s:.-]/g, '');
    if (!/^([0-9a-fA-F]{2})*$/.test(hex))
      return { ok: false, error: `"${value}" is not hex (two digits per byte)` };
    bytes = new Uint8Array(hex.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  } else if (kind === 'ip') {
    const list = body.split(',').map((a) => a.trim());
    const nums = list.map(parseIpv4);
    const bad = list.find((_, i) => nums[i] === undefined);
    if (bad !== undefined) return { ok: false, error: `"${bad}" is not an IPv4 address` };
    bytes = new Uint8Array(nums.length * 4);
    nums.forEach((n, i) => {
      const v = n ?? 0;
      bytes.set([v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255], i * 4);
    });
  } else if (kind === 'u8' || kind === 'u16' || kind === 'u32') {
    const width = kind === 'u8' ? 1 : kind === 'u16' ? 2 : 4;
    const n = /^\d+$/.test(body.trim()) ? Number(body.trim()) : NaN;
    if (!Number.isInteger(n) || n >= 2 ** (width * 8))
      return { ok: false, error: `"${value}" is not a number from 0 to ${2 ** (width * 8) - 1}` };
    bytes = new Uint8Array(width);
    for (let i = 0; i < width; i++) bytes[i] = Math.floor(n / 2 ** (8 * (width - 1 - i))) & 255;
  } else {
    bytes = new TextEncoder().encode(kind === 'text' ? body : value);
  }
  if (bytes.length > MAX_CUSTOM_OPTION_BYTES)
    return { ok: false, error: `the value is ${bytes.length} bytes; one option holds at most 255` };
  return { ok: true, bytes };
}
