// Where the syslog receiver's settings live: beside the app's settings, in their own file
// (`<cwd>/syslog.json`) for the desktop app, in memory for the headless server (seeded from its
// flags). What is on disk is migrated on open, value by value, as the app's settings are.
import Conf from 'conf';
import { SYSLOG_DEFAULTS, validateSyslogSettings, type SyslogSettings } from '../../shared/syslog.js';

export interface SyslogSettingsStore {
  get(): SyslogSettings;
  set(patch: Partial<SyslogSettings>): void;
}

const KEYS = Object.keys(SYSLOG_DEFAULTS) as (keyof SyslogSettings)[];

/** Keeps every known value that still validates; the rest are the defaults. Never throws. */
export function migrateSyslogSettings(raw: unknown): SyslogSettings {
  const out: SyslogSettings = structuredClone(SYSLOG_DEFAULTS);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return out;
  const record = raw as Record<string, unknown>;
  for (const key of KEYS) {
    const value = record[key];
    if (value === undefined || value === null) continue;
    const patch = { [key]: value } as Partial<SyslogSettings>;
    if (Object.keys(validateSyslogSettings(patch)).length === 0) Object.assign(out, structuredClone(patch));
  }
  return out;
}

export function createMemorySyslogSettingsStore(initial: Partial<SyslogSettings> = {}): SyslogSettingsStore {
  let current = migrateSyslogSettings({ ...SYSLOG_DEFAULTS, ...initial });
  return {
    get: () => structuredClone(current),
    set(patch) {
      current = { ...current, ...structuredClone(patch) };
    },
  };
}

export function createConfSyslogSettingsStore(opts: { cwd: string }): SyslogSettingsStore {
  const conf = new Conf<Record<string, unknown>>({
    projectName: 'tftp-desk',
    configName: 'syslog',
    cwd: opts.cwd,
    // the file is ours alone; a failed parse should not crash startup
    clearInvalidConfig: true,
  });
  let current = migrateSyslogSettings(conf.store);
  conf.store = { ...current };
  return {
    get: () => structuredClone(current),
    set(patch) {
      current = { ...current, ...structuredClone(patch) };
      conf.store = { ...current };
    },
  };
}
