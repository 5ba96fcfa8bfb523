// Live transfers and the history of ended ones, folded from session events. The app's book (what
// a new window's snapshot holds) and the renderer's store (what the window draws) both fold with
// this, so the two always agree. Events come in batches (~10 a second, up to hundreds of events
// each): a batch gives one new state, and only the sessions it touched get new objects (the UI's
// rows are memoised on them). A batch that touches no session returns the same state.
import {
  failedSessionEvent,
  type EngineEvent,
  type SessionFailedEvent,
  type SessionStartedEvent,
} from './events.js';
import type { HistoryEntry, LiveSession } from './ipc-contract.js';
import { TftpErrorCode } from './tftp-types.js';
import { addSample, emptySeries, type ThroughputSeries } from './throughput-series.js';

/**
 * Ended transfers kept, newest first: a rack of PXE clients booting twice over, and more than a
 * person scrolls back through. The app and the renderer keep the same number, so a window opened
 * later shows the same history as one that was open all along.
 */
export const HISTORY_CAPACITY = 1000;

export interface SessionView {
  id: string;
  started: SessionStartedEvent;
  bytes: number;
  /** bytes per second over the engine's last interval */
  rate: number;
  retransmits: number;
  /** true when the last progress report counted new retransmissions */
  retrying: boolean;
  updated: number;
  /** throughput and resends over time, bounded (throughput-series.ts): what the detail charts */
  series: ThroughputSeries;
}

export interface SessionsSlice {
  live: Readonly<Record<string, SessionView>>;
  /** live session ids, oldest first */
  order: readonly string[];
  /** finished and failed transfers, newest first, at most HISTORY_CAPACITY */
  history: readonly HistoryEntry[];
}

export const emptySessions: SessionsSlice = { live: {}, order: [], history: [] };

function fromLive(s: LiveSession): SessionView {
  return {
    id: s.started.id,
    started: s.started,
    bytes: s.bytes,
    rate: s.rate,
    retransmits: s.retransmits,
    retrying: false,
    updated: s.started.time,
    series: s.series ?? emptySeries(s.started.time),
  };
}

/** The series of an ended session: its last counts added, left out when nothing ever moved. */
function endedSeries(
  prev: SessionView,
  time: number,
  bytes: number,
  resends: number,
): ThroughputSeries | undefined {
  const series = addSample(prev.series, { time, bytes, resends });
  return series.bytes === 0 && series.resends === 0 ? undefined : series;
}

/** The state a snapshot describes: live sessions oldest first, history newest first. */
export function sessionsFromSnapshot(
  sessions: readonly LiveSession[],
  history: readonly HistoryEntry[],
  capacity = HISTORY_CAPACITY,
): SessionsSlice {
  const live: Record<string, SessionView> = {};
  const order: string[] = [];
  for (const s of [...sessions].sort((a, b) => a.started.time - b.started.time)) {
    live[s.started.id] = fromLive(s);
    order.push(s.started.id);
  }
  const sorted = [...history].sort((a, b) => b.end.time - a.end.time).slice(0, capacity);
  return { live, order, history: sorted };
}

export function applySessionEvents(
  state: SessionsSlice,
  events: readonly EngineEvent[],
  capacity = HISTORY_CAPACITY,
): SessionsSlice {
  let live: Record<string, SessionView> | undefined;
  let ended: HistoryEntry[] | undefined;
  let removed: Set<string> | undefined;
  let added: string[] | undefined;
  const current = (): Record<string, SessionView> => (live ??= { ...state.live });

  for (const event of events) {
    switch (event.type) {
      case 'session-started': {
        const map = current();
        if (map[event.id] === undefined) (added ??= []).push(event.id);
        map[event.id] = {
          id: event.id,
          started: event,
          bytes: 0,
          rate: 0,
          retransmits: 0,
          retrying: false,
          updated: event.time,
          series: emptySeries(event.time),
        };
        break;
      }
      case 'session-progress': {
        const map = current();
        const prev = map[event.id];
        if (prev === undefined) break; // started before the snapshot and already gone
        const learnt = event.total !== undefined && event.total !== prev.started.size;
        map[event.id] = {
          ...prev,
          started: learnt ? { ...prev.started, size: event.total } : prev.started,
          bytes: event.bytes,
          rate: event.rate,
          retransmits: event.retransmits,
          retrying: event.retransmits > prev.retransmits,
          updated: event.time,
          series: addSample(prev.series, {
            time: event.time,
            bytes: event.bytes,
            resends: event.retransmits,
          }),
        };
        break;
      }
      case 'session-finished':
      case 'session-failed': {
        const map = current();
        const prev = map[event.id];
        if (prev === undefined) break;
        delete map[event.id];
        (removed ??= new Set()).add(event.id);
        const series =
          event.type === 'session-finished'
            ? endedSeries(prev, event.time, event.stats.bytes, event.stats.retransmits)
            : endedSeries(prev, event.time, event.bytes, prev.retransmits);
        (ended ??= []).push(
          series === undefined
            ? { started: prev.started, end: event }
            : { started: prev.started, end: event, series },
        );
        break;
      }
      default:
        break;
    }
  }

  if (live === undefined) return state;
  let order: readonly string[] = state.order;
  if (added !== undefined) order = [...order, ...added];
  if (removed !== undefined) {
    const gone = removed;
    order = order.filter((id) => !gone.has(id));
  }
  let history = state.history;
  if (ended !== undefined) {
    history = [...ended.reverse(), ...history];
    if (history.length > capacity) history = history.slice(0, capacity);
  }
  return { live, order, history };
}

/** Live sessions as the contract's snapshot carries them, oldest first. */
export function liveSessions(state: SessionsSlice): LiveSession[] {
  const out: LiveSession[] = [];
  for (const id of state.order) {
    const s = state.live[id];
    if (s !== undefined)
      out.push({
        started: s.started,
        bytes: s.bytes,
        rate: s.rate,
        retransmits: s.retransmits,
        series: s.series,
      });
  }
  return out;
}

/**
 * Failure events for every live server session: for an engine that went away without ending them.
 * A transfer we started ourselves ("Send to device") does not run on the server and goes on.
 */
export function orphanedSessionEvents(
  state: SessionsSlice,
  time: number,
  message: string,
): SessionFailedEvent[] {
  return liveSessions(state)
    .filter((s) => s.started.role !== 'client')
    .map((s) =>
      failedSessionEvent({
        time,
        id: s.started.id,
        code: TftpErrorCode.NotDefined,
        message,
        bytes: s.bytes,
        durationMs: time - s.started.time,
      }),
    );
}
