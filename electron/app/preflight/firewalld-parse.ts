// `firewall-cmd --list-all-zones` (or `--list-all`, one zone): zones as blocks, a header
// `public (default, active)` then `  key: values`. A zone admits UDP to our port when its target
// is ACCEPT, a service covers it (tftp is 69/udp), or a port entry does. Rich rules are reported
// as "may", not judged. Interfaces not in any zone fall in the default zone.

export interface FirewalldZone {
  name: string;
  isDefault: boolean;
  active: boolean;
  target: string;
  interfaces: string[];
  sources: string[];
  services: string[];
  ports: string[];
  richRules: string[];
}

function words(v: string | undefined): string[] {
  return (v ?? '').trim().split(/\s+/).filter(Boolean);
}

export function parseFirewalldZones(text: string): FirewalldZone[] {
  const zones: FirewalldZone[] = [];
  let zone: FirewalldZone | undefined;
  let inRich = false;
  for (const line of text.split(/\r?\n/)) {
    const header = /^(\S+)(?:\s+\(([^)]*)\))?\s*$/.exec(line);
    if (header) {
      const flags = (header[2] ?? '').split(',').map((f) => f.trim());
      zone = {
        name: header[1] as string,
        isDefault: flags.includes('default'),
        active: flags.includes('active'),
        target: 'default',
        interfaces: [],
        sources: [],
        services: [],
        ports: [],
        richRules: [],
      };
      zones.push(zone);
      inRich = false;
      continue;
    }
    if (!zone) continue;
    const kv = /^\s+([a-z -]+):\s?(.*)$/.exec(line);
    if (kv && !line.startsWith('\t')) {
      const [, key, value] = kv as unknown as [string, string, string];
      inRich = key === 'rich rules';
      if (key === 'target') zone.target = value.trim();
      else if (key === 'interfaces') zone.interfaces = words(value);
      else if (key === 'sources') zone.sources = words(value);
      else if (key === 'services') zone.services = words(value);
      else if (key === 'ports') zone.ports = words(value);
      continue;
    }
    if (inRich && line.trim() !== '') zone.richRules.push(line.trim());
  }
  return zones;
}

/** The zone that handles traffic arriving on `iface`: the one listing it, else the default. */
export function zoneForInterface(zones: readonly FirewalldZone[], iface?: string): FirewalldZone | undefined {
  return (
    (iface !== undefined ? zones.find((z) => z.interfaces.includes(iface)) : undefined) ??
    zones.find((z) => z.isDefault) ??
    (zones.length === 1 ? zones[0] : undefined)
  );
}

export type FirewalldAdmits = 'yes' | 'no' | 'maybe';

function portEntryCovers(entry: string, port: number): boolean {
  const [range, proto] = entry.split('/');
  if (proto !== 'udp' || range === undefined) return false;
  const [lo, hi] = range.split('-').map(Number);
  if (lo === undefined) return false;
  return hi === undefined ? lo === port : port >= lo && port <= hi;
}

export function zoneAdmits(zone: FirewalldZone, port: number): FirewalldAdmits {
  if (zone.target === 'ACCEPT') return 'yes';
  if (port === 69 && zone.services.includes('tftp')) return 'yes';
  if (zone.ports.some((p) => portEntryCovers(p, port))) return 'yes';
  if (zone.richRules.some((r) => r.includes(`port="${port}"`) && r.includes('accept'))) return 'maybe';
  return 'no';
}
