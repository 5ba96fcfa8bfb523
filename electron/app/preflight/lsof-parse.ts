// `lsof -nP -iUDP:69` (macOS, also Linux): COMMAND PID USER FD TYPE DEVICE SIZE/OFF NODE NAME,
// NAME being `*:69`, `127.0.0.1:69` or `[::1]:69`. lsof exits 1 with no output when nothing holds
// the port. Without root, macOS lsof lists only the user's own processes.
import { splitHostPort, type PortHolder } from './port-holder.js';

export function parseLsofUdp(text: string): PortHolder[] {
  const out: PortHolder[] = [];
  for (const line of text.split(/\r?\n/)) {
    const cols = line.trim().split(/\s+/);
    if (cols.length < 9 || cols[0] === 'COMMAND' || !/^\d+$/.test(cols[1] ?? '')) continue;
    const udp = cols.lastIndexOf('UDP');
    const name = udp >= 0 ? cols[udp + 1] : undefined;
    const local = name !== undefined ? splitHostPort(name.split('->')[0] as string) : undefined;
    if (!local) continue;
    // lsof escapes unprintable bytes in names as \xNN; keep them as printed
    out.push({ ...local, process: cols[0] as string, pid: Number(cols[1]) });
  }
  return out;
}
