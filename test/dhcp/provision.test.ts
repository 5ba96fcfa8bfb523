// Provision mode against real clients over real sockets, in network namespaces this file makes
// (support/netns.ts): busybox udhcpc gets a whole lease with the boot file its architecture needs,
// a reserved MAC gets its address, a hand-made BOOTP request gets a BOOTP reply, and a client on
// the server's other network segment never hears a thing (replies leave through the chosen
// interface only). Skipped without root.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';
import { removeBundles } from './support/bundle.js';
import { listeningMark, probe, removeClientFiles, udhcpc } from './support/clients.js';
import { buildMessage, DHCP, optionAddress } from './support/dhcp-wire.js';
import { Lab, netnsUnavailable, randomMac, SERVER_ADDRESS } from './support/netns.js';
import { ServiceProcess } from './support/service-process.js';

const unavailable = netnsUnavailable();
const RESERVED_MAC = '02:77:00:00:00:50';

const SETTINGS = {
  rangeStart: '10.77.1.100',
  rangeEnd: '10.77.1.119',
  leaseSeconds: 600,
  router: '10.77.1.254',
  dns: ['10.77.1.1'],
  bootFile: 'bios/pxelinux.0',
  bootFileUefi: 'efi/grubx64.efi',
  bootFileIpxe: 'boot.ipxe',
  tftpServerName: 'tftp.lab',
  offerLogServer: true,
  reservations: [{ mac: RESERVED_MAC, address: '10.77.1.50', bootFile: 'special/host50.efi' }],
};

const inRange = (ip: string | undefined) => {
  const last = Number(ip?.split('.')[3]);
  return ip?.startsWith('10.77.1.') === true && last >= 100 && last <= 119;
};

