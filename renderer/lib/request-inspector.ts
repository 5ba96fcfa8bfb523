// The request inspector's rows: every request the server answered (served, refused, not found,
// mapped), derived from the session fold the Transfers tab draws (shared/session-fold.ts), so it
// needs no channel of its own and keeps the fold's bounds (the live sessions plus at most
// HISTORY_CAPACITY ended ones). Everything that came from the network is escaped here, once.
// Pure: tested in Node.
import type { SessionStartedEvent } from '../../shared/events';
import type { HistoryEntry } from '../../shared/ipc-contract';
import type { SessionsSlice } from '../../shared/session-fold';
import {
  TFTP_CLIENT_NAMES,
  TFTP_ERROR_NAMES,
  type ClientFingerprint,
  type NameSuggestion,
  type OptionAsSent,
} from '../../shared/tftp-types';
import { displayText } from './display-text';
import { deviceOf, type Device } from './profile-for-device';

export type Answer = 'serving' | 'served' | 'failed' | 'refused' | 'not-found';

export const ANSWER_TEXT: Readonly<Record<Answer, string>> = {
  serving: 'Serving',
  served: 'Served',
  failed: 'Failed',
  refused: 'Refused',
  'not-found': 'Not found',
};

export interface ClientLabel {
  /** "U-Boot", "probably curl (guess)", "unknown client" */
  text: string;
  guess: boolean;
  /** what gave it away, escaped, one a line (the tooltip and the detail) */
  reasons: string[];
}

export interface InspectedRequest {
  /** the session id */
  id: string;
  time: number;
  peer: string;
  direction: 'download' | 'upload';
  /** the name as sent, raw: for the mapping rule a click adds (never rendered as it is) */
  rawName: string;
  /** the name as sent, escaped for display */
  name: string;
  mode: string;
  /** the options in the order and spelling sent, escaped: `blksize=1468 tsize=0`, '' for none */
  options: string;
  optionList: readonly { name: string; value: string }[];
  answer: Answer;
  /** why: the refusal's fixed phrase and error, a failure's message, or '' when served */
  why: string;
  /** the file a rule answered with, and the rule (escaped) */
  mapped?: { to: string; rule: string };
  client: ClientLabel;
  /** for a name not found: files the device probably meant */
  suggestions: readonly NameSuggestion[];
  /** who asked (raw address, fingerprint): what a device profile rule can match */
  device?: Device;
}

const MAX_NAME = 300;
const MAX_OPTION = 64;

export function clientLabel(fp: ClientFingerprint): ClientLabel {
  const name = TFTP_CLIENT_NAMES[fp.client] ?? 'unknown client';
  const reasons = fp.reasons.map((r) => displayText(r, 300));
  if (fp.client === 'unknown') return { text: name, guess: false, reasons };
  const guess = fp.confidence === 'guess';
  return { text: guess ? `probably ${name} (guess)` : name, guess, reasons };
}

export function optionsText(options: readonly OptionAsSent[]): string {
  return options
    .map((o) => `${displayText(o.name, MAX_OPTION)}=${displayText(o.value, MAX_OPTION)}`)
    .join(' ');
}

function answerOf(entry: HistoryEntry | undefined): { answer: Answer; why: string } {
  if (entry === undefined) return { answer: 'serving', why: '' };
  const end = entry.end;
  if (end.type === 'session-finished') return { answer: 'served', why: '' };
  const error = `error ${end.code}`;
  // A refusal (answered with an ERROR before any data) carries its reason; a transfer that
  // began and then failed does not.
  if (end.reason !== undefined) {
    const answer: Answer = end.code === 1 ? 'not-found' : 'refused';
    return { answer, why: `${displayText(end.reason, 200)} (${error})` };
  }
  const name = TFTP_ERROR_NAMES[end.code];
  const who =
    end.by === 'timeout' ? 'timed out' : end.by === 'client' ? 'the client ended it' : 'the server ended it';
  const message = end.message !== '' ? displayText(end.message, 200) : (name ?? 'no message');
  return { answer: 'failed', why: `${who}: ${message} (${error})` };
}

