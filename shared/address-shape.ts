// Shape checks for addresses typed into settings (listen addresses, allow-lists, profile rules):
// pure text tests shared by the forms and the main process. The engine parses addresses exactly
// before use; these only keep obvious mistakes out of the settings.

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
/** Loose IPv6 shape check; the engine parses addresses exactly (ipaddr.js) before use. */
const IPV6 = /^[0-9a-fA-F:.]+(%[\w.-]+)?$/;

export function isIpAddress(text: string): boolean {
  return IPV4.test(text) || (text.includes(':') && IPV6.test(text));
}

/** `10.0.0.0/8`, `192.168.1.7`, `fe80::/10`, `::1` */
export function isCidrOrAddress(text: string): boolean {
  const [addr, prefix, extra] = text.split('/');
  if (extra !== undefined || addr === undefined || !isIpAddress(addr)) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (addr.includes(':') ? 128 : 32);
}

/** An address as one device: lower case, and an IPv4-mapped IPv6 address as the IPv4 it is. */
export function deviceAddress(address: string): string {
  const lower = address.toLowerCase();
  return lower.startsWith('::ffff:') && lower.includes('.') ? lower.slice(7) : lower;
}

/** The device address of a TFTP peer label: "192.0.2.7:1234", "[2001:db8::7]:1234", "[::ffff:192.0.2.7]:69". */
export function peerAddress(peer: string): string {
  const bracketed = /^\[([^\]]+)\]:\d+$/.exec(peer);
  if (bracketed?.[1] !== undefined) return deviceAddress(bracketed[1]);
  const colon = peer.lastIndexOf(':');
  const host = colon > 0 && peer.indexOf(':') === colon ? peer.slice(0, colon) : peer;
  return deviceAddress(host);
}
