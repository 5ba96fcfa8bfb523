// One device's story in time order: what it fetched or sent over TFTP (from the transfer history
// and the live sessions, matched by address) between the syslog messages it sent. A firmware
// upgrade reads as "fetched the image, said it was writing flash, rebooted, fetched its config".
import type { SessionStartedEvent } from '../../shared/events';
import type { HistoryEntry } from '../../shared/ipc-contract';
import type { SyslogMessage } from '../../shared/syslog';
import { deviceAddress } from './syslog-filter';

export type TimelineItem =
  | { kind: 'syslog'; key: string; time: number; message: SyslogMessage }
  | {
      kind: 'transfer';
      key: string;
      time: number;
      phase: 'started' | 'finished' | 'failed';
      peer: string;
      direction: SessionStartedEvent['direction'];
      file: string;
      /** "started", "finished (1.2 MiB)", "failed: File not found" */
      outcome: string;
    };

/** The address of a TFTP peer label: "192.0.2.7:1234" or "[2001:db8::7]:1234". */
export function peerAddress(peer: string): string {
  const bracketed = /^\[([^\]]+)\]:\d+$/.exec(peer);
  if (bracketed?.[1] !== undefined) return deviceAddress(bracketed[1]);
  const colon = peer.lastIndexOf(':');
  const host = colon > 0 && peer.indexOf(':') === colon ? peer.slice(0, colon) : peer;
  return deviceAddress(host);
}

function started(s: SessionStartedEvent): TimelineItem {
  return {
    kind: 'transfer',
    key: `t-${s.id}-start`,
    time: s.time,
    phase: 'started',
    peer: s.peer,
    direction: s.direction,
    file: s.file,
    outcome: 'started',
  };
}

function ended(entry: HistoryEntry, formatBytes: (n: number) => string): TimelineItem {
  const { started: s, end } = entry;
  const failed = end.type === 'session-failed';
  return {
    kind: 'transfer',
    key: `t-${s.id}-end`,
    time: end.time,
    phase: failed ? 'failed' : 'finished',
    peer: s.peer,
    direction: s.direction,
    file: s.file,
    outcome: failed ? `failed: ${end.message}` : `finished (${formatBytes(end.stats.bytes)})`,
  };
}

/**
 * The device's messages and transfers, oldest first; at equal times a transfer's start comes
 * before the messages and its end after them (a device logs while it transfers).
 */
export function deviceTimeline(
  device: string,
  messages: readonly SyslogMessage[],
  history: readonly HistoryEntry[],
  live: readonly SessionStartedEvent[],
  formatBytes: (n: number) => string,
): TimelineItem[] {
  const items: { item: TimelineItem; rank: number }[] = [];
  for (const m of messages) {
    if (deviceAddress(m.peer.address) !== device) continue;
    items.push({ item: { kind: 'syslog', key: `s-${m.id}`, time: m.receivedAt, message: m }, rank: 1 });
  }
  for (const entry of history) {
    if (peerAddress(entry.started.peer) !== device) continue;
    items.push({ item: started(entry.started), rank: 0 });
    items.push({ item: ended(entry, formatBytes), rank: 2 });
  }
  for (const s of live) {
    if (peerAddress(s.peer) === device) items.push({ item: started(s), rank: 0 });
  }
  // stable: messages keep their arrival order among equal times
  return items.sort((a, b) => a.item.time - b.item.time || a.rank - b.rank).map((x) => x.item);
}
