// Which syslog messages the Syslog tab shows: by device (sender address), by minimum severity
// (RFC 5424: 0 emerg is the most severe, 7 debug the least) and by text. Pure, for the tests.
import { deviceAddress } from '../../shared/address-shape';
import { facilityName, severityName, type SyslogMessage } from '../../shared/syslog';

export interface SyslogFilter {
  /** sender address; '' = every device */
  device: string;
  /** the least severe level shown (0-7); 7 shows everything, unparsable messages included */
  maxSeverity: number;
  /** case-insensitive text to find in the message, host, app, address or message id */
  search: string;
}

export const ALL_MESSAGES: SyslogFilter = { device: '', maxSeverity: 7, search: '' };

/**
 * The address a device is known by: an IPv4 peer reported as an IPv4-mapped IPv6 address is the
 * same device as the plain IPv4 one.
 */
export { deviceAddress };

export function matchesSyslogFilter(m: SyslogMessage, filter: SyslogFilter): boolean {
  if (filter.device !== '' && deviceAddress(m.peer.address) !== filter.device) return false;
  // a message without PRI has no severity: it shows only when every level does
  if (filter.maxSeverity < 7 && (m.severity === undefined || m.severity > filter.maxSeverity)) return false;
  if (filter.search === '') return true;
  const needle = filter.search.toLowerCase();
  return [m.message, m.hostname, m.appName, m.msgId, m.peer.address].some(
    (field) => field?.toLowerCase().includes(needle) ?? false,
  );
}

/** The messages that pass; the same array when nothing is filtered out. */
export function filterSyslog(
  messages: readonly SyslogMessage[],
  filter: SyslogFilter,
): readonly SyslogMessage[] {
  if (filter.device === '' && filter.maxSeverity >= 7 && filter.search === '') return messages;
  return messages.filter((m) => matchesSyslogFilter(m, filter));
}

export interface SyslogDevice {
  address: string;
  /** the host name it last gave, when it gave one */
  hostname?: string;
  count: number;
}

/** The devices heard from, in address order, with the newest host name each one sent. */
export function syslogDevices(messages: readonly SyslogMessage[]): SyslogDevice[] {
  const byAddress = new Map<string, SyslogDevice>();
  for (const m of messages) {
    const address = deviceAddress(m.peer.address);
    const device = byAddress.get(address) ?? { address, count: 0 };
    device.count++;
    if (m.hostname !== undefined && m.hostname !== '') device.hostname = m.hostname;
    byAddress.set(address, device);
  }
  return [...byAddress.values()].sort((a, b) =>
    a.address.localeCompare(b.address, undefined, { numeric: true }),
  );
}

/** "local0", "kern"; '' when the message had no PRI. */
export function facilityLabel(m: SyslogMessage): string {
  if (m.facility === undefined) return '';
  return facilityName(m.facility) ?? String(m.facility);
}

/** "local0.err", "user.notice"; '' when the message had no PRI. */
export function priorityLabel(m: SyslogMessage): string {
  if (m.severity === undefined) return '';
  const severity = severityName(m.severity) ?? String(m.severity);
  const facility = m.facility === undefined ? undefined : (facilityName(m.facility) ?? String(m.facility));
  return facility === undefined ? severity : `${facility}.${severity}`;
}
