// `tftp-desk serve` DHCP flags -> DhcpSettings. Pure: the machine's interfaces come in as data, so
// every refusal is tested without touching a network. The service itself checks the settings again
// (validateDhcpSettings); this module only turns flags into settings and picks the interface.
import {
  DHCP_DEFAULTS,
  validateDhcpSettings,
  type DhcpCustomOption,
  type DhcpReservation,
  type DhcpSettings,
} from '../../shared/dhcp.js';
import { formatIpv4, networkOf, normalizeMac, parseIpv4, sameSubnet } from '../../shared/ipv4.js';

/** The DHCP flags as given, before an interface is chosen. */
export interface DhcpFlags {
  /** --dhcp A-B */
  range?: string;
  /** --dhcp-proxy */
  proxy?: boolean;
  /** --dhcp-interface ADDR */
  interfaceAddress?: string;
  bootFile?: string;
  bootFileUefi?: string;
  bootFileIpxe?: string;
  options?: string[];
  reserve?: string[];
  allowMac?: string;
  force?: boolean;
  stopAfter?: string;
}

/** One IPv4 address of this machine, as os.networkInterfaces() lists it. */
export interface LocalIpv4 {
  name: string;
  address: string;
  prefixLength: number;
  internal: boolean;
}

export type DhcpResolution = { ok: true; settings: DhcpSettings } | { ok: false; message: string };

const fail = (message: string): DhcpResolution => ({ ok: false, message });

export function dhcpRequested(f: DhcpFlags): boolean {
  return f.range !== undefined || f.proxy === true;
}

/** Flags that mean something only with --dhcp or --dhcp-proxy, named for the error. */
function strayFlags(f: DhcpFlags): string[] {
  const given: [string, unknown][] = [
    ['--dhcp-interface', f.interfaceAddress],
    ['--boot-file', f.bootFile],
    ['--boot-file-uefi', f.bootFileUefi],
    ['--boot-file-ipxe', f.bootFileIpxe],
    ['--dhcp-option', f.options?.length ? f.options : undefined],
    ['--dhcp-reserve', f.reserve?.length ? f.reserve : undefined],
    ['--dhcp-allow-mac', f.allowMac],
    ['--dhcp-force', f.force ? true : undefined],
    ['--dhcp-stop-after', f.stopAfter],
  ];
  return given.filter(([, v]) => v !== undefined).map(([name]) => name);
}

function parseRange(text: string): { start: string; end: string } | string {
  const m = /^\s*([\d.]+)\s*-\s*([\d.]+)\s*$/.exec(text);
  const start = m ? parseIpv4(m[1] as string) : undefined;
  const end = m ? parseIpv4(m[2] as string) : undefined;
  if (!m || start === undefined || end === undefined)
    return `--dhcp must be a range of IPv4 addresses such as 192.168.50.100-192.168.50.199, not "${text}".`;
  if (start > end) return `--dhcp ${text}: the first address must not come after the last.`;
  return { start: formatIpv4(start), end: formatIpv4(end) };
}

function parseOption(text: string): DhcpCustomOption | string {
  const m = /^(\d{1,3})=(.*)$/s.exec(text);
  if (!m)
    return `--dhcp-option must look like CODE=VALUE (e.g. 42=ip:10.0.0.1 or 43=hex:0104c0a80001), not "${text}".`;
  return { code: Number(m[1]), value: m[2] as string };
}

function parseReservation(text: string): DhcpReservation | string {
  const m = /^([^=]+)=([\d.]+)$/.exec(text.trim());
  const mac = m ? normalizeMac(m[1] as string) : undefined;
  if (!m || mac === undefined || parseIpv4(m[2] as string) === undefined)
    return `--dhcp-reserve must look like MAC=IP (e.g. 52:54:00:12:34:56=192.168.50.20), not "${text}".`;
  return { mac, address: m[2] as string };
}

/** The text after a value's `ip:`/`text:`/`u32:` form, or the whole value when it has none. */
const bare = (value: string) => value.replace(/^(ip|text|u32):/, '');

