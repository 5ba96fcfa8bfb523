// Settings: one type, its defaults and its validation, shared by electron-store, the CLI and the UI.
// validate() never throws and never fixes a value silently: it returns a message per bad field.
import { DHCP_DEFAULTS, validateDhcpSettings, type DhcpSettings } from './dhcp.js';
import { readDhcpSettings } from './dhcp-view.js';
import { profileRulesProblem, type ProfileRule } from './device-profiles.js';
import { RFC_LIMITS, type UploadPolicy } from './tftp-types.js';
import { isCidrOrAddress, isIpAddress } from './address-shape.js';

export interface EngineSettings {
  /** absolute path of the folder that is served */
  root: string;
  /** addresses to listen on; empty = every local address (kept in step with the interfaces) */
  hosts: string[];
  port: number;
  uploads: UploadPolicy;
  /** allowed client addresses or CIDR ranges; empty = everyone */
  allow: string[];
  maxBlksize: number;
  maxWindowsize: number;
  /** default retransmission timeout in seconds (a client's `timeout` option overrides it) */
  timeout: number;
  retries: number;
  /** transfer ports, e.g. { from: 50000, to: 50100 }; null or undefined = any ephemeral port (null
   * survives JSON, so the browser UI can clear a range) */
  portRange?: { from: number; to: number } | null;
  maxSessions: number;
  maxSessionsPerClient: number;
  /** new requests per second per client address */
  maxRequestsPerSecond: number;
  /** largest accepted upload in bytes */
  maxUploadBytes: number;
  /** look names up case-insensitively when the exact name does not exist (configs written on Windows) */
  caseInsensitive: boolean;
  /** name mapping rules, applied in order before a name is looked up (electron/tftp/name-map.ts) */
  nameMap?: NameMapRule[];
  /** device profile rules, first match wins (shared/device-profiles.ts) */
  profiles?: ProfileRule[];
}

/**
 * One name mapping rule, parsed (JSON-safe, so it persists and crosses IPC as it is). `exact`
 * answers one name with one file; `pattern` rewrites what a regular expression matches.
 */
export type NameMapRule =
  | { kind: 'exact'; name: string; file: string; flags: string; line: number; source: string }
  | { kind: 'pattern'; pattern: string; replacement: string; flags: string; line: number; source: string };

/** A map holds at most this many rules: each request runs through all of them. */
export const MAX_NAME_MAP_RULES = 500;

export type Theme = 'system' | 'light' | 'dark';

export interface AppSettings extends EngineSettings {
  theme: Theme;
  startAtLogin: boolean;
  startMinimized: boolean;
  /** keep serving from the tray when the window is closed */
  closeToTray: boolean;
  notifications: boolean;
  /** start the server when the app opens */
  autoStart: boolean;
  recentRoots: string[];
  /** device addresses the "Send to device" tab used lately, newest first */
  recentDevices: string[];
  /** the boot services (DHCP, BOOTP, proxyDHCP): saved, but never started when the app opens */
  dhcp: DhcpSettings;
}

export const ENGINE_DEFAULTS: Omit<EngineSettings, 'root'> = {
  hosts: [],
  port: 69,
  uploads: 'off',
  allow: [],
  // MTU 1500 - 32: safe on every Ethernet without IP fragmentation (tftp-hpa -B advice)
  maxBlksize: 1468,
  maxWindowsize: 64,
  timeout: 3,
  retries: 5,
  portRange: undefined,
  maxSessions: 200,
  maxSessionsPerClient: 32,
  maxRequestsPerSecond: 100,
  maxUploadBytes: 4 * 1024 * 1024 * 1024,
  caseInsensitive: false,
  profiles: [],
  nameMap: [],
};

export const APP_DEFAULTS: Omit<AppSettings, 'root'> = {
  ...ENGINE_DEFAULTS,
  theme: 'system',
  startAtLogin: false,
  startMinimized: false,
  closeToTray: true,
  notifications: false,
  autoStart: false,
  recentRoots: [],
  recentDevices: [],
  dhcp: DHCP_DEFAULTS,
};

export const MAX_RECENT_ROOTS = 8;
export const MAX_RECENT_DEVICES = 8;

export type SettingsErrors = Partial<Record<keyof AppSettings, string>>;

