// A throw-away network for DHCP tests, made of network namespaces so that broadcasts, port 67 and
// port 68 never touch this machine's own network:
//
//   dh<tag>srv  eth0 10.77.1.1/24 ---+                      eth1 10.77.2.1/24 ---+
//                                    |                                          |
//   dh<tag>sw   br-lan (a bridge: the "lan" segment)          br-oth (the "other" segment)
//                |          |                                   |
//   dh<tag><role> eth0     eth0   hosts joined per test        eth0
//
// A virtual machine joins a segment through a tap device on its bridge (`tap()`): the tap lives in
// the switch namespace, so the machine (qemu) runs there.
//
// The server runs in `srv` (see service-process.ts), which has an interface on each segment and
// no default route. Hosts (DHCP clients, a rival server, raw senders) each get a namespace with one
// interface `eth0` on a segment, a MAC of the test's choosing and, when asked, a static address.
// Needs root and `ip`. Everything is removed by `remove()` (call it in afterAll), also the hosts.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { isInstalled } from '../../helpers/run-process.js';

export type Segment = 'lan' | 'other';

export const SERVER_ADDRESS: Record<Segment, string> = { lan: '10.77.1.1', other: '10.77.2.1' };
export const PREFIX_LENGTH = 24;

export interface Host {
  readonly ns: string;
  readonly role: string;
  readonly segment: Segment;
  readonly mac: string;
  /** static address (without prefix), when it has one */
  readonly address?: string;
  /** prefix that runs a command inside the host's namespace */
  readonly exec: string[];
}

export interface HostOptions {
  segment?: Segment;
  mac?: string;
  /** a static address on the segment, e.g. '10.77.1.2' (the prefix is /24) */
  address?: string;
}

