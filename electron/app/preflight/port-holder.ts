// What the socket-listing parsers (ss, netstat + tasklist, lsof) have in common: one bound UDP
// socket and whoever holds it, when the command could tell.

export interface PortHolder {
  /** the local address as the command printed it, without brackets or zone: 0.0.0.0, ::, 192.168.0.66, * */
  address: string;
  port: number;
  /** the program's name, when the command could see it (needs rights over other users' processes) */
  process?: string;
  pid?: number;
}

/** Splits `addr:port`, `[v6]:port`, `addr%zone:port` and `*:port`; undefined for anything else. */
export function splitHostPort(text: string): { address: string; port: number } | undefined {
  const at = text.lastIndexOf(':');
  if (at <= 0) return undefined;
  const portText = text.slice(at + 1);
  if (!/^\d{1,5}$/.test(portText)) return undefined;
  let address = text.slice(0, at);
  if (address.startsWith('[') && address.endsWith(']')) address = address.slice(1, -1);
  address = address.split('%')[0] as string;
  if (address === '') return undefined;
  return { address, port: Number(portText) };
}

/** Sockets on one port, one entry per process (a socket shared by two processes shows twice). */
export function holdersOfPort(holders: readonly PortHolder[], port: number): PortHolder[] {
  return holders.filter((h) => h.port === port);
}

/** "in.tftpd (pid 1187) on 0.0.0.0" */
export function describeHolder(h: PortHolder): string {
  const who = h.process !== undefined ? h.process : 'a process';
  const pid = h.pid !== undefined ? ` (pid ${h.pid})` : '';
  return `${who}${pid} on ${h.address}`;
}
