// Turns a failure to start into something a person can act on: what happened and what to do,
// for this operating system. Never a stack trace.
import path from 'node:path';
import type { ServerErrorCode, ServerState } from '../../shared/events.js';

type ErrorState = Extract<ServerState, { state: 'error' }>;

/** Which program would have to hold the right to bind a low port (the hint names it). */
export interface PortProgram {
  /** the executable: node for `tftp-desk serve`, the app's own binary in the desktop app */
  execPath: string;
  /** running inside the Electron app */
  electron: boolean;
  /** the AppImage file, when the desktop app runs from one ($APPIMAGE) */
  appImage?: string;
}

export function currentProgram(): PortProgram {
  const appImage = process.env.APPIMAGE;
  return {
    execPath: process.execPath,
    electron: process.versions.electron !== undefined,
    ...(appImage ? { appImage } : {}),
  };
}

/** One shell word: single-quoted, with embedded quotes closed and escaped. */
function shellWord(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

function linuxHint(program: PortProgram, alt: string): string {
  const need = 'Ports below 1024 need privileges on Linux';
  if (program.appImage !== undefined) {
    // an AppImage runs from a read-only, nosuid mount: no file capability can be set or honoured there
    return `${need}, and an AppImage cannot be given them: use ${alt}, run it as root, or install the .deb package, where the app can be granted the capability once.`;
  }
  const grant = `sudo setcap cap_net_bind_service=+ep ${shellWord(program.execPath)}`;
  if (program.electron) {
    // A binary holding a capability runs in secure-execution mode, where the loader ignores the
    // $ORIGIN path the app finds its bundled libraries (libffmpeg.so) by: list the folder instead.
    const folder = path.dirname(program.execPath);
    const libraries = `echo ${shellWord(folder)} | sudo tee /etc/ld.so.conf.d/tftp-desk.conf && sudo ldconfig`;
    return `${need}. To serve port 69 as yourself, grant the app the capability once: "${grant}", and let it find its libraries again: "${libraries}". Then restart TFTP Desk. Or use ${alt}.`;
  }
  return `${need}: grant the capability once with "${grant}" (every script that program runs gets it), run as root, or use ${alt}.`;
}

export function privilegedPortHint(
  port: number,
  platform: NodeJS.Platform = process.platform,
  program: PortProgram = currentProgram(),
): string {
  const alt = port === 69 ? '6969' : 'a port above 1023, such as 6969';
  switch (platform) {
    case 'linux':
      return linuxHint(program, alt);
    case 'darwin':
      return `Ports below 1024 may need administrator rights on macOS: run with sudo, or use ${alt}.`;
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
