// Turns a socket that would not open into words a person can act on: who probably holds the port
// and how to find out, or how to get the right to bind it on this operating system. Never a stack
// trace. The ports: 67 (BOOTP/DHCP server, RFC 951, RFC 2131 section 4.1), 68 (client, used by
// the check for another server) and 4011 (PXE boot server, PXE 2.1 section 2.2.1).

import { currentProgram, linuxPrivilegeHint, type PortProgram } from '../../shared/port-privileges.js';

export interface PortProblem {
  /** what happened, one sentence */
  message: string;
  /** what to do */
  hint: string;
}

export type PortRole = 'server' | 'client' | 'proxy';

const ROLE_NAMES: Record<PortRole, string> = {
  server: 'the DHCP server port',
  client: 'the DHCP client port (used to check for another DHCP server)',
  proxy: 'the PXE boot server port',
};

function whoFinds(port: number, platform: NodeJS.Platform): string {
  switch (platform) {
    case 'linux':
      return `"sudo ss -ulpn 'sport = :${port}'" shows which program it is`;
    case 'darwin':
      return `"sudo lsof -nP -iUDP:${port}" shows which program it is`;
    case 'win32':
      return `"netstat -abno -p UDP" in an administrator prompt shows which program it is`;
    default:
      return 'your system tools show which program it is';
  }
}

function serverPortHolders(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'win32':
      return 'Internet Connection Sharing (the "SharedAccess" service), a virtual machine host\'s DHCP service (VMware, VirtualBox, Hyper-V), or another DHCP server (Tftpd64, Open DHCP Server, a second TFTP Desk)';
    case 'darwin':
      return "Internet Sharing (it runs bootpd), a virtual machine host's DHCP service (VMware Fusion, Parallels, UTM), or another DHCP server (dnsmasq, a second TFTP Desk)";
    default:
      return "dnsmasq (also started by libvirt's default network and by NetworkManager's shared connections), isc-dhcp-server or Kea, a virtual machine host's DHCP service, or a second TFTP Desk";
  }
}

function clientPortHolders(platform: NodeJS.Platform): string {
  switch (platform) {
    case 'win32':
      return 'the Windows DHCP Client service';
    case 'darwin':
      return "macOS's own DHCP client (configd)";
    default:
      return 'a DHCP client on this machine (dhclient, dhcpcd, NetworkManager or systemd-networkd)';
  }
}

function holders(role: PortRole, platform: NodeJS.Platform): string {
  if (role === 'server') return serverPortHolders(platform);
  if (role === 'client') return clientPortHolders(platform);
  return 'another PXE boot server (Windows Deployment Services, Serva, dnsmasq with pxe-service, a second TFTP Desk)';
}

/** How to get the right to bind a port below 1024 on this system. */
export function privilegeHint(
  platform: NodeJS.Platform = process.platform,
  program: PortProgram = currentProgram(),
): string {
  switch (platform) {
    case 'linux':
      // DHCP has no other port to fall back on: devices only ever ask on 67.
      return linuxPrivilegeHint(program, {
        need: 'DHCP ports are below 1024 and need privileges on Linux',
        purpose: 'answer DHCP',
      });
    case 'darwin':
      return 'macOS refused the port: start TFTP Desk with sudo (binding a DHCP port to one address needs administrator rights).';
    case 'win32':
      return 'Windows refused the port: run TFTP Desk as administrator, and allow it through Windows Defender Firewall when asked; security software may also block DHCP ports.';
    default:
      return 'DHCP ports are below 1024 and need administrator rights: run TFTP Desk elevated.';
  }
}

export function bindProblem(
  err: NodeJS.ErrnoException,
  address: string,
  port: number,
  role: PortRole,
  platform: NodeJS.Platform = process.platform,
): PortProblem {
  const where = `${address}:${port}`;
  const what = `${ROLE_NAMES[role]} ${port}`;
  switch (err.code) {
    case 'EADDRINUSE': {
      const proxyNote =
        role === 'server' ? ' Proxy mode needs port 67 as well, so that program has to stop either way.' : '';
      const forceNote =
        role === 'client'
          ? ' Or turn on "start anyway" (force) to skip the check, if you are sure no other DHCP server is on that network.'
          : '';
      return {
        message: `${capitalize(what)} is already in use (${where}).`,
        hint: `Probably ${holders(role, platform)}; ${whoFinds(port, platform)}. Stop it and start again.${proxyNote}${forceNote}`,
      };
    }
    case 'EACCES':
    case 'EPERM':
      return { message: `Permission denied for ${what} (${where}).`, hint: privilegeHint(platform) };
    case 'EADDRNOTAVAIL':
    case 'EINVAL':
      return {
        message: `The address ${address} is not on this machine.`,
        hint: 'Pick the interface again: an adapter that was unplugged or reconfigured has no such address any more.',
      };
    default:
      return {
        message: `Could not open ${what} (${where}): ${err.code ?? err.message}.`,
        hint: 'Check the chosen interface and try again.',
      };
  }
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