/** Why namespaces cannot be used here, or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces, ports 67 and 68)';
  if (!isInstalled('ip')) return 'iproute2 (ip) is not installed';
  return undefined;
}

export function run(args: readonly string[]): string {
  const r = spawnSync(args[0] as string, args.slice(1), { timeout: 10_000 });
  if (r.status !== 0) {
    throw new Error(`${args.join(' ')} failed: ${r.stderr?.toString().trim() || r.error?.message}`);
  }
  return r.stdout.toString();
}

/** A random unicast MAC with the locally administered bit set. */
export function randomMac(): string {
  const b = randomBytes(6);
  b[0] = ((b[0] ?? 0) & 0xfc) | 0x02;
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

export interface Tap {
  /** the tap's name in the switch namespace, e.g. 'tap0' */
  readonly ifname: string;
  readonly segment: Segment;
  /** prefix that runs a command in the namespace that owns the tap (the switch) */
  readonly exec: string[];
}

function bridgeOf(segment: Segment): string {
  return segment === 'lan' ? 'br-lan' : 'br-oth';
}

export class Lab {
  readonly tag = randomBytes(3).toString('hex');
  readonly server: string;
  readonly serverExec: string[];
  private readonly switchNs: string;
  private readonly namespaces: string[] = [];
  private readonly hosts = new Map<string, Host>();
  private ports = 0;
  private taps = 0;

  private constructor() {
    this.server = this.name('srv');
    this.switchNs = this.name('sw');
    this.serverExec = ['ip', 'netns', 'exec', this.server];
  }

  /** The server namespace on both segments, the switch between them and the hosts. */
  static create(): Lab {
    const lab = new Lab();
    try {
      lab.addNamespace(lab.server);
      lab.addNamespace(lab.switchNs);
      for (const [segment, bridge] of [
        ['lan', 'br-lan'],
        ['other', 'br-oth'],
      ] as const) {
        run(['ip', '-n', lab.switchNs, 'link', 'add', bridge, 'type', 'bridge']);
        run(['ip', '-n', lab.switchNs, 'link', 'set', bridge, 'up']);
        const ifname = segment === 'lan' ? 'eth0' : 'eth1';
        lab.plug(lab.server, ifname, segment);
        run([
          'ip',
          '-n',
          lab.server,
          'addr',
          'add',
          `${SERVER_ADDRESS[segment]}/${PREFIX_LENGTH}`,
          'dev',
          ifname,
        ]);
      }
    } catch (err) {
      lab.remove();
      throw err;
    }
    return lab;
  }

  /** A new host on a segment (default 'lan'), in its own namespace. */
  host(role: string, options: HostOptions = {}): Host {
    const ns = this.name(role);
    if (this.hosts.has(ns)) throw new Error(`host ${role} exists already`);
    const segment = options.segment ?? 'lan';
    const mac = options.mac ?? randomMac();
    this.addNamespace(ns);
    this.plug(ns, 'eth0', segment, mac);
    if (options.address !== undefined) {
      run(['ip', '-n', ns, 'addr', 'add', `${options.address}/${PREFIX_LENGTH}`, 'dev', 'eth0']);
      // A default route lets a plain UDP socket send to 255.255.255.255 from this host.
      run(['ip', '-n', ns, 'route', 'add', 'default', 'dev', 'eth0']);
    }
    const host: Host = {
      ns,
      role,
      segment,
      mac,
      ...(options.address !== undefined ? { address: options.address } : {}),
      exec: ['ip', 'netns', 'exec', ns],
    };
    this.hosts.set(ns, host);
    return host;
  }

  /** A tap device plugged into a segment's bridge (default 'lan'), for a virtual machine's NIC. */
  tap(segment: Segment = 'lan'): Tap {
    const ifname = `tap${this.taps++}`;
    run(['ip', '-n', this.switchNs, 'tuntap', 'add', 'dev', ifname, 'mode', 'tap']);
    run(['ip', '-n', this.switchNs, 'link', 'set', ifname, 'master', bridgeOf(segment)]);
    run(['ip', '-n', this.switchNs, 'link', 'set', ifname, 'up']);
    return { ifname, segment, exec: ['ip', 'netns', 'exec', this.switchNs] };
  }

  /** The server namespace's UDP counters (/proc/net/snmp): datagrams read, and dropped for a full buffer. */
  serverUdpCounters(): { inDatagrams: number; rcvbufErrors: number } {
    const lines = run([...this.serverExec, 'cat', '/proc/net/snmp'])
      .split('\n')
      .filter((l) => l.startsWith('Udp:'));
    const names = (lines[0] ?? '').split(/\s+/);
    const values = (lines[1] ?? '').split(/\s+/).map(Number);
    const get = (name: string) => values[names.indexOf(name)] ?? 0;
    return { inDatagrams: get('InDatagrams'), rcvbufErrors: get('RcvbufErrors') };
  }

  /** Removes a host's namespace (its cable goes with it). */
  removeHost(host: Host): void {
    this.hosts.delete(host.ns);
    this.deleteNamespace(host.ns);
  }

  /** Every namespace this lab made, the hosts too. Safe to call twice. */
  remove(): void {
    for (const ns of this.namespaces.splice(0).reverse()) this.deleteNamespace(ns);
    this.hosts.clear();
  }

  private name(role: string): string {
    return `dh${this.tag}${role}`;
  }

  private addNamespace(ns: string): void {
    run(['ip', 'netns', 'add', ns]);
    this.namespaces.push(ns);
    run(['ip', '-n', ns, 'link', 'set', 'lo', 'up']);
  }

  private deleteNamespace(ns: string): void {
    const i = this.namespaces.indexOf(ns);
    if (i >= 0) this.namespaces.splice(i, 1);
    spawnSync('ip', ['netns', 'del', ns], { timeout: 10_000 });
  }

  /** A cable from `ifname` in `ns` to a port of the segment's bridge. */
  private plug(ns: string, ifname: string, segment: Segment, mac?: string): void {
    const port = `p${this.ports++}`;
    const bridge = bridgeOf(segment);
    const address = mac === undefined ? [] : ['address', mac];
    run([
      'ip',
      'link',
      'add',
      ifname,
      'netns',
      ns,
      ...address,
      'type',
      'veth',
      'peer',
      'name',
      port,
      'netns',
      this.switchNs,
    ]);
    run(['ip', '-n', this.switchNs, 'link', 'set', port, 'master', bridge]);
    run(['ip', '-n', this.switchNs, 'link', 'set', port, 'up']);
    run(['ip', '-n', ns, 'link', 'set', ifname, 'up']);
  }
}