const UPLOAD_POLICIES: readonly UploadPolicy[] = ['off', 'create', 'overwrite'];

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Validates a partial update; returns the errors (empty when valid). */
export function validateSettings(s: Partial<AppSettings>): SettingsErrors {
  const e: SettingsErrors = {};
  if (s.root !== undefined && (typeof s.root !== 'string' || s.root.length === 0 || s.root.includes('\0')))
    e.root = 'Choose a folder to serve.';
  if (s.port !== undefined && !isInt(s.port, 1, 65535))
    e.port = 'Port must be a whole number from 1 to 65535.';
  if (s.uploads !== undefined && !UPLOAD_POLICIES.includes(s.uploads))
    e.uploads = 'Uploads must be off, create or overwrite.';
  if (s.hosts !== undefined && (!Array.isArray(s.hosts) || !s.hosts.every((h) => isIpAddress(h))))
    e.hosts = 'Each listen address must be an IPv4 or IPv6 address.';
  if (s.allow !== undefined) {
    const bad = Array.isArray(s.allow) ? s.allow.find((a) => !isCidrOrAddress(a)) : '?';
    if (bad !== undefined) e.allow = `"${bad}" is not an address or CIDR range (e.g. 192.168.1.0/24).`;
  }
  if (s.maxBlksize !== undefined && !isInt(s.maxBlksize, 512, RFC_LIMITS.blksizeMax))
    e.maxBlksize = `Block size cap must be from 512 to ${RFC_LIMITS.blksizeMax}.`;
  if (s.maxWindowsize !== undefined && !isInt(s.maxWindowsize, 1, RFC_LIMITS.windowsizeMax))
    e.maxWindowsize = `Window size cap must be from 1 to ${RFC_LIMITS.windowsizeMax}.`;
  if (s.timeout !== undefined && !isInt(s.timeout, RFC_LIMITS.timeoutMin, RFC_LIMITS.timeoutMax))
    e.timeout = 'Timeout must be from 1 to 255 seconds.';
  if (s.retries !== undefined && !isInt(s.retries, 1, 50)) e.retries = 'Retries must be from 1 to 50.';
  if (s.portRange !== undefined && s.portRange !== null) {
    const r = s.portRange;
    if (!r || !isInt(r.from, 1024, 65535) || !isInt(r.to, 1024, 65535) || r.from > r.to)
      e.portRange = 'Port range must be two ports from 1024 to 65535, the first not above the second.';
  }
  if (s.maxSessions !== undefined && !isInt(s.maxSessions, 1, 10000))
    e.maxSessions = 'Concurrent sessions must be from 1 to 10000.';
  if (s.maxSessionsPerClient !== undefined && !isInt(s.maxSessionsPerClient, 1, 10000))
    e.maxSessionsPerClient = 'Sessions per client must be from 1 to 10000.';
  if (s.maxRequestsPerSecond !== undefined && !isInt(s.maxRequestsPerSecond, 1, 100000))
    e.maxRequestsPerSecond = 'Requests per second must be from 1 to 100000.';
  if (s.maxUploadBytes !== undefined && !isInt(s.maxUploadBytes, 1, Number.MAX_SAFE_INTEGER))
    e.maxUploadBytes = 'Maximum upload size must be a positive number of bytes.';
  if (s.caseInsensitive !== undefined && typeof s.caseInsensitive !== 'boolean')
    e.caseInsensitive = 'Must be on or off.';
  if (s.nameMap !== undefined) {
    const problem = nameMapProblem(s.nameMap);
    if (problem !== undefined) e.nameMap = problem;
  }
  if (s.profiles !== undefined) {
    const problem = profileRulesProblem(s.profiles);
    if (problem !== undefined) e.profiles = problem;
  }
  if (s.theme !== undefined && !['system', 'light', 'dark'].includes(s.theme))
    e.theme = 'Theme must be system, light or dark.';
  for (const key of [
    'startAtLogin',
    'startMinimized',
    'closeToTray',
    'notifications',
    'autoStart',
  ] as const) {
    if (s[key] !== undefined && typeof s[key] !== 'boolean') e[key] = 'Must be on or off.';
  }
  if (
    s.recentRoots !== undefined &&
    (!Array.isArray(s.recentRoots) || !s.recentRoots.every((r) => typeof r === 'string'))
  )
    e.recentRoots = 'Recent folders must be a list of paths.';
  if (
    s.recentDevices !== undefined &&
    (!Array.isArray(s.recentDevices) ||
      s.recentDevices.length > MAX_RECENT_DEVICES ||
      !s.recentDevices.every(
        (d) => typeof d === 'string' && d.length > 0 && d.length <= 255 && !d.includes('\0'),
      ))
  )
    e.recentDevices = `Recent devices must be a list of at most ${MAX_RECENT_DEVICES} addresses.`;
  if (s.dhcp !== undefined) {
    const read = readDhcpSettings(s.dhcp);
    const problems = read.ok ? validateDhcpSettings(read.settings) : [read.error];
    if (problems.length > 0) e.dhcp = problems.join(' ');
  }
  return e;
}

/** The first thing wrong with a list of name mapping rules, or undefined when it is usable. */
function nameMapProblem(rules: unknown): string | undefined {
  if (!Array.isArray(rules)) return 'Name mapping rules must be a list.';
  if (rules.length > MAX_NAME_MAP_RULES) return `At most ${MAX_NAME_MAP_RULES} name mapping rules.`;
  for (const r of rules as Partial<Record<string, unknown>>[]) {
    const where = typeof r?.line === 'number' ? `Rule on line ${r.line}` : 'A rule';
    if (typeof r !== 'object' || r === null || typeof r.flags !== 'string' || typeof r.source !== 'string')
      return `${where} is malformed.`;
    if (r.kind === 'exact') {
      if (typeof r.name !== 'string' || typeof r.file !== 'string' || r.name === '' || r.file === '')
        return `${where} needs a name and a file.`;
    } else if (r.kind === 'pattern') {
      if (typeof r.pattern !== 'string' || typeof r.replacement !== 'string')
        return `${where} needs a pattern and a replacement.`;
      try {
        new RegExp(r.pattern, r.flags.includes('i') ? 'i' : '');
      } catch {
        return `${where}: the pattern is not a valid regular expression.`;
      }
    } else return `${where} is neither an exact name nor a pattern.`;
  }
  return undefined;
}

/** Puts `root` first in the recent list, without duplicates, capped. */
export function pushRecentRoot(recent: readonly string[], root: string): string[] {
  return [root, ...recent.filter((r) => r !== root)].slice(0, MAX_RECENT_ROOTS);
}
