// Engine events -> at most ~10 pushes a second, whatever the number of sessions.
// - progress is coalesced per session (only the latest matters to a progress bar);
// - server, started, finished and failed events are never dropped and keep their order;
// - log lines are capped per batch (the newest are kept) so a flood cannot grow memory.
import type { EngineEvent, LogEvent } from '../../shared/events.js';
import { createRing } from './ring.js';
import { FlushPacer, realTimer, type Timer } from './timer.js';

export const BATCH_INTERVAL_MS = 100;
export const MAX_LOGS_PER_BATCH = 500;

export interface EventBatcher {
  push(event: EngineEvent): void;
  /** sends whatever is pending now (used after start/stop so a snapshot matches the state) */
  flush(): void;
  dispose(): void;
}

interface Slot {
  seq: number;
  event: EngineEvent;
}

export function createEventBatcher(opts: {
  onBatch: (events: EngineEvent[]) => void;
  timer?: Timer;
  intervalMs?: number;
  maxLogs?: number;
}): EventBatcher {
  const timer = opts.timer ?? realTimer;
  const interval = opts.intervalMs ?? BATCH_INTERVAL_MS;
  const maxLogs = opts.maxLogs ?? MAX_LOGS_PER_BATCH;

  let seq = 0;
  let disposed = false;
  const pacer = new FlushPacer(timer, interval, () => flush());
  // everything but logs, in arrival order; progress slots are overwritten in place
  let main: Slot[] = [];
  let progressSlot = new Map<string, Slot>();
  // logs: the newest maxLogs, plus a count of the ones pushed out
  const logs = createRing<Slot>(maxLogs);
  let dropped = 0;

  function pushLog(slot: Slot): void {
    if (logs.size === logs.capacity) dropped++;
    logs.push(slot);
  }

  function takeLogs(): Slot[] {
    const out = logs.toArray();
    if (dropped > 0 && out[0]) {
      const first = out[0];
      const note: LogEvent = {
        type: 'log',
        time: first.event.time,
        level: 'warn',
        message: `${dropped} log lines dropped (too many in a short time)`,
      };
      out.unshift({ seq: first.seq - 0.5, event: note });
    }
    return out;
  }

  function flush(): void {
    pacer.cancel();
    if (main.length === 0 && logs.size === 0) return;
    const a = main;
    const b = takeLogs();
    main = [];
    progressSlot = new Map();
    logs.clear();
    dropped = 0;
    pacer.flushed();
    // merge the two ordered lists back into arrival order
    const out: EngineEvent[] = [];
    let i = 0;
    let j = 0;
    while (i < a.length || j < b.length) {
      const x = a[i];
      const y = b[j];
      if (y === undefined || (x !== undefined && x.seq < y.seq)) {
        out.push((x as Slot).event);
        i++;
      } else {
        out.push(y.event);
        j++;
      }
    }
    opts.onBatch(out);
  }

  return {
    push(event) {
      if (disposed) return;
      const slot: Slot = { seq: seq++, event };
      if (event.type === 'log') {
        pushLog(slot);
      } else if (event.type === 'session-progress') {
        const existing = progressSlot.get(event.id);
        if (existing) existing.event = event;
        else {
          progressSlot.set(event.id, slot);
          main.push(slot);
        }
      } else {
        if (event.type === 'session-finished' || event.type === 'session-failed')
          progressSlot.delete(event.id);
        main.push(slot);
      }
      pacer.schedule();
    },
    flush,
    dispose() {
      disposed = true;
      pacer.dispose();
    },
  };
}
