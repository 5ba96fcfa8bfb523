// One device's story in time order: its DHCP lease (the boot services' decisions for the MAC that
// holds its address, and when the lease ends), what it fetched or sent over TFTP (the transfer
// history and the live sessions, ours included, matched by address) between the syslog messages
// it sent. A firmware upgrade reads as "got its address, fetched the image, said it was writing
// flash, rebooted, got its address again, fetched its config".
import type { DhcpLeaseView } from '../../shared/dhcp';
import type { LogEvent, SessionStartedEvent } from '../../shared/events';
import type { HistoryEntry } from '../../shared/ipc-contract';
import type { SyslogMessage } from '../../shared/syslog';
import { deviceAddress, peerAddress } from '../../shared/address-shape';

export type TimelineItem =
  | { kind: 'syslog'; key: string; time: number; message: SyslogMessage }
  | {
      kind: 'transfer';
      key: string;
      time: number;
      phase: 'started' | 'finished' | 'failed';
      peer: string;
      direction: SessionStartedEvent['direction'];
      /** 'client' for a transfer we started ("Send to device") */
      role?: 'client';
      file: string;
      /** "started", "finished (1.2 MiB)", "failed: File not found" */
      outcome: string;
    }
  | {
      kind: 'lease';
      key: string;
      time: number;
      mac: string;
      /** a boot services decision ("DHCP REQUEST: acked 10.0.0.5 ...") or "lease ends ..." */
      text: string;
    };

/** What the renderer knows of the boot services: the lease table and the log (decision lines). */
export interface DhcpKnowledge {
  leases: readonly DhcpLeaseView[];
  log: readonly LogEvent[];
}

type TransferItem = Extract<TimelineItem, { kind: 'transfer' }>;

/** Which way a transfer went: the server's 'download'/'upload', or ours 'to device'/'from device'. */
export function transferWords(item: Pick<TransferItem, 'direction' | 'role'>): string {
  if (item.role !== 'client') return item.direction;
  return item.direction === 'download' ? 'to device' : 'from device';
}

export { peerAddress };

function started(s: SessionStartedEvent): TimelineItem {
  return {
    kind: 'transfer',
    key: `t-${s.id}-start`,
    time: s.time,
    phase: 'started',
    peer: s.peer,
    direction: s.direction,
    ...(s.role !== undefined ? { role: s.role } : {}),
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
    ...(s.role !== undefined ? { role: s.role } : {}),
    file: s.file,
    outcome: failed ? `failed: ${end.message}` : `finished (${formatBytes(end.stats.bytes)})`,
  };
}

/** The boot services' lines for the MACs that hold (or held) this address, and when a bound lease ends. */
function leaseItems(device: string, dhcp: DhcpKnowledge): TimelineItem[] {
  const held = dhcp.leases.filter((l) => deviceAddress(l.address) === device);
  if (held.length === 0) return [];
  const macs = new Set(held.map((l) => l.mac.toLowerCase()));
  const out: TimelineItem[] = [];
  let n = 0;
  for (const line of dhcp.log) {
    const mac = line.peer?.toLowerCase();
    if (mac === undefined || !macs.has(mac) || !line.message.startsWith('DHCP ')) continue;
    out.push({ kind: 'lease', key: `l-${line.time}-${n++}`, time: line.time, mac, text: line.message });
  }
  for (const l of held) {
    if (l.state !== 'bound') continue; // the other states' moments are in the decision lines
    const who = [l.mac, l.hostname !== undefined ? `"${l.hostname}"` : ''].filter((x) => x).join(' ');
    const boot = l.bootFile !== undefined ? `, boot file ${l.bootFile}` : '';
    out.push({
      kind: 'lease',
      key: `l-end-${l.mac}-${l.expiresAt}`,
      time: l.expiresAt,
      mac: l.mac.toLowerCase(),
      text: `lease of ${l.address} to ${who}${l.reserved ? ' (reserved)' : ''} ends${boot}`,
    });
  }
  return out;
}

/**
 * The device's lease events, messages and transfers, oldest first; at equal times lease events come
 * first (an address before anything is sent from it), then a transfer's start, the messages, and a
 * transfer's end (a device logs while it transfers).
 */
export function deviceTimeline(
  device: string,
  messages: readonly SyslogMessage[],
  history: readonly HistoryEntry[],
  live: readonly SessionStartedEvent[],
  formatBytes: (n: number) => string,
  dhcp: DhcpKnowledge = { leases: [], log: [] },
): TimelineItem[] {
  const items: { item: TimelineItem; rank: number }[] = [];
  for (const item of leaseItems(device, dhcp)) items.push({ item, rank: -1 });
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
