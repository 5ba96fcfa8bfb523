// Which of the app's settings the engine sees, and which changes need the sockets reopened.
import { ENGINE_DEFAULTS, type AppSettings, type EngineSettings } from '../../shared/settings.js';

const ENGINE_KEYS = ['root', ...Object.keys(ENGINE_DEFAULTS)] as (keyof EngineSettings)[];

export function toEngineSettings(s: AppSettings): EngineSettings {
  const out: Record<string, unknown> = {};
  for (const key of ENGINE_KEYS) out[key] = structuredClone(s[key]);
  return out as unknown as EngineSettings;
}

/**
 * The listening sockets depend on the port and the host list. A new root also restarts: the
 * listening state names the root, and the engine sweeps stale upload temp files at start.
 */
export function needsRestart(prev: EngineSettings, next: EngineSettings): boolean {
  return (
    prev.port !== next.port ||
    prev.root !== next.root ||
    prev.hosts.length !== next.hosts.length ||
    prev.hosts.some((h, i) => h !== next.hosts[i])
  );
}

export function engineSettingsChanged(prev: EngineSettings, next: EngineSettings): boolean {
  return JSON.stringify(prev) !== JSON.stringify(next);
}
