// Where settings live: in memory for the headless server (seeded from CLI flags), in a JSON file
// (conf) for the desktop app. Validation happens before set(); the store only keeps values.
import Conf from 'conf';
import type { AppSettings } from '../../shared/settings.js';
import { migrateSettings } from './settings-migrate.js';

export { migrateSettings, defaultSettings } from './settings-migrate.js';
export { ensureDefaultRoot } from './default-root.js';

export interface SettingsStore {
  get(): AppSettings;
  set(patch: Partial<AppSettings>): void;
}

export function createMemorySettingsStore(initial: AppSettings): SettingsStore {
  let current = structuredClone(initial);
  return {
    get: () => structuredClone(current),
    set(patch) {
      current = { ...current, ...structuredClone(patch) };
    },
  };
}

/** JSON cannot hold `undefined`: an unset optional value is stored as an absent key. */
function toStored(s: AppSettings): Record<string, unknown> {
  return Object.fromEntries(Object.entries(s).filter(([, v]) => v !== undefined));
}

/**
 * Settings in `<cwd>/config.json`. Whatever is on disk is migrated on open (and written back),
 * so a bad hand edit costs that one value, not the app start.
 */
export function createConfSettingsStore(opts: { cwd: string; fallbackRoot?: string }): SettingsStore {
  const conf = new Conf<Record<string, unknown>>({
    projectName: 'tftp-desk',
    cwd: opts.cwd,
    // the file is ours alone; a failed parse should not crash startup
    clearInvalidConfig: true,
  });
  let current = migrateSettings(conf.store, opts.fallbackRoot ?? '');
  conf.store = toStored(current);
  return {
    get: () => structuredClone(current),
    set(patch) {
      current = { ...current, ...structuredClone(patch) };
      conf.store = toStored(current);
    },
  };
}

/** The same store, calling onChange after each set (the shell applies login-item and theme changes). */
export function observeSettings(
  store: SettingsStore,
  onChange: (settings: AppSettings) => void,
): SettingsStore {
  return {
    get: () => store.get(),
    set(patch) {
      store.set(patch);
      onChange(store.get());
    },
  };
}