/**
 * Options the settings hold by name (router, DNS, domain, lease time, TFTP server, boot file):
 * `--dhcp-option 3=ip:10.0.0.1` means the router setting, as a user of any other DHCP server would
 * expect, instead of a refusal. Returns false for a code the settings do not name.
 */
function setNamedOption(settings: DhcpSettings, o: DhcpCustomOption): boolean | string {
  const value = bare(o.value).trim();
  switch (o.code) {
    case 3:
      settings.router = value.split(',')[0]?.trim() ?? '';
      return true;
    case 6:
      settings.dns = value.split(',').map((x) => x.trim());
      return true;
    case 15:
      settings.domainName = value;
      return true;
    case 51:
      if (!/^\d{1,9}$/.test(value)) return `--dhcp-option 51 (lease time) must be seconds, not "${o.value}".`;
      settings.leaseSeconds = Number(value);
      return true;
    case 66:
      settings.tftpServerName = value;
      return true;
    case 67:
      settings.bootFile ??= value;
      return true;
    default:
      return false;
  }
}

const describe = (i: LocalIpv4) => `${i.name} ${i.address}/${i.prefixLength}`;

/**
 * The interface DHCP serves on. With a range: the one whose subnet holds it. In proxy mode: the one
 * --dhcp-interface or a single --host names, else the only external IPv4 interface. Never a guess
 * between several: a DHCP server on the wrong segment is the one mistake this must not make.
 */
function chooseInterface(
  f: DhcpFlags,
  range: { start: string; end: string } | undefined,
  locals: readonly LocalIpv4[],
  hosts: readonly string[],
): LocalIpv4 | string {
  const v4 = locals.filter((i) => parseIpv4(i.address) !== undefined);
  const named = f.interfaceAddress ?? (hosts.length === 1 ? hosts[0] : undefined);
  if (named !== undefined && (f.interfaceAddress !== undefined || parseIpv4(named) !== undefined)) {
    const found = v4.find((i) => i.address === named);
    if (!found) {
      const have = v4.map(describe).join(', ') || 'none';
      return `No interface of this machine has the address ${named} (IPv4 addresses here: ${have}).`;
    }
    return found;
  }
  if (range) {
    const start = parseIpv4(range.start) as number;
    const end = parseIpv4(range.end) as number;
    const holding = v4.filter((i) => {
      const own = parseIpv4(i.address) as number;
      return sameSubnet(start, own, i.prefixLength) && sameSubnet(end, own, i.prefixLength);
    });
    if (holding.length === 1) return holding[0] as LocalIpv4;
    if (holding.length === 0) {
      const have = v4.map(describe).join(', ') || 'none';
      return `No interface of this machine is on the subnet of ${range.start}-${range.end} (IPv4 addresses here: ${have}). Give the interface the device is on an address in that subnet first, or pick a range in its subnet.`;
    }
    return `Several interfaces are on the subnet of ${range.start}-${range.end} (${holding.map(describe).join(', ')}): name one with --dhcp-interface ADDR.`;
  }
  const external = v4.filter((i) => !i.internal);
  if (external.length === 1) return external[0] as LocalIpv4;
  const have = external.map(describe).join(', ') || 'none';
  return `Proxy DHCP needs the interface the devices are on: name it with --dhcp-interface ADDR (IPv4 addresses here: ${have}).`;
}

