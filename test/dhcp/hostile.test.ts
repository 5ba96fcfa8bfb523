// Hostile input against the real service in network namespaces this file makes: malformed,
// truncated and oversized datagrams (broadcast and unicast) do not crash it and it keeps serving;
// a flood of 2000 DISCOVERs from random MACs does not exhaust a small pool (a real client gets a
// lease right after), the lease view stays within the pool, and decision events stay few, with
// one summary saying how many were not shown. Every loop is bounded in count and time. Skipped
// without root.
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DhcpDecision } from '../../shared/dhcp.js';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';
import { removeBundles } from './support/bundle.js';
import { probe, removeClientFiles, udhcpc } from './support/clients.js';
import { buildMessage, DHCP } from './support/dhcp-wire.js';
import { Lab, netnsUnavailable, randomMac, SERVER_ADDRESS } from './support/netns.js';
import type { ProbeStep } from './support/udp-probe.js';
import { ServiceProcess } from './support/service-process.js';

const unavailable = netnsUnavailable();
const POOL = ['10.77.1.100', '10.77.1.101', '10.77.1.102', '10.77.1.103'];
const inWidePool = (ip: string | undefined) => ip !== undefined && /^10\.77\.1\.1\d\d$/.test(ip);
const BROADCAST = { address: '255.255.255.255', port: 67 };
const UNICAST = { address: SERVER_ADDRESS.lan, port: 67 };

/** A well-formed header with the magic cookie, then whatever option bytes are given. */
function withOptions(optionBytes: number[], header: Partial<{ hlen: number; op: number }> = {}): Buffer {
  const base = buildMessage({ xid: 0xbad00000, mac: randomMac(), ...header });
  return Buffer.concat([base.subarray(0, 240), Buffer.from(optionBytes)]);
}

function malformed(): Buffer[] {
  const valid = buildMessage({ xid: 0xbad00001, mac: randomMac(), options: [[53, [DHCP.DISCOVER]]] });
  const list: Buffer[] = [
    Buffer.alloc(0),
    Buffer.from([1]),
    Buffer.alloc(235, 1),
    Buffer.alloc(236), // op 0
    buildMessage({ op: 2, xid: 0xbad00002, mac: randomMac(), options: [[53, [DHCP.OFFER]]] }),
    buildMessage({ xid: 0xbad00003, mac: randomMac(), hlen: 255, options: [[53, [DHCP.DISCOVER]]] }),
    buildMessage({ xid: 0xbad00004, mac: '00:00:00:00:00:00', hlen: 0, options: [[53, [DHCP.DISCOVER]]] }),
    withOptions([53, 1, 1, 55, 200, 1, 3]), // option runs past the end
    withOptions([53, 1, 1, 52, 1, 3, 255]), // overload: sname and file hold options (zeros here)
    withOptions([53, 1, 1, 52, 5, 1, 2, 3, 4, 5, 255]), // overload with a bad length
    withOptions([53, 0, 255]),
    withOptions([53, 2, 1, 3, 255]),
    withOptions([53, 1, 99, 255]),
    withOptions([53, 1, 3, 50, 3, 10, 77, 1, 54, 0, 255]), // REQUEST with a 3-byte address, empty server id
    withOptions([53, 1, 1, 57, 2, 0, 0, 55, 255, ...Array.from({ length: 255 }, (_, i) => i), 255]),
    withOptions([
      53,
      1,
      1,
      57,
      2,
      255,
      255,
      61,
      255,
      ...randomBytes(255),
      12,
      255,
      ...Buffer.alloc(255, 65),
      255,
    ]),
    withOptions(Array.from({ length: 1200 }, () => 0)), // pads and no end
    withOptions([53, 1, 1, 255], { op: 7 }),
    Buffer.concat([valid, randomBytes(1200)]),
    randomBytes(65_000), // oversized: fragments on the wire, one datagram for the server
  ];
  for (let i = 0; i < 150; i++) list.push(randomBytes(Math.floor(Math.random() * 1500)));
  for (let i = 0; i < 50; i++) list.push(withOptions([...randomBytes(Math.floor(Math.random() * 400))]));
  return list;
}

