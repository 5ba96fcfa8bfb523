// The lease lifecycle against real clients in network namespaces this file makes: ISC dhclient
// binds, renews by unicast (RFC 2131 section 4.3.2 RENEWING) and releases, and the address goes
// back to the pool; busybox udhcpc declines an address another device answers ARP for (it is
// quarantined); a pool of two never hands out an address twice; leases survive a restart of the
// service (a new process on the same data folder). Each test runs its own service. Skipped
// without root.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LEASE_FILE_NAME } from '../../electron/dhcp/index.js';
import type { DhcpSettings } from '../../shared/dhcp.js';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';
import { removeBundles } from './support/bundle.js';
import { dhclient, probe, removeClientFiles, udhcpc } from './support/clients.js';
import { buildMessage, DHCP } from './support/dhcp-wire.js';
import { Lab, netnsUnavailable, randomMac, SERVER_ADDRESS } from './support/netns.js';
import { ServiceProcess } from './support/service-process.js';

const unavailable = netnsUnavailable();

describe.skipIf(unavailable)('leases with real clients', () => {
  let lab: Lab;
  const services: ServiceProcess[] = [];

  async function serve(settings: Partial<DhcpSettings>, dataDir = makeTempDir('dhcp-data-').path) {
    const service = await ServiceProcess.running(lab, {
      settings: { bootFile: 'pxelinux.0', ...settings },
      dataDir,
    });
    services.push(service);
    return service;
  }

  beforeAll(() => {
    lab = Lab.create();
  });

  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.exit()));
  });

  afterAll(() => {
    lab?.remove();
    removeClientFiles();
    removeBundles();
    removeTempDirs();
  });

  it('dhclient binds, renews by unicast, releases, and the address goes back to the pool', async () => {
    // One address, the shortest lease the settings allow (60 s: dhclient renews after 30 s).
    const service = await serve({ rangeStart: '10.77.1.100', rangeEnd: '10.77.1.100', leaseSeconds: 60 });
    const host = lab.host('dhc');
    const client = dhclient(host);
    try {
      const bound = await client.waitFor('BOUND', 20_000);
      expect(bound.env.new_ip_address).toBe('10.77.1.100');
      expect(bound.env.new_dhcp_server_identifier).toBe(SERVER_ADDRESS.lan);
      expect(bound.env.new_next_server).toBe(SERVER_ADDRESS.lan);
      expect(bound.env.new_filename).toBe('pxelinux.0');
      expect(bound.env.new_dhcp_lease_time).toBe('60');

      const renewed = await client.waitFor('RENEW', 50_000);
      expect(renewed.env.new_ip_address).toBe('10.77.1.100');
      const acks = service.decisions().filter((d) => d.mac === host.mac && d.outcome === 'acked');
      expect(acks.length, service.story()).toBeGreaterThanOrEqual(2);
      expect(acks[acks.length - 1]?.reason).toMatch(/renewing/);
    } finally {
      const released = await client.release();
      expect(released.code, client.output()).toBe(0);
    }
    const release = await service.decision((d) => d.mac === host.mac && d.kind === 'RELEASE');
    expect(release.outcome).toBe('released');
    const lease = (await service.leases()).find((l) => l.mac === host.mac);
    expect(lease?.state).toBe('released');

    // The only address of the pool is free again: another client gets it.
    const next = lab.host('after');
    const r = await udhcpc(next);
    expect(r.bound?.ip, `${r.result.stderr}\n${service.story()}`).toBe('10.77.1.100');
  });

  it('an address another device answers ARP for is declined and quarantined', async () => {
    const service = await serve({ rangeStart: '10.77.1.100', rangeEnd: '10.77.1.101' });
    // A device that took 10.77.1.100 by hand, unknown to the server.
    lab.host('squat', { address: '10.77.1.100' });
    const host = lab.host('arp');
    const r = await udhcpc(host, ['-a'], 6);
    expect(r.bound?.ip, `${r.result.stderr}\n${service.story()}`).toBe('10.77.1.101');
    const declined = await service.decision((d) => d.mac === host.mac && d.kind === 'DECLINE');
    expect(declined).toMatchObject({ outcome: 'declined', address: '10.77.1.100' });
    const leases = await service.leases();
    expect(leases.find((l) => l.address === '10.77.1.100')?.state).toBe('declined');

    // Quarantined means not offered again: the pool is now full for anyone else.
    const other = lab.host('late');
    const late = await udhcpc(other, [], 2);
    expect(late.bound, service.story()).toBeUndefined();
    const ignored = await service.decision((d) => d.mac === other.mac && d.kind === 'DISCOVER');
    expect(ignored.outcome).toBe('ignored');
  });

  it('a pool of two and three clients: two leases, the third gets nothing, a request for a taken address gets a NAK', async () => {
    const service = await serve({ rangeStart: '10.77.1.100', rangeEnd: '10.77.1.101' });
    const results = [];
    for (const role of ['x1', 'x2', 'x3']) results.push(await udhcpc(lab.host(role), [], 2));
    const addresses = results.map((r) => r.bound?.ip);
    expect(addresses.slice(0, 2).sort(), service.story()).toEqual(['10.77.1.100', '10.77.1.101']);
    expect(addresses[2]).toBeUndefined();
    const third = results[2];
    expect(third?.result.code).not.toBe(0);
    const refused = service.decisions().filter((d) => d.kind === 'DISCOVER' && d.outcome === 'ignored');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]?.reason).toMatch(/pool/);

    // A client that picks the first client's address from us (SELECTING with our server
    // identifier, RFC 2131 section 4.3.2): a NAK, not a second lease. (An INIT-REBOOT from a
    // client the server has no record of gets silence, as that section asks.)
    const host = lab.host('x4', { address: '10.77.1.65' });
    const xid = 0x4a4b0001;
    const request = buildMessage({
      xid,
      mac: randomMac(),
      flags: 0x8000,
      options: [
        [53, [DHCP.REQUEST]],
        [54, [10, 77, 1, 1]],
        [50, [10, 77, 1, 100]],
      ],
    });
    const answer = await probe(
      host,
      { address: '0.0.0.0', port: 68 },
      [{ send: request.toString('hex'), to: { address: '255.255.255.255', port: 67 } }],
      1500,
    );
    const nak = answer.replies.find((r) => r.message.xid === xid);
    expect(nak?.message.type, service.story()).toBe(DHCP.NAK);
    expect(nak?.message.yiaddr).toBe('0.0.0.0');

    const bound = (await service.leases()).filter((l) => l.state === 'bound');
    expect(bound).toHaveLength(2);
    expect(new Set(bound.map((l) => l.address)).size).toBe(2);
  });

  it('leases survive a restart: the same client gets its address back, another client never gets it', async () => {
    const dataDir = makeTempDir('dhcp-data-').path;
    const settings = { rangeStart: '10.77.1.100', rangeEnd: '10.77.1.100', leaseSeconds: 3600 };
    const first = await serve(settings, dataDir);
    const host = lab.host('keep');
    const before = await udhcpc(host);
    expect(before.bound?.ip, first.story()).toBe('10.77.1.100');
    await first.exit();
    const file = join(dataDir, LEASE_FILE_NAME);
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain(host.mac);

    const second = await serve(settings, dataDir);
    const other = lab.host('newc');
    const denied = await udhcpc(other, [], 2);
    expect(denied.bound, second.story()).toBeUndefined();
    expect((await second.decision((d) => d.mac === other.mac)).outcome).toBe('ignored');
    const again = await udhcpc(host);
    expect(again.bound?.ip, second.story()).toBe('10.77.1.100');
    const lease = (await second.leases()).find((l) => l.address === '10.77.1.100');
    expect(lease).toMatchObject({ mac: host.mac, state: 'bound' });
  });
});
