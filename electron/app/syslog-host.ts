// The syslog receiver inside the app: its settings, its lifecycle (one receiver per listening
// period; start, stop and restart run one at a time), the newest messages for a window that opens
// later, and the pushes to the windows: messages batched to at most ~10 a second, state changes
// and drop summaries as they come.
import type { EventChannel, EventChannels } from '../../shared/ipc-contract.js';
import type { SetSyslogSettingsResult, SyslogSnapshot } from '../../shared/syslog-contract.js';
import {
  SYSLOG_DEFAULTS,
  SYSLOG_LIMITS,
  validateSyslogSettings,
  type SyslogDropCounts,
  type SyslogDroppedEvent,
  type SyslogEvent,
  type SyslogMessage,
  type SyslogSettings,
  type SyslogState,
} from '../../shared/syslog.js';
import { createSyslogReceiver, type SyslogReceiver, type SyslogReceiverOptions } from '../syslog/index.js';
import { AllowList } from '../tftp/index.js';
import { createRing, type Ring } from './ring.js';
import type { SyslogSettingsStore } from './syslog-settings-store.js';
import { FlushPacer, type Timer } from './timer.js';

export type SyslogReceiverFactory = (options: SyslogReceiverOptions) => SyslogReceiver;

/** The contract's syslog calls, as the controller exposes them. */
export interface SyslogCalls {
  getSyslogSnapshot(): Promise<SyslogSnapshot>;
  setSyslogSettings(patch: Partial<SyslogSettings>): Promise<SetSyslogSettingsResult>;
  startSyslog(): Promise<SyslogState>;
  stopSyslog(): Promise<SyslogState>;
  clearSyslog(): Promise<null>;
}

export interface SyslogHost {
  readonly calls: SyslogCalls;
  readonly state: SyslogState;
  /** starts the receiver when the user left it on (app launch) */
  startIfEnabled(): Promise<SyslogState>;
  /** stops for good; later calls do nothing */
  dispose(): Promise<void>;
}

export interface SyslogHostDeps {
  store: SyslogSettingsStore;
  emit: <K extends EventChannel>(channel: K, payload: EventChannels[K]) => void;
  timer: Timer;
  createReceiver?: SyslogReceiverFactory;
  /** messages go to the windows at most once per this many ms (default 100) */
  intervalMs?: number;
}

const NO_DROPS: SyslogDropCounts = { rateLimited: 0, notAllowed: 0 };
const RESTART_KEYS: readonly (keyof SyslogSettings)[] = ['port', 'host', 'perSenderPerSecond'];
const KNOWN_KEYS = new Set<string>(Object.keys(SYSLOG_DEFAULTS));

function allowListOf(entries: readonly string[]): AllowList | string {
  try {
    return new AllowList(entries);
  } catch {
    return 'An entry of the allow-list is not an address or CIDR range.';
  }
}

/** A ring holding the newest messages of `from`, at most `capacity`. */
function resized(from: Ring<SyslogMessage>, capacity: number): Ring<SyslogMessage> {
  const ring = createRing<SyslogMessage>(capacity);
  for (const m of from.toArray().slice(-capacity)) ring.push(m);
  return ring;
}

