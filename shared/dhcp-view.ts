// The boot services (DHCP, BOOTP, proxyDHCP) as the contract carries them between the app and a UI,
// and the shape check for settings that arrive from outside (a renderer, a browser, a settings file
// edited by hand). Pure: no node:*, no DOM.
import { DHCP_DEFAULTS, type DhcpLeaseView, type DhcpServiceState, type DhcpSettings } from './dhcp.js';

/** What the Boot services tab needs to draw at once. */
export interface DhcpView {
  settings: DhcpSettings;
  state: DhcpServiceState;
  leases: DhcpLeaseView[];
}

/** errors: the settings check's messages (validateDhcpSettings), one per problem */
export type SetDhcpSettingsResult = { ok: true; settings: DhcpSettings } | { ok: false; errors: string[] };

const MODES = ['off', 'provision', 'proxy'];
/** bounds one settings object's memory: lists longer than this are refused */
export const MAX_DHCP_LIST = 1024;
const MAX_TEXT = 1024;

type Shape =
  'string' | 'number' | 'boolean' | 'strings' | 'optional-string' | 'optional-number' | 'optional-boolean';

const FIELDS: Readonly<Record<keyof DhcpSettings, Shape | 'reservations' | 'options'>> = {
  mode: 'string',
  interfaceAddress: 'string',
  prefixLength: 'number',
  rangeStart: 'string',
  rangeEnd: 'string',
  leaseSeconds: 'number',
  router: 'optional-string',
  dns: 'strings',
  domainName: 'optional-string',
  bootFile: 'optional-string',
  bootFileUefi: 'optional-string',
  bootFileArm64: 'optional-string',
  bootFileIpxe: 'optional-string',
  tftpServerName: 'optional-string',
  offerLogServer: 'optional-boolean',
  customOptions: 'options',
  reservations: 'reservations',
  allowMacs: 'strings',
  allowVendorPrefixes: 'strings',
  force: 'boolean',
  stopAfterMinutes: 'optional-number',
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const isText = (v: unknown): v is string => typeof v === 'string' && v.length <= MAX_TEXT;
const isList = (v: unknown): v is unknown[] => Array.isArray(v) && v.length <= MAX_DHCP_LIST;

function fieldProblem(key: string, shape: Shape | 'reservations' | 'options', v: unknown): string | null {
  switch (shape) {
    case 'string':
      return isText(v) ? null : `${key} must be text.`;
    case 'number':
      return typeof v === 'number' ? null : `${key} must be a number.`;
    case 'boolean':
      return typeof v === 'boolean' ? null : `${key} must be on or off.`;
    case 'optional-string':
      return v === undefined || isText(v) ? null : `${key} must be text.`;
    case 'optional-number':
      return v === undefined || typeof v === 'number' ? null : `${key} must be a number.`;
    case 'optional-boolean':
      return v === undefined || typeof v === 'boolean' ? null : `${key} must be on or off.`;
    case 'strings':
      // dns is optional in the type; an absent list is as good as an empty one
      if (v === undefined && key === 'dns') return null;
      return isList(v) && v.every(isText) ? null : `${key} must be a list of text.`;
    case 'reservations':
      return isList(v) &&
        v.every(
          (r) =>
            isRecord(r) &&
            isText(r.mac) &&
            isText(r.address) &&
            (r.bootFile === undefined || isText(r.bootFile)),
        )
        ? null
        : 'reservations must be a list of { mac, address, bootFile? }.';
    case 'options':
      return isList(v) && v.every((o) => isRecord(o) && typeof o.code === 'number' && isText(o.value))
        ? null
        : 'customOptions must be a list of { code, value }.';
  }
}

/**
 * The settings when `raw` has their shape (every field of the right type, nothing unknown, lists
 * bounded), copied field by field so nothing else rides along; else why not. Values are judged by
 * validateDhcpSettings afterwards.
 */
export function readDhcpSettings(
  raw: unknown,
): { ok: true; settings: DhcpSettings } | { ok: false; error: string } {
  if (!isRecord(raw)) return { ok: false, error: 'DHCP settings must be an object.' };
  const unknownKey = Object.keys(raw).find((k) => !(k in FIELDS));
  if (unknownKey !== undefined)
    return { ok: false, error: `Unknown DHCP setting "${unknownKey.slice(0, 64)}".` };
  const out: Record<string, unknown> = {};
  for (const [key, shape] of Object.entries(FIELDS) as [keyof DhcpSettings, Shape][]) {
    const value = key in raw ? raw[key] : DHCP_DEFAULTS[key];
    const problem = fieldProblem(key, shape, value);
    if (problem !== null) return { ok: false, error: problem };
    if (value !== undefined && value !== null) out[key] = structuredClone(value);
  }
  if (!MODES.includes(out.mode as string))
    return { ok: false, error: `Unknown DHCP mode "${String(out.mode)}".` };
  return { ok: true, settings: out as unknown as DhcpSettings };
}

const ARCH_NAMES: Readonly<Record<number, string>> = {
  0: 'BIOS',
  6: 'UEFI x86',
  7: 'UEFI x64',
  9: 'UEFI x64',
  10: 'UEFI ARM32',
  11: 'UEFI ARM64',
};

/** A client's architecture (DHCP option 93, RFC 4578) in words; '' when it sent none. */
export function archName(arch: number | undefined): string {
  if (arch === undefined) return '';
  return ARCH_NAMES[arch] ?? `arch ${arch}`;
}
