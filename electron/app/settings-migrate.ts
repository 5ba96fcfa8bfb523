// Settings read from disk may come from an older version, a hand edit or a half-written file:
// keep every value that still validates, replace the rest with defaults, drop unknown keys.
import {
  APP_DEFAULTS,
  MAX_NAME_MAP_RULES,
  MAX_RECENT_DEVICES,
  MAX_RECENT_ROOTS,
  validateSettings,
  type AppSettings,
  type NameMapRule,
} from '../../shared/settings.js';
import { parseRuleList } from '../tftp/index.js';

const KEYS = ['root', ...Object.keys(APP_DEFAULTS)] as (keyof AppSettings)[];

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function defaultSettings(root = ''): AppSettings {
  return { ...structuredClone(APP_DEFAULTS), root };
}

export function migrateSettings(raw: unknown, fallbackRoot = ''): AppSettings {
  const out = defaultSettings(fallbackRoot) as unknown as Record<string, unknown>;
  if (!isRecord(raw)) return out as unknown as AppSettings;
  for (const key of KEYS) {
    if (!(key in raw)) continue;
    const value = raw[key];
    // a missing port range is stored as an absent key; null is how JSON writers spell it
    if (key === 'portRange' && (value === null || value === undefined)) {
      out[key] = undefined;
      continue;
    }
    if (value === undefined || value === null) continue;
    if (key === 'nameMap') {
      out[key] = migrateNameMap(value);
      continue;
    }
    const errors = validateSettings({ [key]: value } as Partial<AppSettings>);
    if (Object.keys(errors).length === 0) out[key] = structuredClone(value);
  }
  const s = out as unknown as AppSettings;
  s.recentRoots = [...new Set(s.recentRoots.filter((r) => r.length > 0 && !r.includes('\0')))].slice(
    0,
    MAX_RECENT_ROOTS,
  );
  s.recentDevices = [...new Set(s.recentDevices)].slice(0, MAX_RECENT_DEVICES);
  if (s.portRange) s.portRange = { from: s.portRange.from, to: s.portRange.to };
  return s;
}

/**
 * Name mapping rules as stored: each rule is parsed again from its own text (the fields beside it
 * may have been edited by hand), and a rule that no longer parses is dropped alone, not the list.
 */
export function migrateNameMap(raw: unknown): NameMapRule[] {
  if (!Array.isArray(raw)) return [];
  const lines: string[] = [];
  for (const r of raw.slice(0, MAX_NAME_MAP_RULES)) {
    const source = isRecord(r) ? r.source : undefined;
    if (typeof source === 'string' && parseRuleList([source]).ok) lines.push(source);
  }
  const parsed = parseRuleList(lines);
  return parsed.ok ? parsed.rules : [];
}