/** The DHCP settings for these flags, or the reason there are none; mode 'off' when none were given. */
export function resolveDhcpFlags(
  f: DhcpFlags,
  locals: readonly LocalIpv4[],
  hosts: readonly string[] = [],
): DhcpResolution {
  if (!dhcpRequested(f)) {
    const stray = strayFlags(f);
    if (stray.length > 0)
      return fail(
        `${stray.join(', ')} need --dhcp RANGE (hand out addresses) or --dhcp-proxy (boot files only).`,
      );
    return { ok: true, settings: { ...DHCP_DEFAULTS } };
  }
  if (f.range !== undefined && f.proxy)
    return fail(
      '--dhcp and --dhcp-proxy exclude each other: --dhcp hands out addresses, --dhcp-proxy only boot files beside another DHCP server.',
    );

  const range = f.range !== undefined ? parseRange(f.range) : undefined;
  if (typeof range === 'string') return fail(range);
  const options: DhcpCustomOption[] = [];
  for (const text of f.options ?? []) {
    const o = parseOption(text);
    if (typeof o === 'string') return fail(o);
    options.push(o);
  }
  const reservations: DhcpReservation[] = [];
  for (const text of f.reserve ?? []) {
    const r = parseReservation(text);
    if (typeof r === 'string') return fail(r);
    reservations.push(r);
  }
  const allowMacs: string[] = [];
  for (const text of (f.allowMac ?? '').split(',').filter((x) => x.trim() !== '')) {
    const mac = normalizeMac(text.trim());
    if (mac === undefined) return fail(`--dhcp-allow-mac: "${text.trim()}" is not a MAC address.`);
    allowMacs.push(mac);
  }
  let stopAfterMinutes: number | undefined;
  if (f.stopAfter !== undefined) {
    if (!/^\d{1,6}$/.test(f.stopAfter) || Number(f.stopAfter) === 0)
      return fail(`--dhcp-stop-after must be a whole number of minutes, 1 or more, not "${f.stopAfter}".`);
    stopAfterMinutes = Number(f.stopAfter);
  }

  const chosen = chooseInterface(f, range, locals, hosts);
  if (typeof chosen === 'string') return fail(chosen);

  const settings: DhcpSettings = {
    ...DHCP_DEFAULTS,
    mode: range ? 'provision' : 'proxy',
    interfaceAddress: chosen.address,
    prefixLength: chosen.prefixLength,
    rangeStart: range?.start ?? '',
    rangeEnd: range?.end ?? '',
    customOptions: [],
    reservations,
    allowMacs,
    force: f.force ?? false,
  };
  if (f.bootFile !== undefined) settings.bootFile = f.bootFile;
  for (const o of options) {
    const named = setNamedOption(settings, o);
    if (typeof named === 'string') return fail(named);
    if (!named) settings.customOptions.push(o);
  }
  if (f.bootFileUefi !== undefined) settings.bootFileUefi = f.bootFileUefi;
  if (f.bootFileIpxe !== undefined) settings.bootFileIpxe = f.bootFileIpxe;
  if (stopAfterMinutes !== undefined) settings.stopAfterMinutes = stopAfterMinutes;
  if (settings.mode === 'proxy' && !settings.bootFile && !settings.bootFileUefi && !settings.bootFileIpxe)
    return fail('--dhcp-proxy hands out boot files only: give at least --boot-file (or --boot-file-uefi).');

  const errors = validateDhcpSettings(settings);
  if (errors.length > 0) {
    const subnet = `${formatIpv4(networkOf(parseIpv4(chosen.address) as number, chosen.prefixLength))}/${chosen.prefixLength}`;
    return fail(`DHCP on ${chosen.name} (${chosen.address}, subnet ${subnet}): ${errors.join(' ')}`);
  }
  return { ok: true, settings };
}

/**
 * With the syslog receiver on, the boot services point devices at it with option 7 (log server),
 * unless a custom option 7 names another. The option has no port: devices send to 514, so any
 * other port gets a warning.
 */
export function withLogServer(
  settings: DhcpSettings,
  syslogPort: number | undefined,
): { settings: DhcpSettings; warning?: string } {
  if (syslogPort === undefined || settings.mode === 'off') return { settings };
  if (settings.customOptions.some((o) => o.code === 7)) return { settings };
  const next = { ...settings, offerLogServer: true };
  if (syslogPort === 514) return { settings: next };
  return {
    settings: next,
    warning: `warning: DHCP option 7 names this machine as the devices' log server, and devices send syslog to port 514; the receiver listens on port ${syslogPort}.`,
  };
}
