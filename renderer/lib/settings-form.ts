// The settings form edits text (numbers as typed, lists one per line); these pure functions map
// between that draft and AppSettings so validateSettings can judge exactly what would be saved.
import type { AppSettings, SettingsErrors, Theme } from '../../shared/settings';
import type { UploadPolicy } from '../../shared/tftp-types';

export const MIB = 1024 * 1024;

export interface SettingsDraft {
  port: string;
  hosts: string;
  portRangeOn: boolean;
  portFrom: string;
  portTo: string;
  uploads: UploadPolicy;
  maxUploadMiB: string;
  caseInsensitive: boolean;
  allow: string;
  maxBlksize: string;
  maxWindowsize: string;
  timeout: string;
  retries: string;
  maxSessions: string;
  maxSessionsPerClient: string;
  maxRequestsPerSecond: string;
  theme: Theme;
  startAtLogin: boolean;
  startMinimized: boolean;
  closeToTray: boolean;
  notifications: boolean;
  autoStart: boolean;
}

export function draftFromSettings(s: AppSettings): SettingsDraft {
  return {
    port: String(s.port),
    hosts: s.hosts.join('\n'),
    portRangeOn: s.portRange !== undefined && s.portRange !== null,
    portFrom: String(s.portRange?.from ?? 50000),
    portTo: String(s.portRange?.to ?? 50100),
    uploads: s.uploads,
    maxUploadMiB: String(Math.round((s.maxUploadBytes / MIB) * 1000) / 1000),
    caseInsensitive: s.caseInsensitive,
    allow: s.allow.join('\n'),
    maxBlksize: String(s.maxBlksize),
    maxWindowsize: String(s.maxWindowsize),
    timeout: String(s.timeout),
    retries: String(s.retries),
    maxSessions: String(s.maxSessions),
    maxSessionsPerClient: String(s.maxSessionsPerClient),
    maxRequestsPerSecond: String(s.maxRequestsPerSecond),
    theme: s.theme,
    startAtLogin: s.startAtLogin,
    startMinimized: s.startMinimized,
    closeToTray: s.closeToTray,
    notifications: s.notifications,
    autoStart: s.autoStart,
  };
}

/** A whole number as typed, or NaN (which validateSettings rejects with its own message). */
export function parseWhole(text: string): number {
  return /^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN;
}

/** Entries separated by new lines, commas or spaces. */
export function parseList(text: string): string[] {
  return text.split(/[\s,]+/).filter((item) => item.length > 0);
}

function parseMiB(text: string): number {
  if (!/^\s*\d+(\.\d+)?\s*$/.test(text)) return Number.NaN;
  return Math.round(Number(text) * MIB);
}

export function settingsFromDraft(d: SettingsDraft, base: AppSettings): AppSettings {
  return {
    ...base,
    port: parseWhole(d.port),
    hosts: parseList(d.hosts),
    // Clearing a range sends null: undefined would vanish on its way through JSON (browser UI).
    portRange: d.portRangeOn
      ? { from: parseWhole(d.portFrom), to: parseWhole(d.portTo) }
      : base.portRange == null
        ? base.portRange
        : null,
    uploads: d.uploads,
    // Untouched, keep the exact byte count (MiB with three decimals does not round-trip every value).
    maxUploadBytes:
      d.maxUploadMiB === draftFromSettings(base).maxUploadMiB
        ? base.maxUploadBytes
        : parseMiB(d.maxUploadMiB),
    caseInsensitive: d.caseInsensitive,
    allow: parseList(d.allow),
    maxBlksize: parseWhole(d.maxBlksize),
    maxWindowsize: parseWhole(d.maxWindowsize),
    timeout: parseWhole(d.timeout),
    retries: parseWhole(d.retries),
    maxSessions: parseWhole(d.maxSessions),
    maxSessionsPerClient: parseWhole(d.maxSessionsPerClient),
    maxRequestsPerSecond: parseWhole(d.maxRequestsPerSecond),
    theme: d.theme,
    startAtLogin: d.startAtLogin,
    startMinimized: d.startMinimized,
    closeToTray: d.closeToTray,
    notifications: d.notifications,
    autoStart: d.autoStart,
  };
}

/** The server's and the client's errors, keyed by the draft field that shows them. */
export function errorsByField(
  errors: SettingsErrors,
): Partial<Record<keyof SettingsDraft | 'root' | 'recentRoots' | 'nameMap', string>> {
  const out: Partial<Record<keyof SettingsDraft | 'root' | 'recentRoots' | 'nameMap', string>> = {};
  for (const [key, message] of Object.entries(errors) as [keyof AppSettings, string | undefined][]) {
    if (message === undefined) continue;
    if (key === 'portRange') out.portFrom = message;
    else if (key === 'maxUploadBytes') out.maxUploadMiB = message;
    // the boot services, the send-to-device tab and the device profiles panel keep their own
    else if (key === 'dhcp' || key === 'recentDevices' || key === 'profiles') continue;
    else out[key] = message;
  }
  return out;
}