describe.skipIf(unavailable)('hostile input', () => {
  let lab: Lab;
  let service: ServiceProcess | undefined;

  async function serve(rangeEnd: string): Promise<ServiceProcess> {
    service = await ServiceProcess.running(lab, {
      settings: { rangeStart: '10.77.1.100', rangeEnd, bootFile: 'pxelinux.0' },
      dataDir: makeTempDir('dhcp-data-').path,
    });
    return service;
  }

  beforeAll(() => {
    lab = Lab.create();
  });

  afterEach(async () => {
    await service?.exit();
    service = undefined;
  });

  afterAll(() => {
    lab?.remove();
    removeClientFiles();
    removeBundles();
    removeTempDirs();
  });

  it('malformed, truncated and oversized datagrams do not crash it, and it keeps serving', async () => {
    // Some of the junk is well-formed enough to be a BOOTP request (op 1, no option 53), and BOOTP
    // has no offer to take back: each such MAC gets an address for a day. The pool (100) is wider
    // than the number of such MACs here (about 60), so what is proven is that the service survives
    // and serves; see the README on BOOTP floods.
    const service = await serve('10.77.1.199');
    const host = lab.host('junk', { address: '10.77.1.80' });
    const steps: ProbeStep[] = [];
    for (const bytes of malformed()) {
      steps.push({ send: bytes.toString('hex'), to: BROADCAST });
      steps.push({ send: bytes.toString('hex'), to: UNICAST });
    }
    const sent = await probe(host, { address: '0.0.0.0', port: 68 }, steps, 500);
    expect(sent.sent).toBe(steps.length);
    expect(service.alive).toBe(true);
    expect(service.fatal).toEqual([]);
    const ignored = service.decisions().filter((d) => d.kind === 'MALFORMED');
    expect(ignored.length).toBeGreaterThan(0);
    expect(
      ignored.every((d) => d.outcome === 'ignored' && d.reason.startsWith('not a BOOTP/DHCP request')),
    ).toBe(true);

    const r = await udhcpc(lab.host('after1'));
    expect(inWidePool(r.bound?.ip), `${r.result.stderr}\n${service.story()}`).toBe(true);
    expect(service.states().at(-1)?.status).toBe('running');
  });

  it('a flood of 2000 DISCOVERs from random MACs does not exhaust the pool, and the telling stays bounded', async () => {
    const service = await serve(POOL[POOL.length - 1] as string);
    const host = lab.host('flood', { address: '10.77.1.81' });
    const heapBefore = (await service.memory()).heapUsed;
    const eventsBefore = service.events.length;
    const udpBefore = lab.serverUdpCounters();
    const started = Date.now();
    const flood = await probe(
      host,
      { address: '0.0.0.0', port: 68 },
      [{ flood: { count: 2000, to: BROADCAST, maxMs: 30_000 } }],
      200,
      10,
    );
    const floodMs = Date.now() - started;
    expect(flood.sent).toBe(2000);
    expect(flood.errors).toEqual([]);

    // right after: a real client still gets a lease from the pool
    const real = lab.host('after2');
    const r = await udhcpc(real);
    expect(POOL, `${r.result.stderr}\n${service.story().slice(-3000)}`).toContain(r.bound?.ip);

    // The flood is told in a summary once it is over. Every DISCOVER the service read is either
    // told or counted in a summary; the rest the kernel dropped for a full receive buffer before
    // the service could read them (its UDP counters say how many).
    await service.decision((d) => d.kind === 'SUMMARY', 10_000);
    const dropped = lab.serverUdpCounters().rcvbufErrors - udpBefore.rcvbufErrors;
    const summaries = service.decisions().filter((d) => d.kind === 'SUMMARY');
    const suppressed = summaries.reduce((n, d) => n + Number(/^(\d+) more decisions/.exec(d.reason)?.[1]), 0);
    const during = service.events.slice(eventsBefore);
    const told = during.flatMap((e) => (e.type === 'dhcp-decision' ? [e.decision] : []));
    const floodTold = told.filter((d: DhcpDecision) => d.kind === 'DISCOVER' && d.mac !== real.mac);
    expect(floodTold.length + suppressed).toBeLessThanOrEqual(2000 + 4);
    expect(floodTold.length + suppressed + dropped).toBeGreaterThanOrEqual(2000);
    expect(summaries.length).toBeLessThanOrEqual(Math.ceil(floodMs / 10_000) + 1);
    expect(summaries[0]?.reason).toMatch(/too many requests at once/);
    const seconds = Math.ceil(floodMs / 1000) + 3;
    expect(told.length).toBeLessThanOrEqual(40 * seconds + 5);
    expect(during.filter((e) => e.type === 'dhcp-leases').length).toBeLessThanOrEqual(5 * seconds + 5);

    // memory: the lease view never holds more than the pool; the heap did not balloon
    const leases = await service.leases();
    expect(leases.length).toBeLessThanOrEqual(POOL.length);
    expect(leases.find((l) => l.mac === real.mac)?.state).toBe('bound');
    const heapAfter = (await service.memory()).heapUsed;
    expect(heapAfter - heapBefore).toBeLessThan(64 * 1024 * 1024);
  });
});
