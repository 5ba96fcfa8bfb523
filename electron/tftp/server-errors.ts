// Turns a failure to start into something a person can act on: what happened and what to do,
// for this operating system. Never a stack trace.
import type { ServerErrorCode, ServerState } from '../../shared/events.js';
import { currentProgram, linuxPrivilegeHint, type PortProgram } from '../../shared/port-privileges.js';

export { currentProgram, type PortProgram };

type ErrorState = Extract<ServerState, { state: 'error' }>;

export function privilegedPortHint(
  port: number,
  platform: NodeJS.Platform = process.platform,
  program: PortProgram = currentProgram(),
): string {
  const alt = port === 69 ? '6969' : 'a port above 1023, such as 6969';
  switch (platform) {
    case 'linux':
      return linuxPrivilegeHint(program, {
        need: 'Ports below 1024 need privileges on Linux',
        purpose: `serve port ${port}`,
        alternative: `use ${alt}`,
      });
    case 'darwin':
      // Since macOS 10.14 any program may bind a low port on all addresses; one address still needs root.
      return `macOS lets any program use ports below 1024 on all interfaces, but not on one address: choose "All interfaces", run with sudo, or use ${alt}.`;
    case 'win32':
      return `Windows refused the port: another program may hold it, or security software blocks it. Try running as administrator, or use ${alt}.`;
    default:
      return `Ports below 1024 need administrator rights: run elevated, or use ${alt}.`;
  }
}

export function bindErrorState(err: NodeJS.ErrnoException, address: string, port: number): ErrorState {
  const where = `${address.includes(':') ? `[${address}]` : address}:${port}`;
  const code = err.code;
  if (code === 'EADDRINUSE') {
    return {
      state: 'error',
      code: 'EADDRINUSE',
      message: `Port ${port} is already in use on ${where}.`,
      hint: `Another TFTP server (tftpd-hpa, Tftpd64, dnsmasq, a second TFTP Desk) is probably running. Stop it, or choose another port such as ${port === 6969 ? 6970 : 6969}.`,
    };
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return {
      state: 'error',
      code: 'EACCES',
      message: `Permission denied for port ${port} on ${where}.`,
      hint: privilegedPortHint(port),
    };
  }
  if (code === 'EADDRNOTAVAIL' || code === 'EINVAL') {
    return {
      state: 'error',
      code: 'EADDRNOTAVAIL',
      message: `The address ${address} is not on this machine.`,
      hint: 'Pick one of the interfaces listed, or all interfaces; an adapter that was unplugged has no address.',
    };
  }
  return errorState(
    'INTERNAL',
    `Could not open ${where}: ${code ?? 'unknown error'}.`,
    'Try another port or interface.',
  );
}

export function errorState(code: ServerErrorCode, message: string, hint?: string): ErrorState {
  return hint === undefined ? { state: 'error', code, message } : { state: 'error', code, message, hint };
}