describe.skipIf(unavailable)('provision mode with real clients', () => {
  let lab: Lab;
  let service: ServiceProcess;

  beforeAll(async () => {
    lab = Lab.create();
    service = await ServiceProcess.running(lab, {
      settings: SETTINGS,
      dataDir: makeTempDir('dhcp-data-').path,
    });
  });

  afterAll(async () => {
    await service?.exit();
    lab?.remove();
    removeClientFiles();
    removeBundles();
    removeTempDirs();
  });

  it('udhcpc gets a whole lease: an address from the range, our address as server and next server, the BIOS boot file', async () => {
    const client = lab.host('bios');
    const r = await udhcpc(client);
    expect(r.bound, `${r.result.stderr}\n${service.story()}`).toBeDefined();
    const env = r.bound ?? {};
    expect(inRange(env.ip)).toBe(true);
    expect(env.siaddr).toBe(SERVER_ADDRESS.lan);
    expect(env.serverid).toBe(SERVER_ADDRESS.lan);
    expect(env.subnet).toBe('255.255.255.0');
    expect(env.router).toBe('10.77.1.254');
    expect(env.dns).toBe('10.77.1.1');
    expect(env.lease).toBe('600');
    expect(env.boot_file).toBe('bios/pxelinux.0');
    expect(env.sname).toBe('tftp.lab');
    // option 7 (log server) names us (this busybox prints option 7 by number, in hex)
    const opt7 = env.logsrv ?? (env.opt7?.match(/../g) ?? []).map((h) => parseInt(h, 16)).join('.');
    expect(opt7).toBe(SERVER_ADDRESS.lan);
    const acked = await service.decision((d) => d.mac === client.mac && d.outcome === 'acked');
    expect(acked.address).toBe(env.ip);
    await service.decision((d) => d.mac === client.mac && d.outcome === 'offered' && d.kind === 'DISCOVER');
    const lease = (await service.leases()).find((l) => l.mac === client.mac);
    expect(lease).toMatchObject({ address: env.ip, state: 'bound', bootFile: 'bios/pxelinux.0' });
  });

  it('a UEFI client (option 93 = 7) gets the UEFI boot file', async () => {
    const client = lab.host('uefi');
    const r = await udhcpc(client, ['-x', '0x5d:0007']);
    expect(r.bound, r.result.stderr).toBeDefined();
    expect(r.bound?.boot_file).toBe('efi/grubx64.efi');
    expect(inRange(r.bound?.ip)).toBe(true);
    const acked = await service.decision((d) => d.mac === client.mac && d.outcome === 'acked');
    expect(acked.arch).toBe(7);
  });

  it('a client already running iPXE (user class "iPXE") gets the iPXE script, so chainloading ends', async () => {
    const client = lab.host('ipxe');
    const r = await udhcpc(client, ['-x', '0x5d:0007', '-x', `0x4d:${Buffer.from('iPXE').toString('hex')}`]);
    expect(r.bound, r.result.stderr).toBeDefined();
    expect(r.bound?.boot_file).toBe('boot.ipxe');
    const acked = await service.decision((d) => d.mac === client.mac && d.outcome === 'acked');
    expect(acked.userClass).toBe('iPXE');
  });

  it('a reserved MAC gets its reserved address and its own boot file', async () => {
    const client = lab.host('rsv', { mac: RESERVED_MAC });
    const r = await udhcpc(client);
    expect(r.bound, r.result.stderr).toBeDefined();
    expect(r.bound?.ip).toBe('10.77.1.50');
    expect(r.bound?.boot_file).toBe('special/host50.efi');
    const lease = (await service.leases()).find((l) => l.mac === RESERVED_MAC);
    expect(lease).toMatchObject({ address: '10.77.1.50', reserved: true, state: 'bound' });
  });

  it('a plain BOOTP request (no option 53) gets a BOOTP reply: no option 53, an address, siaddr, sname and file', async () => {
    const host = lab.host('bootp', { address: '10.77.1.61' });
    const mac = randomMac();
    const xid = 0x0b007001;
    const request = buildMessage({ xid, mac, flags: 0x8000, options: [[1, [0, 0, 0, 0]]] });
    const result = await probe(
      host,
      { address: '0.0.0.0', port: 68 },
      [{ send: request.toString('hex'), to: { address: '255.255.255.255', port: 67 } }],
      2000,
    );
    const replies = result.replies.filter((r) => r.message.xid === xid);
    expect(replies, `${result.errors.join('\n')}\n${service.story()}`).toHaveLength(1);
    const reply = replies[0]?.message;
    expect(reply?.op).toBe(2);
    expect(reply?.mac).toBe(mac);
    expect(reply?.options.has(53)).toBe(false);
    expect(inRange(reply?.yiaddr)).toBe(true);
    expect(reply?.siaddr).toBe(SERVER_ADDRESS.lan);
    expect(reply?.sname).toBe('tftp.lab');
    expect(reply?.file).toBe('bios/pxelinux.0');
    expect(optionAddress(reply!, 1)).toBe('255.255.255.0');
    const told = await service.decision((d) => d.xid === xid);
    expect(told).toMatchObject({ kind: 'BOOTP', outcome: 'bootp-replied', address: reply?.yiaddr });
  });

  it('an old BOOTP client without even the magic cookie gets a reply too', async () => {
    const host = lab.host('bootp0', { address: '10.77.1.62' });
    const mac = randomMac();
    const xid = 0x0b007002;
    const request = buildMessage({ xid, mac, flags: 0x8000, cookie: false });
    const result = await probe(
      host,
      { address: '0.0.0.0', port: 68 },
      [{ send: request.toString('hex'), to: { address: '255.255.255.255', port: 67 } }],
      2000,
    );
    const reply = result.replies.find((r) => r.message.xid === xid)?.message;
    expect(reply, `${result.errors.join('\n')}\n${service.story()}`).toBeDefined();
    expect(reply?.options.has(53)).toBe(false);
    expect(inRange(reply?.yiaddr)).toBe(true);
    expect(reply?.siaddr).toBe(SERVER_ADDRESS.lan);
    expect(reply?.file).toBe('bios/pxelinux.0');
  });

  it('a client on the other segment never hears us: the reply leaves through the chosen interface only', async () => {
    // The server hears the other segment's broadcast (its socket on 0.0.0.0 cannot tell the
    // interface), answers, and the answer goes out of 10.77.1.1's interface: a listener on the
    // lan hears it, the client on the other segment does not.
    const lanEar = lab.host('ear', { address: '10.77.1.63' });
    const far = lab.host('far', { segment: 'other', address: '10.77.2.50' });
    const xid = 0x0ff5e601;
    const discover = buildMessage({ xid, mac: far.mac, flags: 0x8000, options: [[53, [DHCP.DISCOVER]]] });
    // The far client sends only once the ear has bound: two processes start at once, and on a
    // busy machine the ear may take longer to start than the far client's whole exchange.
    const earListening = listeningMark();
    const [heard, farResult] = await Promise.all([
      probe(lanEar, { address: '0.0.0.0', port: 68 }, [], 5000, 100, earListening),
      probe(
        far,
        { address: '0.0.0.0', port: 68 },
        [
          { awaitFile: { path: earListening, maxMs: 20_000 } },
          { send: discover.toString('hex'), to: { address: '255.255.255.255', port: 67 } },
        ],
        2500,
      ),
    ]);
    expect(farResult.errors).toEqual([]);
    expect(farResult.count).toBe(0);
    const offer = heard.replies.find((r) => r.message.xid === xid);
    expect(offer, service.story()).toBeDefined();
    expect(offer?.from).toBe(SERVER_ADDRESS.lan);
    expect(offer?.message.type).toBe(DHCP.OFFER);
    // and a real client there gets no lease
    const farClient = lab.host('farc', { segment: 'other' });
    const r = await udhcpc(farClient, [], 2);
    expect(r.bound).toBeUndefined();
    expect(r.result.code).not.toBe(0);
  });

  it('ignores what cannot be for us, before answering: a relayed request, a client address of another network', async () => {
    const host = lab.host('odd', { address: '10.77.1.64' });
    const relayed = buildMessage({
      xid: 0x7e1a0001,
      mac: randomMac(),
      giaddr: '10.99.0.1',
      options: [[53, [DHCP.DISCOVER]]],
    });
    const foreign = buildMessage({
      xid: 0x7e1a0002,
      mac: randomMac(),
      ciaddr: '192.168.50.20',
      options: [[53, [DHCP.REQUEST]]],
    });
    const result = await probe(
      host,
      { address: '0.0.0.0', port: 68 },
      [
        { send: relayed.toString('hex'), to: { address: '255.255.255.255', port: 67 } },
        { send: foreign.toString('hex'), to: { address: '255.255.255.255', port: 67 } },
      ],
      1500,
    );
    expect(result.replies.filter((r) => r.message.xid >>> 16 === 0x7e1a)).toEqual([]);
    const a = await service.decision((d) => d.xid === 0x7e1a0001);
    expect(a.outcome).toBe('ignored');
    expect(a.reason).toMatch(/relayed by 10\.99\.0\.1/);
    const b = await service.decision((d) => d.xid === 0x7e1a0002);
    expect(b.outcome).toBe('ignored');
    expect(b.reason).toMatch(/192\.168\.50\.20 is outside our network/);
  });
});
