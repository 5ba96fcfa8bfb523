// What the app checks before the boot services start, beyond the settings check the service makes
// itself: the chosen address is still on this machine with the same subnet, and the TFTP server
// listens where DHCP sends devices. Pure: the interfaces and the TFTP settings come in as data.
import type { DhcpSettings } from '../../shared/dhcp.js';
import type { ServerState } from '../../shared/events.js';
import type { NetInterface } from '../../shared/ipc-contract.js';
import type { EngineSettings } from '../../shared/settings.js';

export interface Refusal {
  message: string;
  hint: string;
}

export interface Preflight {
  refusal?: Refusal;
  /** said beside the running state: DHCP works, but devices may not get their file */
  notes: string[];
}

function ipv4List(interfaces: readonly NetInterface[]): string {
  const all = interfaces.flatMap((i) =>
    i.addresses.filter((a) => a.family === 'IPv4').map((a) => `${i.name} ${a.address}/${a.prefix}`),
  );
  return all.join(', ') || 'none';
}

export function preflightDhcp(
  s: DhcpSettings,
  interfaces: readonly NetInterface[],
  tftp: Pick<EngineSettings, 'hosts' | 'port'>,
  tftpState: ServerState,
): Preflight {
  const found = interfaces
    .flatMap((i) => i.addresses.map((a) => ({ name: i.name, ...a })))
    .find((a) => a.family === 'IPv4' && a.address === s.interfaceAddress);
  if (!found) {
    return {
      notes: [],
      refusal: {
        message: `No interface of this machine has the address ${s.interfaceAddress || '(none chosen)'} now (IPv4 addresses here: ${ipv4List(interfaces)}).`,
        hint: 'Choose the interface the devices are on.',
      },
    };
  }
  if (found.prefix !== s.prefixLength) {
    return {
      notes: [],
      refusal: {
        message: `${found.name} has ${s.interfaceAddress}/${found.prefix} now, not /${s.prefixLength} as saved.`,
        hint: 'Choose the interface again, and check the range still fits its subnet.',
      },
    };
  }
  const hosts = tftp.hosts;
  if (hosts.length > 0 && !hosts.includes(s.interfaceAddress) && !hosts.includes('0.0.0.0')) {
    return {
      notes: [],
      refusal: {
        message: `DHCP sends devices to ${s.interfaceAddress} for their boot file, but TFTP listens only on ${hosts.join(', ')}.`,
        hint: `Add ${s.interfaceAddress} to the listen addresses in Settings, or leave them empty.`,
      },
    };
  }
  const notes: string[] = [];
  if (tftp.port !== 69)
    notes.push(`Devices ask for their boot file on port 69, but TFTP listens on port ${tftp.port}.`);
  if (tftpState.state !== 'listening' && tftpState.state !== 'starting')
    notes.push('The TFTP server is not running: start it, or devices get an address but no boot file.');
  return { notes };
}
