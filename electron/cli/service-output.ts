// How `tftp-desk serve` prints the boot services and the syslog receiver: a human line per DHCP
// decision and state change, one per syslog message. Text a device chose (host names, vendor
// classes, messages) is escaped like file names, so it cannot drive the terminal.
import type { DhcpDecision, DhcpEvent, DhcpServiceState } from '../../shared/dhcp.js';
import { archName } from '../../shared/dhcp-view.js';
import { severityName, type SyslogEvent, type SyslogMessage } from '../../shared/syslog.js';
import { printable } from './cli-output.js';

const clock = (t: number) => new Date(t).toTimeString().slice(0, 8);

export function describeDhcpState(s: DhcpServiceState): { line: string; error: boolean } | undefined {
  switch (s.status) {
    case 'checking':
    case 'running':
      return { line: `dhcp: ${s.message ?? s.status}`, error: false };
    case 'error':
      return { line: `dhcp error: ${s.message ?? 'failed'}${s.hint ? `\n  ${s.hint}` : ''}`, error: true };
    case 'stopped':
      return s.message && s.mode !== 'off' ? { line: `dhcp: ${s.message}`, error: false } : undefined;
  }
}

export function describeDhcpDecision(d: DhcpDecision): string {
  const who = d.mac ? ` ${d.mac}` : '';
  const kind = [
    d.vendorClass ? printable(d.vendorClass) : '',
    archName(d.arch),
    d.userClass ? printable(d.userClass) : '',
  ]
    .filter((x) => x !== '')
    .join(', ');
  const address = d.address ? ` ${d.address}` : '';
  const boot = d.bootFile ? ` boot ${printable(d.bootFile)}` : '';
  const via = d.via === 'proxy-4011' ? ' (port 4011)' : '';
  return `[${clock(d.at)}] dhcp ${d.kind}${who}${kind ? ` (${kind})` : ''}${via} -> ${d.outcome}${address}${boot}: ${printable(d.reason)}`;
}

export function printDhcpEvent(e: DhcpEvent, out: (line: string) => void, err: (line: string) => void): void {
  if (e.type === 'dhcp-state') {
    const said = describeDhcpState(e.state);
    if (said) (said.error ? err : out)(said.line);
  } else if (e.type === 'dhcp-decision') {
    out(describeDhcpDecision(e.decision));
  }
  // dhcp-leases: every change to a lease is already a decision line; --json carries the table.
}

export function describeSyslogMessage(m: SyslogMessage): string {
  const severity = m.severity !== undefined ? (severityName(m.severity) ?? String(m.severity)) : 'raw';
  const host = m.hostname ? ` ${printable(m.hostname)}` : '';
  const app = m.appName ? ` ${printable(m.appName)}:` : '';
  return `[${clock(m.receivedAt)}] syslog ${m.peer.address} ${severity}${host}${app} ${printable(m.message)}`;
}

export function printSyslogEvent(
  e: SyslogEvent,
  out: (line: string) => void,
  err: (line: string) => void,
): void {
  switch (e.type) {
    case 'syslog-state':
      if (e.state.state === 'listening') {
        for (const a of e.state.addresses) {
          const where = a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
          out(`syslog: listening on ${where}`);
        }
      } else if (e.state.state === 'error') {
        err(`syslog error: ${e.state.message}${e.state.hint ? `\n  ${e.state.hint}` : ''}`);
      }
      return;
    case 'syslog-messages':
      for (const m of e.messages) out(describeSyslogMessage(m));
      return;
    case 'syslog-dropped': {
      const n = e.dropped.rateLimited + e.dropped.notAllowed;
      const worst = e.senders
        .slice(0, 3)
        .map((s) => s.address)
        .join(', ');
      err(
        `syslog: ${n} message${n === 1 ? '' : 's'} dropped (${e.dropped.rateLimited} over the rate limit, ${e.dropped.notAllowed} not allowed)${worst ? `, most from ${worst}` : ''}`,
      );
      return;
    }
  }
}
