// The Boot services form edits text (lists one per line, numbers as typed); these pure functions
// map between that draft and DhcpSettings, so the shared check (validateDhcpSettings) judges exactly
// what would be saved, and put each of its messages beside the field it is about.
import {
  DHCP_DEFAULTS,
  validateDhcpSettings,
  type DhcpCustomOption,
  type DhcpMode,
  type DhcpReservation,
  type DhcpSettings,
} from '../../shared/dhcp';
import type { NetInterface } from '../../shared/ipc-contract';
import { broadcastOf, formatIpv4, networkOf, parseIpv4, sameSubnet } from '../../shared/ipv4';

export interface DhcpDraft {
  mode: DhcpMode;
  interfaceAddress: string;
  prefixLength: number;
  rangeStart: string;
  rangeEnd: string;
  leaseSeconds: string;
  router: string;
  /** comma or space separated */
  dns: string;
  domainName: string;
  bootFile: string;
  bootFileUefi: string;
  bootFileIpxe: string;
  bootFileArm64: string;
  tftpServerName: string;
  /** one per line: MAC=IP or MAC=IP,boot file */
  reservations: string;
  /** one per line: CODE=VALUE */
  customOptions: string;
  /** one per line (or comma separated) */
  allowMacs: string;
  allowVendorPrefixes: string;
  /** option 7: devices' syslog to us */
  offerLogServer: boolean;
  force: boolean;
  stopAfterOn: boolean;
  stopAfterMinutes: string;
}

export type DhcpField = Exclude<keyof DhcpDraft, 'prefixLength' | 'stopAfterOn'> | 'general';
export type DhcpFieldErrors = Partial<Record<DhcpField, string[]>>;

export function draftFromDhcp(s: DhcpSettings): DhcpDraft {
  return {
    mode: s.mode,
    interfaceAddress: s.interfaceAddress,
    prefixLength: s.prefixLength,
    rangeStart: s.rangeStart,
    rangeEnd: s.rangeEnd,
    leaseSeconds: String(s.leaseSeconds),
    router: s.router ?? '',
    dns: (s.dns ?? []).join(', '),
    domainName: s.domainName ?? '',
    bootFile: s.bootFile ?? '',
    bootFileUefi: s.bootFileUefi ?? '',
    bootFileIpxe: s.bootFileIpxe ?? '',
    bootFileArm64: s.bootFileArm64 ?? '',
    tftpServerName: s.tftpServerName ?? '',
    reservations: s.reservations
      .map((r) => `${r.mac}=${r.address}${r.bootFile ? `,${r.bootFile}` : ''}`)
      .join('\n'),
    customOptions: s.customOptions.map((o) => `${o.code}=${o.value}`).join('\n'),
    allowMacs: s.allowMacs.join('\n'),
    allowVendorPrefixes: s.allowVendorPrefixes.join('\n'),
    offerLogServer: s.offerLogServer === true,
    force: s.force,
    stopAfterOn: s.stopAfterMinutes !== undefined,
    stopAfterMinutes: String(s.stopAfterMinutes ?? 60),
  };
}

const lines = (text: string) =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
const listOf = (text: string) => text.split(/[\s,]+/).filter((x) => x !== '');
const whole = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN);

function optional<K extends keyof DhcpSettings>(out: DhcpSettings, key: K, value: string): void {
  if (value.trim() !== '') out[key] = value.trim() as DhcpSettings[K];
}

/** The settings the draft means, and what could not even be read (lines without their `=`). */
export function dhcpFromDraft(d: DhcpDraft): { settings: DhcpSettings; unreadable: DhcpFieldErrors } {
  const unreadable: DhcpFieldErrors = {};
  const reservations: DhcpReservation[] = [];
  for (const line of lines(d.reservations)) {
    const m = /^([^=]+)=([^,]+)(?:,(.*))?$/.exec(line);
    if (!m) {
      (unreadable.reservations ??= []).push(`"${line}" must look like MAC=IP or MAC=IP,boot file.`);
      continue;
    }
    const r: DhcpReservation = { mac: (m[1] as string).trim(), address: (m[2] as string).trim() };
    if (m[3] !== undefined && m[3].trim() !== '') r.bootFile = m[3].trim();
    reservations.push(r);
  }
  const customOptions: DhcpCustomOption[] = [];
  for (const line of lines(d.customOptions)) {
    const m = /^(\d{1,3})\s*=(.*)$/.exec(line);
    if (!m) {
      (unreadable.customOptions ??= []).push(`"${line}" must look like CODE=VALUE, e.g. 42=ip:10.0.0.1.`);
      continue;
    }
    customOptions.push({ code: Number(m[1]), value: (m[2] as string).trim() });
  }
  const settings: DhcpSettings = {
    ...DHCP_DEFAULTS,
    mode: d.mode,
    interfaceAddress: d.interfaceAddress,
    prefixLength: d.prefixLength,
    rangeStart: d.rangeStart.trim(),
    rangeEnd: d.rangeEnd.trim(),
    leaseSeconds: whole(d.leaseSeconds),
    customOptions,
    reservations,
    allowMacs: listOf(d.allowMacs),
    allowVendorPrefixes: lines(d.allowVendorPrefixes),
    force: d.force,
  };
  if (d.offerLogServer) settings.offerLogServer = true;
  optional(settings, 'router', d.router);
  if (listOf(d.dns).length > 0) settings.dns = listOf(d.dns);
  optional(settings, 'domainName', d.domainName);
  optional(settings, 'bootFile', d.bootFile);
  optional(settings, 'bootFileUefi', d.bootFileUefi);
  optional(settings, 'bootFileIpxe', d.bootFileIpxe);
  optional(settings, 'bootFileArm64', d.bootFileArm64);
  optional(settings, 'tftpServerName', d.tftpServerName);
  if (d.stopAfterOn) settings.stopAfterMinutes = whole(d.stopAfterMinutes);
  return { settings, unreadable };
}

