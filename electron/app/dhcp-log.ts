// The boot services in the app's log, one line per decision and state change, so the Log tab tells
// what happened to each device. Text a device chose (vendor class, user class) stays as sent: the
// Log tab escapes control characters when it draws a line.
import type { DhcpDecision, DhcpServiceState } from '../../shared/dhcp.js';
import { archName } from '../../shared/dhcp-view.js';
import type { LogEvent } from '../../shared/events.js';

export function dhcpDecisionLog(d: DhcpDecision): LogEvent {
  const client = [d.vendorClass ?? '', archName(d.arch), d.userClass ?? '']
    .filter((x) => x !== '')
    .join(', ');
  const address = d.address ? ` ${d.address}` : '';
  const boot = d.bootFile ? `, boot file ${d.bootFile}` : '';
  const via = d.via === 'proxy-4011' ? ' (port 4011)' : '';
  const message = `DHCP ${d.kind}${client ? ` (${client})` : ''}${via}: ${d.outcome}${address}${boot}. ${d.reason}`;
  const log: LogEvent = {
    type: 'log',
    time: d.at,
    // every device on the network may ask; what was not for us is detail
    level:
      d.outcome === 'ignored' ? 'debug' : d.outcome === 'nak' || d.outcome === 'declined' ? 'warn' : 'info',
    message,
  };
  if (d.mac) log.peer = d.mac;
  return log;
}

/** The state change as a log line; undefined for a plain stop with nothing to say. */
export function dhcpStateLog(s: DhcpServiceState, time: number): LogEvent | undefined {
  const line = (level: LogEvent['level'], message: string): LogEvent => ({
    type: 'log',
    time,
    level,
    message,
  });
  switch (s.status) {
    case 'checking':
    case 'running':
      return line('info', `Boot services: ${s.message ?? s.status}`);
    case 'error':
      return line(
        'error',
        `Boot services not running: ${s.message ?? 'failed'}${s.hint ? ` ${s.hint}` : ''}`,
      );
    case 'stopped':
      return line('info', `Boot services stopped.${s.message ? ` ${s.message}` : ''}`);
  }
}