export function createSyslogHost(deps: SyslogHostDeps): SyslogHost {
  const { store, emit, timer } = deps;
  const create = deps.createReceiver ?? createSyslogReceiver;
  const interval = deps.intervalMs ?? 100;

  let current: SyslogState = { state: 'stopped' };
  let receiver: SyslogReceiver | null = null;
  let detach: (() => void) | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let disposed = false;
  const initialAllow = allowListOf(store.get().allowList);
  let allow = typeof initialAllow === 'string' ? new AllowList([]) : initialAllow;
  // the snapshot's messages: only those already pushed, so a new window never sees one twice
  let ring = createRing<SyslogMessage>(store.get().maxMessages);
  let pending: SyslogMessage[] = [];
  const pacer = new FlushPacer(timer, interval, () => flush());
  // receivers number their messages from 1; the windows need one sequence across restarts
  let nextId = 1;
  let dropped: SyslogDropCounts = { ...NO_DROPS };
  let lastDrop: SyslogDroppedEvent | null = null;

  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  }

  function flush(): void {
    pacer.cancel();
    if (pending.length === 0) return;
    const batch = pending.length > ring.capacity ? pending.slice(-ring.capacity) : pending;
    pending = [];
    pacer.flushed();
    for (const m of batch) ring.push(m);
    emit('syslog-messages', batch);
  }

  function setState(state: SyslogState): SyslogState {
    flush();
    if (JSON.stringify(state) !== JSON.stringify(current)) {
      current = state;
      emit('syslog-state', state);
    }
    return state;
  }

  function onReceiverEvent(e: SyslogEvent): void {
    switch (e.type) {
      case 'syslog-messages':
        for (const m of e.messages) pending.push({ ...m, id: nextId++ });
        // a flood between two pushes keeps only what the windows could keep anyway
        if (pending.length > 2 * ring.capacity) pending = pending.slice(-ring.capacity);
        pacer.schedule();
        return;
      case 'syslog-dropped':
        flush();
        dropped = {
          rateLimited: dropped.rateLimited + e.dropped.rateLimited,
          notAllowed: dropped.notAllowed + e.dropped.notAllowed,
        };
        lastDrop = e;
        emit('syslog-dropped', e);
        return;
      case 'syslog-state':
        setState(e.state);
        return;
    }
  }

  async function stopNow(): Promise<SyslogState> {
    const r = receiver;
    if (r) {
      try {
        await r.stop();
      } finally {
        detach?.();
        detach = null;
        receiver = null;
      }
    }
    return setState({ state: 'stopped' });
  }

  async function startNow(): Promise<SyslogState> {
    if (disposed) return current;
    if (receiver) {
      const st = receiver.state.state;
      if (st === 'listening' || st === 'starting') return current;
      await stopNow();
    }
    const s = store.get();
    const r = create({
      host: s.host,
      port: s.port,
      // the app keeps its own ring (it outlives receivers); the receiver's is the smallest allowed
      maxMessages: SYSLOG_LIMITS.maxMessagesMin,
      perSenderPerSecond: s.perSenderPerSecond,
      isAllowed: (address) => allow.allows(address),
    });
    receiver = r;
    detach = r.onEvent(onReceiverEvent);
    let state: SyslogState;
    try {
      state = await r.start();
    } catch (err) {
      state = { state: 'error', code: 'INTERNAL', message: err instanceof Error ? err.message : String(err) };
    }
    if (state.state !== 'listening') {
      // keep the error on screen: the receiver's own clean-up would report 'stopped'
      detach();
      detach = null;
      receiver = null;
      await r.stop().catch(() => undefined);
    }
    return setState(state);
  }

  async function setSettings(patch: Partial<SyslogSettings>): Promise<SetSyslogSettingsResult> {
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
      return { ok: false, errors: { enabled: 'Syslog settings must be an object.' } };
    const known = Object.fromEntries(
      Object.entries(patch).filter(([k]) => KNOWN_KEYS.has(k)),
    ) as Partial<SyslogSettings>;
    const errors = validateSyslogSettings(known);
    let nextAllow: AllowList | string | undefined;
    if (known.allowList !== undefined && errors.allowList === undefined) {
      nextAllow = allowListOf(known.allowList);
      if (typeof nextAllow === 'string') errors.allowList = nextAllow;
    }
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    return serial(async () => {
      const prev = store.get();
      store.set(known);
      const next = store.get();
      if (nextAllow instanceof AllowList) allow = nextAllow;
      if (next.maxMessages !== prev.maxMessages) ring = resized(ring, next.maxMessages);
      if (next.enabled !== prev.enabled) {
        if (next.enabled) await startNow();
        else await stopNow();
      } else if (
        // a new port or address after a failed start is the user's answer to the error: try it
        (receiver || (next.enabled && current.state === 'error')) &&
        RESTART_KEYS.some((k) => prev[k] !== next[k])
      ) {
        await stopNow();
        await startNow();
      }
      return { ok: true as const, settings: next, state: current };
    });
  }

  const calls: SyslogCalls = {
    async getSyslogSnapshot() {
      return {
        state: current,
        settings: store.get(),
        messages: ring.toArray(),
        dropped: { ...dropped },
        lastDrop,
      };
    },
    setSyslogSettings: setSettings,
    startSyslog: () =>
      serial(async () => {
        if (!disposed) store.set({ enabled: true });
        return startNow();
      }),
    stopSyslog: () =>
      serial(async () => {
        if (!disposed) store.set({ enabled: false });
        return stopNow();
      }),
    async clearSyslog() {
      ring.clear();
      pending = [];
      dropped = { ...NO_DROPS };
      lastDrop = null;
      emit('syslog-cleared', null);
      return null;
    },
  };

  return {
    calls,
    get state() {
      return current;
    },
    startIfEnabled: () => serial(async () => (store.get().enabled ? startNow() : current)),
    dispose: () =>
      serial(async () => {
        if (disposed) return;
        await stopNow();
        disposed = true;
        pacer.dispose();
      }),
  };
}
