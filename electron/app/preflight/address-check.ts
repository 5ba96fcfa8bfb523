// Is the address the device expects on one of our interfaces (on the one it is cabled to), and
// does the server listen there? If not, the exact command that adds it on this OS.
import type { NetInterface } from '../../../shared/ipc-contract.js';
import type { PreflightCheck } from '../../../shared/preflight.js';
import { formatIpv4, prefixMask } from '../../../shared/ipv4.js';

const TITLE = 'Address the device expects';

/** An interface name as one shell word: plain names stay as they are, anything else is single-quoted. */
function word(name: string): string {
  return /^[\w.:@-]+$/.test(name) ? name : `'${name.replaceAll("'", `'\\''`)}'`;
}

/** `sudo ip addr add 192.168.0.66/24 dev eth0` and its macOS and Windows twins. */
export function addAddressCommand(platform: string, iface: string, address: string, prefix: number): string {
  const v6 = address.includes(':');
  const mask = formatIpv4(prefixMask(prefix));
  switch (platform) {
    case 'win32':
      return v6
        ? `netsh interface ipv6 add address interface="${iface}" address=${address}/${prefix}`
        : `netsh interface ipv4 add address name="${iface}" address=${address} mask=${mask}`;
    case 'darwin':
      return v6
        ? `sudo ifconfig ${word(iface)} inet6 ${address} prefixlen ${prefix} alias`
        : `sudo ifconfig ${word(iface)} alias ${address} ${mask}`;
    default:
      return `sudo ip addr add ${address}/${prefix} dev ${word(iface)}`;
  }
}

function where(platform: string): string {
  if (platform === 'win32')
    return 'Run it in a Command Prompt opened as administrator. If Windows says DHCP is enabled on the adapter, give the adapter this address statically instead (Settings, Network, the adapter, IP assignment: Manual).';
  if (platform === 'darwin')
    return 'Run it in Terminal; the alias lasts until the next restart or cable change.';
  return 'Run it in a terminal; the address lasts until the next reboot or link change.';
}

export interface AddressInput {
  platform: string;
  interfaces: readonly NetInterface[];
  serverAddress?: string;
  prefix?: number;
  interfaceName?: string;
  /** the server's listen addresses (empty = all) */
  hosts: readonly string[];
}

export function checkAddress(input: AddressInput): PreflightCheck {
  const { serverAddress: address, interfaceName, platform } = input;
  if (address === undefined) {
    return {
      id: 'address',
      title: TITLE,
      status: 'skipped',
      summary: 'No address given: pick a recovery recipe or type the server address the device looks for.',
    };
  }
  const holder = input.interfaces.find((i) => i.addresses.some((a) => a.address === address));
  const chosen =
    interfaceName !== undefined ? input.interfaces.find((i) => i.name === interfaceName) : undefined;
  if (holder === undefined) {
    const iface =
      chosen?.name ??
      interfaceName ??
      (platform === 'win32' ? 'Ethernet' : platform === 'darwin' ? 'en0' : 'eth0');
    const prefix = input.prefix ?? (address.includes(':') ? 64 : 24);
    return {
      id: 'address',
      title: TITLE,
      status: 'problem',
      summary: `No interface of this machine has ${address}, so the device's requests to it go nowhere.`,
      evidence: `interfaces: ${input.interfaces.map((i) => `${i.name} ${i.addresses.map((a) => a.address).join(' ') || '-'}`).join('; ')}`,
      fix: {
        text: `Add ${address}/${prefix} to ${iface}${chosen === undefined && interfaceName === undefined ? ' (choose the interface the device is cabled to)' : ''}. ${where(platform)}`,
        command: addAddressCommand(platform, iface, address, prefix),
      },
    };
  }
  const hosts = input.hosts;
  if (hosts.length > 0 && !hosts.includes(address) && !hosts.includes('0.0.0.0') && !hosts.includes('::')) {
    return {
      id: 'address',
      title: TITLE,
      status: 'problem',
      summary: `${holder.name} has ${address}, but the server listens only on ${hosts.join(', ')}.`,
      fix: {
        text: `Add ${address} to the listen addresses in Settings, or leave them empty (all addresses).`,
      },
    };
  }
  if (chosen !== undefined && chosen.name !== holder.name) {
    return {
      id: 'address',
      title: TITLE,
      status: 'warning',
      summary: `${address} is on ${holder.name}, not on ${chosen.name} where you said the device is: its requests arrive on ${chosen.name}.`,
      fix: {
        text: `Move the address to ${chosen.name}, or cable the device to ${holder.name}.`,
        command: addAddressCommand(platform, chosen.name, address, input.prefix ?? 24),
      },
    };
  }
  return { id: 'address', title: TITLE, status: 'ok', summary: `${holder.name} has ${address}.` };
}
