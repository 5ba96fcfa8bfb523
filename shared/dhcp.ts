// The DHCP/BOOTP service as the UI, the CLI and the service see it: settings, their check, the lease
// and decision records the service reports. Pure: no node:*, no DOM.
import { customOptionBytes, RESERVED_OPTION_CODES } from './dhcp-options.js';
import { broadcastOf, formatIpv4, networkOf, normalizeMac, parseIpv4, sameSubnet } from './ipv4.js';

export {
  customOptionBytes,
  MAX_CUSTOM_OPTION_BYTES,
  RESERVED_OPTION_CODES,
  type CustomOptionBytes,
} from './dhcp-options.js';

export type DhcpMode = 'off' | 'provision' | 'proxy';

export interface DhcpReservation {
  mac: string;
  address: string;
  /** overrides the architecture's boot file for this host (not for a client already running iPXE) */
  bootFile?: string;
}

export interface DhcpCustomOption {
  code: number;
  /** `hex:0a0b0c`, `ip:1.2.3.4,5.6.7.8`, `u8:1`, `u16:1500`, `u32:86400`, `text:...`, or plain text */
  value: string;
}

export interface DhcpSettings {
  mode: DhcpMode;
  /** our IPv4 on the chosen interface, e.g. '10.99.0.1': siaddr, option 54 and the TFTP server */
  interfaceAddress: string;
  /** that interface's subnet, e.g. 24 */
  prefixLength: number;
  /** provision mode pool, inclusive */
  rangeStart: string;
  rangeEnd: string;
  leaseSeconds: number;
  router?: string;
  dns?: string[];
  domainName?: string;
  /**
   * Boot file names may hold placeholders, replaced per client: `$MAC$` (`aa-bb-cc-dd-ee-ff`),
   * `$IP$` (the address it gets, `0.0.0.0` when none yet), `$ARCH$` (`bios`, `efi32`, `efi64`,
   * `arm64`, or `arch<N>` for another option 93 value).
   */
  bootFile?: string;
  /** option 93 = 7 or 9 (x64 UEFI) */
  bootFileUefi?: string;
  /** option 93 = 11 (ARM64 UEFI) */
  bootFileArm64?: string;
  /** a client already running iPXE (option 77 user class "iPXE"), so chainloading never loops */
  bootFileIpxe?: string;
  /**
   * Option 7 (log server, RFC 2132 section 3.7) = interfaceAddress: devices that honour it send
   * their syslog here. The option carries no port, so it helps when the receiver is on 514.
   * A custom option 7 replaces it.
   */
  offerLogServer?: boolean;
  /** sname / option 66; default: interfaceAddress */
  tftpServerName?: string;
  /** sent in every DHCP reply; in proxy mode a custom option 43 replaces the PXE discovery control */
  customOptions: DhcpCustomOption[];
  reservations: DhcpReservation[];
  /** empty = everyone */
  allowMacs: string[];
  /** option 60 prefixes, e.g. 'PXEClient'; empty = everyone */
  allowVendorPrefixes: string[];
  /** start although a rival DHCP server answered */
  force: boolean;
  stopAfterMinutes?: number;
}

export const DHCP_DEFAULTS: DhcpSettings = {
  mode: 'off',
  interfaceAddress: '',
  prefixLength: 24,
  rangeStart: '',
  rangeEnd: '',
  leaseSeconds: 3600,
  customOptions: [],
  reservations: [],
  allowMacs: [],
  allowVendorPrefixes: [],
  force: false,
};

export interface DhcpLeaseView {
  mac: string;
  address: string;
  state: 'offered' | 'bound' | 'released' | 'declined' | 'expired';
  expiresAt: number;
  hostname?: string;
  vendorClass?: string;
  arch?: number;
  bootFile?: string;
  reserved: boolean;
}

export interface DhcpDecision {
  at: number;
  mac: string;
  xid: number;
  /** 'DISCOVER' | 'REQUEST' | 'DECLINE' | 'RELEASE' | 'INFORM' | 'BOOTP' | 'OFFER' ... */
  kind: string;
  outcome: 'offered' | 'acked' | 'nak' | 'ignored' | 'released' | 'declined' | 'informed' | 'bootp-replied';
  /** plain words, always set: why this answer, or why none */
  reason: string;
  address?: string;
  bootFile?: string;
  vendorClass?: string;
  arch?: number;
  userClass?: string;
  via: 'dhcp' | 'proxy-67' | 'proxy-4011';
}

