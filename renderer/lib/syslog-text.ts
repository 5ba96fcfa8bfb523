// Syslog messages (and a device's timeline) as plain text, for Copy and Export: one line each,
// the time the message arrived first (a device's own clock is often unset), then what it said.
import type { SyslogMessage } from '../../shared/syslog';
import { priorityLabel } from './syslog-filter';
import { transferWords, type TimelineItem } from './syslog-timeline';

/** "2026-12-06T18:00:00.000Z 192.0.2.7 local0.err sw1 sshd[42]: message"; unparsed ones marked. */
export function formatSyslogLine(m: SyslogMessage, escape: (text: string) => string): string {
  const time = new Date(m.receivedAt).toISOString();
  if (m.format === 'raw') return `${time} ${m.peer.address} [unparsed] ${escape(m.raw)}`;
  const app =
    m.appName === undefined
      ? ''
      : ` ${escape(m.appName)}${m.procId !== undefined ? `[${escape(m.procId)}]` : ''}:`;
  const host = m.hostname !== undefined ? ` ${escape(m.hostname)}` : '';
  return `${time} ${m.peer.address} ${priorityLabel(m)}${host}${app} ${escape(m.message)}`;
}

export function syslogText(messages: readonly SyslogMessage[], escape: (text: string) => string): string {
  return messages.map((m) => formatSyslogLine(m, escape)).join('\n') + '\n';
}

export function formatTimelineLine(item: TimelineItem, escape: (text: string) => string): string {
  if (item.kind === 'syslog') return formatSyslogLine(item.message, escape);
  const time = new Date(item.time).toISOString();
  if (item.kind === 'lease') return `${time} ${item.mac} [dhcp] ${escape(item.text)}`;
  return `${time} ${item.peer} [tftp] ${transferWords(item)} ${escape(item.file)} ${escape(item.outcome)}`;
}

export function timelineText(items: readonly TimelineItem[], escape: (text: string) => string): string {
  return items.map((i) => formatTimelineLine(i, escape)).join('\n') + '\n';
}

/** tftp-desk-syslog-2026-12-06T18-00-00.log */
export function syslogFileName(now: Date): string {
  return `tftp-desk-syslog-${now.toISOString().slice(0, 19).replace(/:/g, '-')}.log`;
}
