// Network interfaces (kept live by the `interfaces` push) and the address the device commands
// use. Which interfaces the server listens on is a setting (`hosts`); the helpers below map
// between the two.
import { create } from 'zustand';
import type { NetAddress, NetInterface } from '../../shared/ipc-contract';

export interface InterfacesSlice {
  interfaces: readonly NetInterface[];
  /** the address picked for the device commands; null = pick a sensible one */
  commandAddress: string | null;
}

export const useInterfacesStore = create<InterfacesSlice>()(() => ({ interfaces: [], commandAddress: null }));

export const ALL_INTERFACES = '*';

/** IPv6 link-local addresses need a zone to bind to; listening on them is left to "all interfaces". */
export function isLinkLocalV6(address: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(address);
}

/** The addresses to put in `hosts` when the user picks this interface. */
export function hostsForInterface(iface: NetInterface): string[] {
  return iface.addresses.filter((a) => !isLinkLocalV6(a.address)).map((a) => a.address);
}

/** Which choice of the picker the saved host list corresponds to: an interface name, ALL_INTERFACES or null. */
export function listenChoice(interfaces: readonly NetInterface[], hosts: readonly string[]): string | null {
  if (hosts.length === 0) return ALL_INTERFACES;
  const match = interfaces.find((i) => hosts.every((h) => i.addresses.some((a) => a.address === h)));
  return match?.name ?? null;
}

export interface AddressOption extends NetAddress {
  interface: string;
}

/** Every address a device could reach us on, for the command address picker. */
export function addressOptions(
  interfaces: readonly NetInterface[],
  hosts: readonly string[],
): AddressOption[] {
  const all = interfaces.flatMap((i) => i.addresses.map((a) => ({ ...a, interface: i.name })));
  const listened = hosts.length === 0 ? all : all.filter((a) => hosts.includes(a.address));
  return listened.length > 0
    ? listened
    : hosts.map((h) => ({
        address: h,
        family: h.includes(':') ? 'IPv6' : 'IPv4',
        prefix: h.includes(':') ? 64 : 24,
        interface: '',
      }));
}

function rank(option: AddressOption, interfaces: readonly NetInterface[]): number {
  const iface = interfaces.find((i) => i.name === option.interface);
  let score = 0;
  if (option.family === 'IPv4') score += 4;
  if (iface?.isDefault) score += 2;
  if (iface !== undefined && !iface.internal) score += 8;
  if (isLinkLocalV6(option.address)) score -= 3;
  return score;
}

/** The user's pick when it still exists; otherwise an external IPv4 on the default-route interface. */
export function resolveCommandAddress(
  interfaces: readonly NetInterface[],
  hosts: readonly string[],
  picked: string | null,
): AddressOption | undefined {
  const options = addressOptions(interfaces, hosts);
  const chosen = picked === null ? undefined : options.find((o) => o.address === picked);
  if (chosen !== undefined) return chosen;
  return [...options].sort((a, b) => rank(b, interfaces) - rank(a, interfaces))[0];
}
