// What the app remembers of the transfers: live sessions, a bounded history and a bounded log.
// It is fed the same batches the UI receives, so a snapshot plus the batches that follow it
// always describe the same state (nothing counted twice, nothing missed).
import type { EngineEvent, LogEvent, ServerState, SessionFailedEvent } from '../../shared/events.js';
import type { HistoryEntry, LiveSession } from '../../shared/ipc-contract.js';
import { createRing } from './ring.js';

export const HISTORY_CAPACITY = 1000;
export const LOG_CAPACITY = 20_000;

export interface SessionBook {
  apply(events: readonly EngineEvent[]): void;
  readonly server: ServerState;
  sessions(): LiveSession[];
  history(): HistoryEntry[];
  log(): LogEvent[];
  readonly activeSessions: number;
  /** failure events for sessions still live: used when an engine goes away without ending them */
  orphans(time: number, message: string): SessionFailedEvent[];
}

export function createSessionBook(
  opts: { historyCapacity?: number; logCapacity?: number } = {},
): SessionBook {
  const live = new Map<string, LiveSession>();
  const history = createRing<HistoryEntry>(opts.historyCapacity ?? HISTORY_CAPACITY);
  const log = createRing<LogEvent>(opts.logCapacity ?? LOG_CAPACITY);
  let server: ServerState = { state: 'stopped' };

  function applyOne(e: EngineEvent): void {
    switch (e.type) {
      case 'server':
        server = e.server;
        return;
      case 'session-started':
        live.set(e.id, { started: e, bytes: 0, rate: 0, retransmits: 0 });
        return;
      case 'session-progress': {
        const s = live.get(e.id);
        if (s) Object.assign(s, { bytes: e.bytes, rate: e.rate, retransmits: e.retransmits });
        return;
      }
      case 'session-finished':
      case 'session-failed': {
        const s = live.get(e.id);
        if (!s) return;
        live.delete(e.id);
        history.push({ started: s.started, end: e });
        return;
      }
      case 'log':
        log.push(e);
        return;
    }
  }

  return {
    apply(events) {
      for (const e of events) applyOne(e);
    },
    get server() {
      return server;
    },
    sessions: () => [...live.values()].map((s) => ({ ...s })),
    history: () => history.toArray(),
    log: () => log.toArray(),
    get activeSessions() {
      return live.size;
    },
    orphans(time, message) {
      return [...live.values()].map((s) => ({
        type: 'session-failed',
        time,
        id: s.started.id,
        code: 0,
        message,
        by: 'server',
        bytes: s.bytes,
        durationMs: Math.max(0, time - s.started.time),
      }));
    },
  };
}
