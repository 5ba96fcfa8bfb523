// The pre-flight check ("can the device reach us?"): what the UI asks for and what each check
// answers, in plain words with the fix for this OS. The checks themselves live in
// electron/app/preflight/; this is only their vocabulary and the known recovery recipes.
import { isIpAddress } from './address-shape.js';

export interface PreflightRequest {
  /** the server address the device expects to find (a recovery mode hard-codes it) */
  serverAddress?: string;
  /** its prefix length when the address must be added (24 when absent) */
  prefix?: number;
  /** the device's own address: checked against the allow-list and the per-client limit */
  deviceAddress?: string;
  /** the interface the device is cabled to (its name, as listed by the interfaces panel) */
  interface?: string;
  /** the UDP port to check; the server's port when absent */
  port?: number;
}

/**
 * ok: nothing in the way. problem: this stops the device. warning: it may. unknown: this check
 * could not run here (a missing command, no rights), and it says why instead of guessing.
 * skipped: not asked for (no address given) or not for this OS.
 */
export type PreflightStatus = 'ok' | 'problem' | 'warning' | 'unknown' | 'skipped';

export type PreflightCheckId = 'address' | 'port-holder' | 'self-request' | 'firewall' | 'allow-list';

export interface PreflightFix {
  /** what to do, in words */
  text: string;
  /** the exact command, when there is one (run it as administrator / root) */
  command?: string;
}

export interface PreflightCheck {
  id: PreflightCheckId;
  title: string;
  status: PreflightStatus;
  /** one or two plain sentences: what was found */
  summary: string;
  /** what was run or read to find it (e.g. "ss -ulpn"), for the curious */
  evidence?: string;
  /** further lines that inform without changing the verdict (which device profile would apply) */
  notes?: string[];
  fix?: PreflightFix;
}

export interface PreflightReport {
  platform: string;
  port: number;
  /** the address the checks used: the one asked for, or the chosen interface's first IPv4 */
  serverAddress?: string;
  checks: PreflightCheck[];
  /** ms since the epoch */
  ranAt: number;
}

/**
 * A recovery mode that hard-codes where it looks for its TFTP server. `pull`: the device fetches
 * from us (this server must hold `serverAddress`). `push`: the device is the TFTP server and we
 * send to it (the "Send to device" tab), so we only need an address on its subnet.
 */
export interface RecoveryRecipe {
  id: string;
  label: string;
  direction: 'pull' | 'push';
  /** the address this machine must have */
  serverAddress: string;
  prefix: number;
  /** the address the device takes in recovery mode */
  deviceAddress: string;
  /** the file name it asks for, when it is fixed */
  fileName?: string;
  /** where the numbers come from, in that source's words */
  source: string;
}

export const RECOVERY_RECIPES: readonly RecoveryRecipe[] = [
  {
    id: 'tp-link',
    label: 'TP-Link router recovery (most models)',
    direction: 'pull',
    serverAddress: '192.168.0.66',
    prefix: 24,
    deviceAddress: '192.168.0.86',
    fileName: '<model>_tp_recovery.bin (the exact name varies per model: the inspector shows it)',
    source:
      'OpenWrt device pages for TP-Link routers: "set your computer to the static IP 192.168.0.66"; the router asks from 192.168.0.86.',
  },
  {
    id: 'mt7622-uboot',
    label: 'Belkin RT3200 / Linksys E8450 U-Boot menu',
    direction: 'pull',
    serverAddress: '192.168.1.254',
    prefix: 24,
    deviceAddress: '192.168.1.1',
    source:
      'fcefyn testbed notes (Belkin RT3200 / Linksys E8450): "DUT: ipaddr≈192.168.1.1 - TFTP server: serverip≈192.168.1.254".',
  },
  {
    id: 'linksys-wrt54g',
    label: 'Linksys WRT54G CFE (device is the server: use Send to device)',
    direction: 'push',
    serverAddress: '192.168.1.2',
    prefix: 24,
    deviceAddress: '192.168.1.1',
    source: 'OpenWrt WRT54G notes: "The bootloader always sets 192.168.1.1 as the devices IP Address."',
  },
  {
    id: 'netgear',
    label: 'Netgear TFTP recovery (device is the server: use Send to device)',
    direction: 'push',
    serverAddress: '192.168.1.2',
    prefix: 24,
    deviceAddress: '192.168.1.1',
    source:
      'OpenWrt TFTP recovery guide: "many Netgear routers run a TFTP server in recovery mode, and you need to upload the firmware to the device using a TFTP client."',
  },
];

export const PREFLIGHT_STATUS_WORDS: Record<PreflightStatus, string> = {
  ok: 'OK',
  problem: 'Problem',
  warning: 'Check',
  unknown: 'Could not check',
  skipped: 'Skipped',
};

export type PreflightRequestRead = { ok: true; value: PreflightRequest } | { ok: false; error: string };

const REQUEST_KEYS = new Set(['serverAddress', 'prefix', 'deviceAddress', 'interface', 'port']);

function isWhole(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/**
 * Checks a request from a renderer or a browser (untrusted): plain addresses, a short interface
 * name, a port and prefix in range. Empty strings mean "not given", as a blank form field does.
 */
export function readPreflightRequest(arg: unknown): PreflightRequestRead {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg))
    return { ok: false, error: 'The check takes an object.' };
  const a = arg as Record<string, unknown>;
  const unknownKey = Object.keys(a).find((k) => !REQUEST_KEYS.has(k));
  if (unknownKey !== undefined) return { ok: false, error: `Unknown field "${unknownKey.slice(0, 64)}".` };
  const out: PreflightRequest = {};
  for (const key of ['serverAddress', 'deviceAddress'] as const) {
    const v = a[key];
    if (v === undefined || v === '') continue;
    if (typeof v !== 'string' || !isIpAddress(v.trim()))
      return {
        ok: false,
        error: `${key === 'serverAddress' ? 'The server address' : "The device's address"} must be an IPv4 or IPv6 address.`,
      };
    out[key] = v.trim();
  }
  if (a.interface !== undefined && a.interface !== '') {
    if (typeof a.interface !== 'string' || a.interface.length > 128 || /[\0\n\r"]/.test(a.interface))
      return { ok: false, error: 'The interface must be the name of one of this machine’s interfaces.' };
    out.interface = a.interface;
  }
  if (a.port !== undefined) {
    if (!isWhole(a.port, 1, 65535))
      return { ok: false, error: 'The port must be a whole number from 1 to 65535.' };
    out.port = a.port;
  }
  if (a.prefix !== undefined) {
    if (!isWhole(a.prefix, 0, 128)) return { ok: false, error: 'The prefix length must be from 0 to 128.' };
    out.prefix = a.prefix;
  }
  return { ok: true, value: out };
}
