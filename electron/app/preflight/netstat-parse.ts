// Windows: `netstat -ano -p udp` lists bound UDP sockets with the owning PID (no names), and
// `tasklist /FO CSV /NH` names the PIDs. Both print CRLF; netstat's header is localised, its rows
// are not (`UDP    0.0.0.0:69    *:*    5128`).
import { splitHostPort, type PortHolder } from './port-holder.js';

export function parseNetstatUdp(text: string): PortHolder[] {
  const out: PortHolder[] = [];
  for (const line of text.split(/\r?\n/)) {
    const cols = line.trim().split(/\s+/);
    if (cols[0] !== 'UDP' || cols.length < 4) continue;
    const local = splitHostPort(cols[1] as string);
    const pid = cols[cols.length - 1] as string;
    if (!local || !/^\d+$/.test(pid)) continue;
    out.push({ ...local, pid: Number(pid) });
  }
  return out;
}

/** One CSV line of tasklist: quoted fields, a quote inside doubled. */
function csvFields(line: string): string[] {
  const fields: string[] = [];
  const re = /"((?:[^"]|"")*)"/g;
  for (const m of line.matchAll(re)) fields.push((m[1] as string).replaceAll('""', '"'));
  return fields;
}

/** pid -> image name, from `tasklist /FO CSV /NH`. */
export function parseTasklistCsv(text: string): Map<number, string> {
  const names = new Map<number, string>();
  for (const line of text.split(/\r?\n/)) {
    const [name, pid] = csvFields(line);
    if (name !== undefined && pid !== undefined && /^\d+$/.test(pid)) names.set(Number(pid), name);
  }
  return names;
}

export function nameHolders(
  holders: readonly PortHolder[],
  names: ReadonlyMap<number, string>,
): PortHolder[] {
  return holders.map((h) => {
    const name = h.pid !== undefined ? names.get(h.pid) : undefined;
    return name !== undefined ? { ...h, process: name } : h;
  });
}
