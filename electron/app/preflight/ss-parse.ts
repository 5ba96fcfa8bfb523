// `ss -ulpn` (iproute2) on Linux: every bound UDP socket and, with the rights to see it, the
// process holding it: users:(("in.tftpd",pid=1187,fd=4),("dnsmasq",pid=1204,fd=9)).
// Without root the process column is empty for other users' sockets; the socket is still listed.
import { splitHostPort, type PortHolder } from './port-holder.js';

const USER = /\("((?:[^"\\]|\\.)*)",pid=(\d+),fd=\d+\)/g;

export function parseSsUdp(text: string): PortHolder[] {
  const out: PortHolder[] = [];
  for (const line of text.split(/\r?\n/)) {
    const cols = line.trim().split(/\s+/);
    // State Recv-Q Send-Q Local Peer [Process]; the header starts with "State"
    if (cols.length < 5 || !/^\d+$/.test(cols[1] ?? '')) continue;
    const local = splitHostPort(cols[3] as string);
    if (!local) continue;
    const users = [...line.matchAll(USER)];
    if (users.length === 0) {
      out.push(local);
      continue;
    }
    for (const u of users) out.push({ ...local, process: u[1] as string, pid: Number(u[2]) });
  }
  return out;
}