export interface DhcpServiceState {
  status: 'stopped' | 'checking' | 'running' | 'error';
  mode: DhcpMode;
  message?: string;
  hint?: string;
  rival?: { address: string; offered?: string };
}

export type DhcpEvent =
  | { type: 'dhcp-state'; state: DhcpServiceState }
  | { type: 'dhcp-decision'; decision: DhcpDecision }
  | { type: 'dhcp-leases'; leases: DhcpLeaseView[] };

/** Longest names the fixed BOOTP fields hold with their terminating NUL (RFC 951). */
export const MAX_BOOT_FILE_BYTES = 127;
export const MAX_SERVER_NAME_BYTES = 63;
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++)
    if (text.charCodeAt(i) < 0x20 || text.charCodeAt(i) === 0x7f) return true;
  return false;
}

function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/**
 * Human messages for everything that would make the service misbehave; [] = fine. Mode 'off' is
 * always fine (nothing runs); proxy mode needs no pool.
 */
export function validateDhcpSettings(s: DhcpSettings): string[] {
  const errors: string[] = [];
  if (s.mode === 'off') return errors;
  if (s.mode !== 'provision' && s.mode !== 'proxy') return [`Unknown DHCP mode "${String(s.mode)}".`];

  const own = parseIpv4(s.interfaceAddress);
  const prefixOk = Number.isInteger(s.prefixLength) && s.prefixLength >= 8 && s.prefixLength <= 30;
  if (own === undefined) errors.push(`Interface address "${s.interfaceAddress}" is not an IPv4 address.`);
  if (!prefixOk) errors.push(`Prefix length /${s.prefixLength} must be a whole number from 8 to 30.`);
  const subnet =
    own !== undefined && prefixOk
      ? { net: networkOf(own, s.prefixLength), bcast: broadcastOf(own, s.prefixLength) }
      : undefined;
  const cidr = subnet ? `${formatIpv4(subnet.net)}/${s.prefixLength}` : 'the interface subnet';
  if (subnet && own !== undefined && (own === subnet.net || own === subnet.bcast))
    errors.push(`Interface address ${s.interfaceAddress} is the network or broadcast address of ${cidr}.`);

  const router = s.router ? parseIpv4(s.router) : undefined;
  /** an address hosts on the link can use: inside the subnet, not its network or broadcast address */
  const checkHost = (label: string, text: string): number | undefined => {
    const a = parseIpv4(text);
    if (a === undefined) {
      errors.push(`${label} "${text}" is not an IPv4 address.`);
      return undefined;
    }
    if (subnet && own !== undefined && !sameSubnet(a, own, s.prefixLength))
      errors.push(`${label} ${text} is outside ${cidr}, the subnet of ${s.interfaceAddress}.`);
    else if (subnet && (a === subnet.net || a === subnet.bcast))
      errors.push(
        `${label} ${text} is the ${a === subnet.net ? 'network' : 'broadcast'} address of ${cidr}.`,
      );
    return a;
  };

  if (s.mode === 'provision') {
    if (s.router) checkHost('Router', s.router);
    const start = checkHost('Range start', s.rangeStart);
    const end = checkHost('Range end', s.rangeEnd);
    if (start !== undefined && end !== undefined) {
      if (start > end) errors.push(`Range start ${s.rangeStart} is after range end ${s.rangeEnd}.`);
      else {
        const inside = (a: number | undefined) => a !== undefined && a >= start && a <= end;
        if (inside(own))
          errors.push(
            `The range ${s.rangeStart}-${s.rangeEnd} contains this server's own address ${s.interfaceAddress}; move the range or the interface address.`,
          );
        if (inside(router))
          errors.push(
            `The range ${s.rangeStart}-${s.rangeEnd} contains the router ${s.router}; leave it out of the pool.`,
          );
        if (subnet && (inside(subnet.net) || inside(subnet.bcast)))
          errors.push(
            `The range ${s.rangeStart}-${s.rangeEnd} contains the network or broadcast address of ${cidr}.`,
          );
      }
    }
    if (!Number.isInteger(s.leaseSeconds) || s.leaseSeconds < 60 || s.leaseSeconds > 0x7fffffff)
      errors.push(`Lease time ${s.leaseSeconds} s must be a whole number of seconds, at least 60.`);
    for (const d of s.dns ?? [])
      if (parseIpv4(d) === undefined) errors.push(`DNS server "${d}" is not an IPv4 address.`);
    if (s.domainName !== undefined && s.domainName !== '' && !/^[A-Za-z0-9.-]{1,253}$/.test(s.domainName))
      errors.push(`Domain name "${s.domainName}" may hold only letters, digits, dots and hyphens.`);
  } else if (!s.bootFile && !s.bootFileUefi && !s.bootFileArm64 && !s.bootFileIpxe) {
    errors.push('proxyDHCP only tells PXE clients what to boot: set at least one boot file.');
  }

  const names: [string, string | undefined, number][] = [
    ['Boot file', s.bootFile, MAX_BOOT_FILE_BYTES],
    ['UEFI boot file', s.bootFileUefi, MAX_BOOT_FILE_BYTES],
    ['ARM64 boot file', s.bootFileArm64, MAX_BOOT_FILE_BYTES],
    ['iPXE boot file', s.bootFileIpxe, MAX_BOOT_FILE_BYTES],
    ['TFTP server name', s.tftpServerName, MAX_SERVER_NAME_BYTES],
    ...s.reservations.map((r): [string, string | undefined, number] => [
      `Boot file of ${r.mac}`,
      r.bootFile,
      MAX_BOOT_FILE_BYTES,
    ]),
  ];
  for (const [label, value, max] of names) {
    if (value === undefined) continue;
    if (hasControl(value)) errors.push(`${label} "${value}" holds a control character.`);
    else if (byteLength(value) > max)
      errors.push(`${label} is ${byteLength(value)} bytes; the BOOTP field holds ${max}.`);
  }

  const reservedMacs = new Set<string>();
  const reservedAddresses = new Map<number, string>();
  for (const r of s.reservations) {
    const mac = normalizeMac(r.mac);
    if (mac === undefined)
      errors.push(`Reservation MAC "${r.mac}" is not a MAC address (like aa:bb:cc:dd:ee:ff).`);
    else if (reservedMacs.has(mac)) errors.push(`MAC ${mac} has more than one reservation.`);
    else reservedMacs.add(mac);
    const a = checkHost(`Reserved address for ${r.mac}`, r.address);
    if (a === undefined) continue;
    if (a === own) errors.push(`Reserved address ${r.address} is this server's own address.`);
    if (a === router) errors.push(`Reserved address ${r.address} is the router.`);
    const other = reservedAddresses.get(a);
    if (other !== undefined) errors.push(`Address ${r.address} is reserved for both ${other} and ${r.mac}.`);
    reservedAddresses.set(a, r.mac);
  }
  for (const m of s.allowMacs)
    if (normalizeMac(m) === undefined)
      errors.push(`Allowed MAC "${m}" is not a MAC address (like aa:bb:cc:dd:ee:ff).`);
  for (const p of s.allowVendorPrefixes)
    if (p.length === 0 || hasControl(p))
      errors.push(`Vendor class prefix "${p}" must be non-empty printable text.`);

  const seen = new Set<number>();
  for (const o of s.customOptions) {
    if (!Number.isInteger(o.code) || o.code < 0 || o.code > 255) {
      errors.push(`Option code ${o.code} must be a whole number from 1 to 254.`);
      continue;
    }
    const why = RESERVED_OPTION_CODES.get(o.code);
    if (why !== undefined) errors.push(`Option ${o.code} cannot be a custom option: ${why}.`);
    if (seen.has(o.code)) errors.push(`Option ${o.code} is set twice; give each code once.`);
    seen.add(o.code);
    const bytes = customOptionBytes(o.value);
    if (!bytes.ok) errors.push(`Option ${o.code}: ${bytes.error}.`);
  }
  if (s.stopAfterMinutes !== undefined && (!Number.isInteger(s.stopAfterMinutes) || s.stopAfterMinutes < 1))
    errors.push(
      `Auto-stop after ${s.stopAfterMinutes} minutes must be a whole number of minutes, at least 1.`,
    );
  return errors;
}
