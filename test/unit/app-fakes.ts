// Test doubles for controller tests: a manual clock and a small engine that emits what a test tells it.
import type { EngineEvent, ServerState } from '../../shared/events.js';
import type { EngineSettings } from '../../shared/settings.js';
import type { Timer } from '../../electron/app/timer.js';
import type { EngineListener, TftpEngine } from '../../electron/tftp/engine.js';

export interface ManualTimer extends Timer {
  advance(ms: number): void;
  pending(): number;
}

export function manualTimer(start = 1_000_000): ManualTimer {
  let now = start;
  let nextId = 1;
  const tasks = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++;
      tasks.set(id, { at: now + ms, fn });
      return id;
    },
    clearTimeout(h) {
      tasks.delete(h as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...tasks.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        tasks.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = end;
    },
    pending: () => tasks.size,
  };
}

export interface FakeEngine extends TftpEngine {
  emit(event: EngineEvent): void;
  starts: number;
  stops: number;
  updates: EngineSettings[];
  /** what start() resolves to */
  nextStart: ServerState | Error;
}

export function fakeEngineFactory(opts: { failWith?: ServerState } = {}) {
  const engines: FakeEngine[] = [];
  const create = (initial: EngineSettings): FakeEngine => {
    let settings = initial;
    let state: ServerState = { state: 'stopped' };
    const listeners = new Set<EngineListener>();
    const live = new Set<string>();
    const setState = (s: ServerState) => {
      state = s;
      eng.emit({ type: 'server', time: 0, server: s });
    };
    const eng: FakeEngine = {
      get state() {
        return state;
      },
      get settings() {
        return settings;
      },
      get activeSessions() {
        return live.size;
      },
      starts: 0,
      stops: 0,
      updates: [],
      nextStart: opts.failWith ?? {
        state: 'listening',
        root: initial.root,
        addresses: [{ address: '127.0.0.1', port: initial.port, family: 'IPv4' }],
      },
      async start() {
        eng.starts++;
        setState({ state: 'starting' });
        await Promise.resolve();
        if (eng.nextStart instanceof Error) throw eng.nextStart;
        setState(eng.nextStart);
        return eng.nextStart;
      },
      async stop() {
        eng.stops++;
        if (state.state === 'stopped') return;
        setState({ state: 'stopping' });
        await Promise.resolve();
        setState({ state: 'stopped' });
      },
      updateSettings(s) {
        settings = s;
        eng.updates.push(s);
      },
      onEvent(l) {
        listeners.add(l);
        return () => listeners.delete(l);
      },
      emit(event) {
        if (event.type === 'session-started') live.add(event.id);
        if (event.type === 'session-finished' || event.type === 'session-failed') live.delete(event.id);
        for (const l of [...listeners]) l(event);
      },
    };
    engines.push(eng);
    return eng;
  };
  return { create, engines };
}

export function started(id: string, time = 0, file = 'boot.bin'): EngineEvent {
  return {
    type: 'session-started',
    time,
    id,
    peer: '127.0.0.1:40000',
    file,
    direction: 'download',
    mode: 'octet',
    options: { blksize: 512, windowsize: 1, timeout: 3 },
    size: 1000,
  };
}

export function progress(id: string, bytes: number, time = 0): EngineEvent {
  return { type: 'session-progress', time, id, bytes, rate: bytes, retransmits: 0 };
}

export function finished(id: string, bytes = 1000, time = 0): EngineEvent {
  return {
    type: 'session-finished',
    time,
    id,
    stats: { bytes, durationMs: 10, averageRate: bytes * 100, retransmits: 0, sha256: 'ab'.repeat(32) },
  };
}

export function log(message: string, time = 0): EngineEvent {
  return { type: 'log', time, level: 'info', message };
}