/** Which field a message of validateDhcpSettings is about (its wording names it first). */
export function fieldOfMessage(message: string): DhcpField {
  const rules: [RegExp, DhcpField][] = [
    [/^(Interface address|Prefix length)/, 'interfaceAddress'],
    [/^(Range start|Range end|The range)/, 'rangeStart'],
    [/^Router/, 'router'],
    [/^Lease time/, 'leaseSeconds'],
    [/^DNS server/, 'dns'],
    [/^Domain name/, 'domainName'],
    [/^(Boot file of|Reservation MAC|MAC |Reserved address|Address )/, 'reservations'],
    [/^(Boot file|proxyDHCP only)/, 'bootFile'],
    [/^UEFI boot file/, 'bootFileUefi'],
    [/^ARM64 boot file/, 'bootFileArm64'],
    [/^iPXE boot file/, 'bootFileIpxe'],
    [/^TFTP server name/, 'tftpServerName'],
    [/^Allowed MAC/, 'allowMacs'],
    [/^Vendor class prefix/, 'allowVendorPrefixes'],
    [/^Option /, 'customOptions'],
    [/^Auto-stop/, 'stopAfterMinutes'],
    [/^Unknown DHCP mode/, 'mode'],
  ];
  return rules.find(([re]) => re.test(message))?.[1] ?? 'general';
}

export function errorsByField(messages: readonly string[]): DhcpFieldErrors {
  const out: DhcpFieldErrors = {};
  for (const m of messages) (out[fieldOfMessage(m)] ??= []).push(m);
  return out;
}

/** Every problem of the draft, per field: lines that cannot be read, then the shared check. */
export function checkDraft(d: DhcpDraft): { settings: DhcpSettings; errors: DhcpFieldErrors } {
  const { settings, unreadable } = dhcpFromDraft(d);
  const errors = errorsByField(validateDhcpSettings(settings));
  for (const [field, list] of Object.entries(unreadable) as [DhcpField, string[]][])
    errors[field] = [...list, ...(errors[field] ?? [])];
  return { settings, errors };
}

export interface Ipv4Choice {
  interface: string;
  address: string;
  prefix: number;
  internal: boolean;
}

/** Every IPv4 address of this machine, the interfaces devices can reach first. */
export function ipv4Choices(interfaces: readonly NetInterface[]): Ipv4Choice[] {
  const all = interfaces.flatMap((i) =>
    i.addresses
      .filter((a) => a.family === 'IPv4')
      .map((a) => ({ interface: i.name, address: a.address, prefix: a.prefix, internal: i.internal })),
  );
  return [...all.filter((c) => !c.internal), ...all.filter((c) => c.internal)];
}

/**
 * A pool in the interface's subnet that leaves out this machine's address, the network and
 * broadcast addresses and the low addresses routers and servers usually have: .100-.199 on a /24,
 * the largest run of up to 100 free addresses otherwise. Undefined when the subnet has no room
 * (prefix over 30) or the address is not IPv4.
 */
export function suggestRange(
  address: string,
  prefixLength: number,
): { start: string; end: string } | undefined {
  const own = parseIpv4(address);
  if (own === undefined || !Number.isInteger(prefixLength) || prefixLength < 8 || prefixLength > 30)
    return undefined;
  const first = networkOf(own, prefixLength) + 1;
  const last = broadcastOf(own, prefixLength) - 1;
  const size = last - first + 1;
  const want = Math.min(100, size);
  // prefer from .100 when the subnet is large enough, else its upper half
  let start = size >= 200 ? first + 99 : first + Math.floor(size / 2);
  let end = Math.min(last, start + want - 1);
  if (own >= start && own <= end) {
    // above the address when a whole pool fits there, else the larger side
    const below = own - first;
    const above = last - own;
    if (above >= want || above >= below) {
      start = own + 1;
      end = Math.min(last, start + want - 1);
    } else {
      end = own - 1;
      start = Math.max(first, end - want + 1);
    }
  }
  if (start > end) return undefined;
  return { start: formatIpv4(start), end: formatIpv4(end) };
}

/** True when both ends of the range are in the subnet of this address. */
export function rangeFits(
  d: Pick<DhcpDraft, 'interfaceAddress' | 'prefixLength' | 'rangeStart' | 'rangeEnd'>,
): boolean {
  const own = parseIpv4(d.interfaceAddress);
  const start = parseIpv4(d.rangeStart);
  const end = parseIpv4(d.rangeEnd);
  if (own === undefined || start === undefined || end === undefined) return false;
  return sameSubnet(own, start, d.prefixLength) && sameSubnet(own, end, d.prefixLength);
}

/** The draft after choosing an interface: a range suggested when the current one does not fit. */
export function chooseInterface(
  d: DhcpDraft,
  choice: Pick<Ipv4Choice, 'address' | 'prefix'>,
): Partial<DhcpDraft> {
  const next: Partial<DhcpDraft> = { interfaceAddress: choice.address, prefixLength: choice.prefix };
  if (!rangeFits({ ...d, ...next, prefixLength: choice.prefix })) {
    const range = suggestRange(choice.address, choice.prefix);
    if (range) {
      next.rangeStart = range.start;
      next.rangeEnd = range.end;
    }
  }
  return next;
}

/** 45 s, 12 min, 3 h 05 min, 2 d 4 h; 'expired' when the time has passed. */
export function formatTimeLeft(ms: number): string {
  if (!Number.isFinite(ms)) return '—';
  if (ms <= 0) return 'expired';
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 48) return `${h} h ${String(min % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
