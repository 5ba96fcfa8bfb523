// Turns a failure to listen into something a person can act on: what happened, who is probably in
// the way and what to do, for this operating system. Never a stack trace.
import { currentProgram, linuxPrivilegeHint, type PortProgram } from '../../shared/port-privileges.js';
import type { SyslogErrorCode, SyslogState } from '../../shared/syslog.js';

export type SyslogErrorState = Extract<SyslogState, { state: 'error' }>;

/** The port to suggest instead: unprivileged, and one devices are commonly pointed at. */
const alternative = (port: number) => (port === 1514 ? 5514 : 1514);

/** How to see which program holds a UDP port. */
export function whoHoldsPort(port: number, platform: NodeJS.Platform = process.platform): string {
  switch (platform) {
    case 'linux':
      return `sudo ss -ulpn 'sport = :${port}'`;
    case 'darwin':
      return `sudo lsof -nP -iUDP:${port}`;
    case 'win32':
      return `netstat -ano -p UDP | findstr :${port}`;
    default:
      return `sockstat -4 -6 -l -P udp -p ${port}`;
  }
}

/** Which syslog servers usually hold the port on this system. */
function usualHolders(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'linux':
      return 'rsyslog or syslog-ng with network input on, or another syslog app';
    case 'darwin':
      return 'syslogd with network input on, or another syslog app';
    case 'win32':
      return 'a syslog app such as Kiwi Syslog, Visual Syslog or the syslog server in Tftpd64';
    default:
      return 'syslogd with network input on, or another syslog app';
  }
}

export function portInUseHint(port: number, platform: NodeJS.Platform = process.platform): string {
  const who =
    port === 514
      ? `Another syslog server is listening: ${usualHolders(platform)}.`
      : 'Another program holds it (a syslog server, or a second copy of this app).';
  return `${who} See which with "${whoHoldsPort(port, platform)}". Stop it, or use port ${alternative(port)} and point the devices there (Cisco: "logging host ADDRESS transport udp port ${alternative(port)}").`;
}

export function permissionHint(
  port: number,
  platform: NodeJS.Platform = process.platform,
  program: PortProgram = currentProgram(),
): string {
  const alt = alternative(port);
  if (port >= 1024 && platform !== 'win32')
    return `The system refused port ${port} (a security policy may forbid it). Try another port, such as ${alt}.`;
  switch (platform) {
    case 'linux':
      return linuxPrivilegeHint(program, {
        need: 'Ports below 1024 need privileges on Linux',
        purpose: `receive syslog on port ${port}`,
        alternative: `use port ${alt} and point the devices there`,
      });
    case 'darwin':
      return `Ports below 1024 may need administrator rights on macOS (listening on all addresses usually does not): listen on all addresses, run with sudo, or use port ${alt}.`;
    case 'win32':
      return `Windows refused the port: another program may hold it exclusively, or Windows reserves it (see "netsh int ipv4 show excludedportrange protocol=udp"). Try port ${alt}, or run as administrator.`;
    default:
      return `Ports below 1024 need administrator rights: run elevated, or use port ${alt}.`;
  }
}

export function errorState(code: SyslogErrorCode, message: string, hint?: string): SyslogErrorState {
  return hint === undefined ? { state: 'error', code, message } : { state: 'error', code, message, hint };
}

export function bindErrorState(
  err: NodeJS.ErrnoException,
  address: string,
  port: number,
  platform: NodeJS.Platform = process.platform,
): SyslogErrorState {
  const where = `${address.includes(':') ? `[${address}]` : address}:${port}`;
  switch (err.code) {
    case 'EADDRINUSE':
      return errorState(
        'EADDRINUSE',
        `UDP port ${port} is already in use on ${where}.`,
        portInUseHint(port, platform),
      );
    case 'EACCES':
    case 'EPERM':
      return errorState(
        'EACCES',
        `Permission denied for UDP port ${port} on ${where}.`,
        permissionHint(port, platform),
      );
    case 'EADDRNOTAVAIL':
    case 'EINVAL':
      return errorState(
        'EADDRNOTAVAIL',
        `The address ${address} is not on this machine.`,
        'Pick one of its addresses, or all addresses; an adapter that was unplugged has none.',
      );
    default:
      return errorState(
        'INTERNAL',
        `Could not listen on ${where}: ${err.code ?? err.message}.`,
        'Try another port or address.',
      );
  }
}

/** "No IPv6 here": then listening on every address means every IPv4 address, and that is fine. */
export const isNoIpv6 = (err: NodeJS.ErrnoException) =>
  err.code === 'EAFNOSUPPORT' || err.code === 'EADDRNOTAVAIL' || err.code === 'EPROTONOSUPPORT';
