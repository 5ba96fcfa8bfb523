// The engine's lifecycle inside the app: one engine per listening period, start/stop/restart run
// one at a time (a double click on Start or a settings change during a stop cannot interleave).
import type { EngineEvent, ServerState } from '../../shared/events.js';
import type { AppSettings, EngineSettings } from '../../shared/settings.js';
import type { TftpEngine } from '../tftp/index.js';
import { engineSettingsChanged, needsRestart, toEngineSettings } from './engine-settings.js';

export type EngineFactory = (settings: EngineSettings) => TftpEngine;

export interface ServerRunner {
  start(): Promise<ServerState>;
  stop(): Promise<ServerState>;
  /** called after settings were stored: restarts or updates a listening engine */
  apply(prev: AppSettings, next: AppSettings): Promise<void>;
  /** stops for good; later calls do nothing */
  dispose(): Promise<void>;
}

export interface RunnerDeps {
  createEngine: EngineFactory;
  settings: () => AppSettings;
  /** engine events, and the controller's own server events, go here */
  push: (event: EngineEvent) => void;
  /** sends pending events so the state returned matches the next snapshot */
  flush: () => void;
  /** failure events for sessions an engine left open when it went away */
  orphans: (time: number) => EngineEvent[];
  now: () => number;
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

export function createServerRunner(deps: RunnerDeps): ServerRunner {
  let engine: TftpEngine | null = null;
  let detach: (() => void) | null = null;
  let lastSeen: ServerState = { state: 'stopped' };
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;

  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  }

  /** Makes sure the UI hears the final state even if the engine did not emit it. */
  function settle(state: ServerState): ServerState {
    if (JSON.stringify(state) !== JSON.stringify(lastSeen)) {
      lastSeen = state;
      deps.push({ type: 'server', time: deps.now(), server: state });
    }
    deps.flush();
    return state;
  }

  async function startNow(): Promise<ServerState> {
    if (disposed) return settle({ state: 'stopped' });
    if (engine) {
      const st = engine.state.state;
      if (st === 'listening' || st === 'starting') return settle(engine.state);
      // an engine that failed or stopped on its own is replaced, not restarted
      await stopNow();
    }
    const settings = deps.settings();
    if (!settings.root) {
      return settle({ state: 'error', code: 'ROOT_MISSING', message: 'Choose a folder to serve first.' });
    }
    const eng = deps.createEngine(toEngineSettings(settings));
    engine = eng;
    detach = eng.onEvent((event) => {
      if (event.type === 'server') lastSeen = event.server;
      deps.push(event);
    });
    let state: ServerState;
    try {
      state = await eng.start();
    } catch (err) {
      state = { state: 'error', code: 'INTERNAL', message: messageOf(err) };
    }
    if (state.state !== 'listening') {
      // keep the error on screen: the engine's own clean-up events would overwrite it
      detach();
      detach = null;
      engine = null;
      await eng.stop().catch(() => undefined);
    }
    return settle(state);
  }

  async function stopNow(): Promise<ServerState> {
    const eng = engine;
    if (eng) {
      try {
        await eng.stop();
      } finally {
        detach?.();
        detach = null;
        engine = null;
      }
      deps.flush();
      for (const e of deps.orphans(deps.now())) deps.push(e);
    }
    return settle({ state: 'stopped' });
  }

  return {
    start: () => serial(startNow),
    stop: () => serial(stopNow),
    apply: (prev, next) =>
      serial(async () => {
        if (!engine) return;
        const a = toEngineSettings(prev);
        const b = toEngineSettings(next);
        if (needsRestart(a, b)) {
          await stopNow();
          await startNow();
        } else if (engineSettingsChanged(a, b)) {
          engine.updateSettings(b);
        }
      }),
    dispose: () =>
      serial(async () => {
        if (disposed) return;
        await stopNow();
        disposed = true;
      }),
  };
}