function rowOf(started: SessionStartedEvent, entry: HistoryEntry | undefined): InspectedRequest | undefined {
  const r = started.request;
  if (r === undefined) return undefined;
  const { answer, why } = answerOf(entry);
  const end = entry?.end;
  const row: InspectedRequest = {
    id: started.id,
    time: started.time,
    peer: displayText(started.peer, 80),
    direction: started.direction,
    rawName: r.name,
    name: displayText(r.name, MAX_NAME),
    mode: displayText(r.mode, 32),
    options: optionsText(r.options),
    optionList: r.options.map((o) => ({
      name: displayText(o.name, MAX_OPTION),
      value: displayText(o.value, MAX_OPTION),
    })),
    answer,
    why,
    client: clientLabel(r.client),
    suggestions: end?.type === 'session-failed' ? (end.suggestions ?? []) : [],
  };
  const device = deviceOf(started);
  if (device !== undefined) row.device = device;
  if (r.mapped !== undefined)
    row.mapped = { to: displayText(r.mapped.to, MAX_NAME), rule: displayText(r.mapped.rule, 500) };
  return row;
}

// A row depends only on its started event (live) or its history entry (ended), and the fold keeps
// both objects while they do not change: caching on them keeps rows identical between batches,
// so a progress batch re-renders no inspector row.
const liveRows = new WeakMap<SessionStartedEvent, InspectedRequest | null>();
const endedRows = new WeakMap<HistoryEntry, InspectedRequest | null>();

function cached<K extends object>(
  cache: WeakMap<K, InspectedRequest | null>,
  key: K,
  make: () => InspectedRequest | undefined,
): InspectedRequest | undefined {
  let row = cache.get(key);
  if (row === undefined) {
    row = make() ?? null;
    cache.set(key, row);
  }
  return row ?? undefined;
}

/**
 * Every request the fold still holds, newest first: the live ones, then the ended ones. Sessions
 * without a recorded request (transfers this app started itself) are not requests and are left out.
 */
export function inspectorRows(slice: SessionsSlice): InspectedRequest[] {
  const rows: InspectedRequest[] = [];
  for (let i = slice.order.length - 1; i >= 0; i--) {
    const s = slice.live[slice.order[i] as string];
    if (s === undefined) continue;
    const row = cached(liveRows, s.started, () => rowOf(s.started, undefined));
    if (row !== undefined) rows.push(row);
  }
  for (const entry of slice.history) {
    const row = cached(endedRows, entry, () => rowOf(entry.started, entry));
    if (row !== undefined) rows.push(row);
  }
  // history is newest-ended first; the inspector lists by arrival
  return rows.sort((a, b) => b.time - a.time);
}

export type Show = 'all' | 'problems' | 'mapped';

/** Rows whose peer, name, client, options, answer, reason or mapping contain every word typed. */
export function filterRequests(
  rows: readonly InspectedRequest[],
  query: string,
  show: Show = 'all',
): readonly InspectedRequest[] {
  const words = query
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  if (words.length === 0 && show === 'all') return rows;
  return rows.filter((r) => {
    if (show === 'problems' && (r.answer === 'served' || r.answer === 'serving')) return false;
    if (show === 'mapped' && r.mapped === undefined) return false;
    if (words.length === 0) return true;
    const text = [
      r.peer,
      r.name,
      r.client.text,
      r.mode,
      r.options,
      ANSWER_TEXT[r.answer],
      r.why,
      r.mapped?.to ?? '',
    ]
      .join('\n')
      .toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

export const SUGGESTION_TEXT: Readonly<Record<NameSuggestion['reason'], string>> = {
  case: 'differs only in case',
  extension: 'another extension',
  folder: 'in another folder',
  near: 'a near match',
};
