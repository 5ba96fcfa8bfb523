// The saved settings as the server last reported them (null until the first snapshot).
import { create } from 'zustand';
import type { AppSettings, SettingsErrors } from '../../shared/settings';

export interface SettingsSlice {
  settings: AppSettings | null;
}

export const useSettingsStore = create<SettingsSlice>()(() => ({ settings: null }));

/** The fields of `draft` that differ from `saved` (arrays and objects compared by value). */
export function settingsPatch(saved: AppSettings, draft: AppSettings): Partial<AppSettings> {
  const patch: Partial<AppSettings> = {};
  for (const key of Object.keys(draft) as (keyof AppSettings)[]) {
    if (JSON.stringify(draft[key]) !== JSON.stringify(saved[key])) {
      (patch as Record<string, unknown>)[key] = draft[key];
    }
  }
  // An unset port range is `undefined`, which JSON drops: say so explicitly.
  if (saved.portRange !== undefined && draft.portRange === undefined) patch.portRange = undefined;
  return patch;
}

export function hasErrors(errors: SettingsErrors): boolean {
  return Object.keys(errors).length > 0;
}
