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
  const listened = hosts.length === 0 ? all : all.filter((a) => listensOn(hosts, a));
  return listened.length > 0
    ? listened
    : hosts.map((h) => ({
        address: h,
        family: h.includes(':') ? 'IPv6' : 'IPv4',
        prefix: h.includes(':') ? 64 : 24,
        interface: '',
      }));
}

/**
 * "--host 0.0.0.0" and "--host ::" listen on every address (of one family, or both: a Linux "::"
 * socket is dual-stack), just as an empty list does, so they offer every address too.
 */
function listensOn(hosts: readonly string[], a: NetAddress): boolean {
  if (hosts.includes(a.address) || hosts.includes('::')) return true;
  return a.family === 'IPv4' && hosts.includes('0.0.0.0');
}

function isLoopback(option: AddressOption, iface: NetInterface | undefined): boolean {
  if (iface !== undefined) return iface.internal;
  return option.address === '::1' || option.address.startsWith('127.');
}

/** Link-local addresses (169.254/16, fe80::/10) reach one segment at best, and IPv6 ones need a zone. */
function isLinkLocal(address: string): boolean {
  return isLinkLocalV6(address) || address.startsWith('169.254.');
}

/**
 * The order in which addresses are offered to the device commands, best first: the interface
 * holding the default route (IPv4, then IPv6), other external interfaces (IPv4, then IPv6),
 * link-local addresses, loopback last. Ties keep the OS's order.
 */
export function preferredAddresses(
  options: readonly AddressOption[],
  interfaces: readonly NetInterface[],
): AddressOption[] {
  const key = (o: AddressOption): number[] => {
    const iface = interfaces.find((i) => i.name === o.interface);
    return [
      isLoopback(o, iface) ? 1 : 0,
      isLinkLocal(o.address) ? 1 : 0,
      iface?.isDefault === true ? 0 : 1,
      o.family === 'IPv4' ? 0 : 1,
    ];
  };
  const keyed = options.map((o) => ({ o, k: key(o) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < a.k.length; i++) if (a.k[i] !== b.k[i]) return (a.k[i] ?? 0) - (b.k[i] ?? 0);
    return 0;
  });
  return keyed.map(({ o }) => o);
}

/** The user's pick when it still exists; otherwise the first of preferredAddresses(). */
export function resolveCommandAddress(
  interfaces: readonly NetInterface[],
  hosts: readonly string[],
  picked: string | null,
): AddressOption | undefined {
  const options = addressOptions(interfaces, hosts);
  const chosen = picked === null ? undefined : options.find((o) => o.address === picked);
  if (chosen !== undefined) return chosen;
  return preferredAddresses(options, interfaces)[0];
}
