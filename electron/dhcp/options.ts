// RFC 2132 (DHCP options), RFC 3004 (user class), RFC 4578 (client system architecture, PXE options),
// RFC 2131 section 3.5 (parameter request list): typed reads of a decoded message's options, builders
// for the ones we send, and the user's CODE=VALUE custom options. Pure.
import { customOptionBytes, RESERVED_OPTION_CODES } from '../../shared/dhcp.js';
import { parseIpv4 } from '../../shared/ipv4.js';
import type { DhcpMessage } from './codec.js';

export const Opt = {
  subnetMask: 1,
  router: 3,
  dns: 6,
  logServer: 7,
  hostname: 12,
  domainName: 15,
  vendorSpecific: 43,
  requestedAddress: 50,
  leaseTime: 51,
  messageType: 53,
  serverId: 54,
  parameterRequestList: 55,
  message: 56,
  maxMessageSize: 57,
  renewalTime: 58,
  rebindingTime: 59,
  vendorClass: 60,
  clientId: 61,
  tftpServerName: 66,
  bootFile: 67,
  userClass: 77,
  clientArch: 93,
  clientNdi: 94,
  clientUuid: 97,
  tftpServerAddresses: 150,
} as const;

/** RFC 2132 section 9.6. */
export const MessageType = {
  DISCOVER: 1,
  OFFER: 2,
  REQUEST: 3,
  DECLINE: 4,
  ACK: 5,
  NAK: 6,
  RELEASE: 7,
  INFORM: 8,
} as const;

const TYPE_NAMES = ['', 'DISCOVER', 'OFFER', 'REQUEST', 'DECLINE', 'ACK', 'NAK', 'RELEASE', 'INFORM'];

export function messageTypeName(type: number | undefined): string {
  if (type === undefined) return 'BOOTP';
  return TYPE_NAMES[type] ?? `type ${type}`;
}

/** Option 53; undefined when absent (plain BOOTP) or not one byte. */
export function messageType(m: DhcpMessage): number | undefined {
  const v = m.options.get(Opt.messageType);
  return v?.length === 1 ? v[0] : undefined;
}

function address(m: DhcpMessage, code: number): string | undefined {
  const v = m.options.get(code);
  return v?.length === 4 ? `${v[0]}.${v[1]}.${v[2]}.${v[3]}` : undefined;
}

/** Option 50. */
export function requestedAddress(m: DhcpMessage): string | undefined {
  return address(m, Opt.requestedAddress);
}

/** Option 54. */
export function serverIdentifier(m: DhcpMessage): string | undefined {
  return address(m, Opt.serverId);
}

/** Option 55, in the client's order. */
export function parameterRequestList(m: DhcpMessage): number[] {
  return [...(m.options.get(Opt.parameterRequestList) ?? [])];
}

/** Printable text of an option: control bytes and trailing NULs dropped (they reach logs and the UI). */
function text(m: DhcpMessage, code: number): string | undefined {
  const v = m.options.get(code);
  if (v === undefined) return undefined;
  // eslint-disable-next-line no-control-regex
  return v.toString('latin1').replace(/[\x00-\x1f\x7f]/g, '');
}

/** Option 60, e.g. 'PXEClient:Arch:00007:UNDI:003016'. */
export function vendorClass(m: DhcpMessage): string | undefined {
  return text(m, Opt.vendorClass);
}

/** Option 12. */
export function hostname(m: DhcpMessage): string | undefined {
  return text(m, Opt.hostname);
}

/**
 * Option 77. RFC 3004 packs length-prefixed classes, but iPXE and most firmware send one bare string
 * ("iPXE"): the bytes are read as RFC 3004 only when the lengths tile them exactly.
 */
export function userClasses(m: DhcpMessage): string[] {
  const v = m.options.get(Opt.userClass);
  if (v === undefined || v.length === 0) return [];
  const classes: string[] = [];
  let at = 0;
  while (at < v.length) {
    const len = v[at] ?? 0;
    if (len === 0 || at + 1 + len > v.length) return [text(m, Opt.userClass) ?? ''];
    classes.push(v.toString('latin1', at + 1, at + 1 + len));
    at += 1 + len;
  }
  return classes;
}

/** Option 93 (RFC 4578 section 2.1): the first architecture type the client lists. */
export function clientArch(m: DhcpMessage): number | undefined {
  const v = m.options.get(Opt.clientArch);
  return v !== undefined && v.length >= 2 ? v.readUInt16BE(0) : undefined;
}

/** Option 57: at least 576 (RFC 2132 section 9.10 says smaller values are invalid). */
export function maxMessageSize(m: DhcpMessage): number {
  const v = m.options.get(Opt.maxMessageSize);
  return v?.length === 2 ? Math.max(576, v.readUInt16BE(0)) : 576;
}

export function ipOption(addresses: readonly string[]): Buffer {
  const out = Buffer.alloc(addresses.length * 4);
  addresses.forEach((a, i) => out.writeUInt32BE(parseIpv4(a) ?? 0, i * 4));
  return out;
}

export function u32Option(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE(Math.max(0, Math.min(0xffffffff, Math.floor(value))), 0);
  return out;
}

export function textOption(value: string): Buffer {
  return Buffer.from(value, 'latin1');
}

/** Subnet mask (option 1) of a prefix length. */
export function maskOption(prefixLength: number): Buffer {
  const mask = prefixLength <= 0 ? 0 : (0xffffffff << (32 - Math.min(32, prefixLength))) >>> 0;
  return u32Option(mask);
}

/** A custom option's bytes; undefined when the value cannot be read (validation refuses it first). */
export function customOptionValue(value: string): Buffer | undefined {
  const r = customOptionBytes(value);
  return r.ok ? Buffer.from(r.bytes) : undefined;
}

export type ParsedCustomOption =
  { ok: true; option: { code: number; value: string } } | { ok: false; error: string };

/**
 * A custom option as a person types it on the command line: `CODE=VALUE`, e.g. `43=hex:010203`,
 * `42=ip:10.0.0.1,10.0.0.2`, `252=text:http://wpad/wpad.dat`, `28=u32:...`, `100=EST5EDT`.
 */
export function parseCustomOption(text: string): ParsedCustomOption {
  const eq = text.indexOf('=');
  const codeText = (eq < 0 ? text : text.slice(0, eq)).trim();
  if (eq < 0) return { ok: false, error: `"${text}" is not CODE=VALUE (like 43=hex:0a0b or 42=ip:10.0.0.1)` };
  if (!/^\d{1,3}$/.test(codeText)) return { ok: false, error: `"${codeText}" is not an option code (1-254)` };
  const code = Number(codeText);
  if (code < 1 || code > 254) return { ok: false, error: `option code ${code} is outside 1-254` };
  const why = RESERVED_OPTION_CODES.get(code);
  if (why !== undefined) return { ok: false, error: `option ${code} cannot be a custom option: ${why}` };
  const value = text.slice(eq + 1);
  const bytes = customOptionBytes(value);
  if (!bytes.ok) return { ok: false, error: `option ${code}: ${bytes.error}` };
  return { ok: true, option: { code, value } };
}
