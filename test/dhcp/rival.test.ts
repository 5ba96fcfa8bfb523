// Beside another DHCP server (dnsmasq on the same segment, in network namespaces this file makes):
// provision mode listens first and refuses to start, naming the rival and what it offered, unless
// forced; proxy mode skips that check and answers PXE ROMs with boot information only (no
// address) on port 67 and as the boot server on port 4011, while dnsmasq hands out the addresses.
// Skipped without root or dnsmasq.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';
import { isInstalled } from '../helpers/run-process.js';
import { removeBundles } from './support/bundle.js';
import { dnsmasq, probe, removeClientFiles, udhcpc, type Dnsmasq } from './support/clients.js';
import { buildMessage, DHCP, optionAddress, optionText } from './support/dhcp-wire.js';
import { Lab, netnsUnavailable, randomMac, SERVER_ADDRESS } from './support/netns.js';
import { ServiceProcess } from './support/service-process.js';

const unavailable = netnsUnavailable() ?? (isInstalled('dnsmasq') ? undefined : 'dnsmasq is not installed');
const RIVAL = '10.77.1.2';
const inRivalRange = (ip: string | undefined) => {
  const last = Number(ip?.split('.')[3]);
  return ip?.startsWith('10.77.1.') === true && last >= 150 && last <= 160;
};

describe.skipIf(unavailable)('beside another DHCP server', () => {
  let lab: Lab;
  let rival: Dnsmasq;
  const services: ServiceProcess[] = [];

  beforeAll(async () => {
    lab = Lab.create();
    rival = await dnsmasq(
      lab.host('rv', { address: RIVAL }).exec,
      '10.77.1.150,10.77.1.160,255.255.255.0,1h',
    );
  });

  afterAll(async () => {
    await Promise.all(services.map((s) => s.exit()));
    await rival?.stop();
    lab?.remove();
    removeClientFiles();
    removeBundles();
    removeTempDirs();
  });

  async function spawn(settings: Parameters<typeof ServiceProcess.spawn>[1]['settings']) {
    const service = await ServiceProcess.spawn(lab, {
      settings: { rangeStart: '10.77.1.100', rangeEnd: '10.77.1.110', bootFile: 'pxelinux.0', ...settings },
      dataDir: makeTempDir('dhcp-data-').path,
      rivalCheckMs: 2000,
    });
    services.push(service);
    return service;
  }

  it('provision mode refuses to start, naming the rival and the address it offered', async () => {
    const service = await spawn({});
    const state = await service.start();
    expect(service.states().map((s) => s.status)).toEqual(['checking', 'error']);
    expect(state.status).toBe('error');
    expect(state.rival?.address).toBe(RIVAL);
    expect(inRivalRange(state.rival?.offered)).toBe(true);
    expect(state.message).toContain(`${RIVAL} (offered ${state.rival?.offered})`);
    expect(state.hint).toMatch(/proxy mode/);
    expect(state.hint).toMatch(/force/);
    // the check's DISCOVER came from a made-up, locally administered MAC, as dnsmasq saw it
    expect(rival.output()).toMatch(/DHCPOFFER\(eth0\) 10\.77\.1\.1[56]\d [0-9a-f][26ae]:/);
    // nothing listens: a client gets dnsmasq's answer only
    const r = await udhcpc(lab.host('c1'));
    expect(r.bound?.serverid).toBe(RIVAL);
    expect(service.decisions()).toEqual([]);
  });

  it('force starts anyway and says which server it started beside', async () => {
    const service = await spawn({ force: true });
    const state = await service.start();
    expect(state.status, JSON.stringify(state)).toBe('running');
    expect(state.rival?.address).toBe(RIVAL);
    expect(state.message).toMatch(
      new RegExp(`Started although another DHCP server answers.*${RIVAL.replace(/\./g, '\\.')}`),
    );
    await service.exit();
  });

  it('proxy mode starts without the check and gives a PXE ROM its boot file, no address; port 4011 answers too', async () => {
    const service = await spawn({
      mode: 'proxy',
      bootFile: 'pxe/bios.0',
      bootFileUefi: 'pxe/uefi.efi',
      rangeStart: '',
      rangeEnd: '',
    });
    const state = await service.start();
    expect(state.status, JSON.stringify(state)).toBe('running');
    expect(service.states().map((s) => s.status)).toEqual(['running']);

    const host = lab.host('pxe', { address: '10.77.1.70' });
    const mac = randomMac();
    const uuid = [0, ...Buffer.from('0123456789abcdef')];
    const pxe = (xid: number, type: number, ciaddr?: string) =>
      buildMessage({
        xid,
        mac,
        flags: 0x8000,
        ...(ciaddr ? { ciaddr } : {}),
        options: [
          [53, [type]],
          [60, 'PXEClient:Arch:00007:UNDI:003016'],
          [93, [0, 7]],
          [94, [1, 3, 16]],
          [97, uuid],
          [55, [1, 3, 43, 54, 60, 66, 67, 97]],
        ],
      });
    const discover = await probe(
      host,
      { address: '0.0.0.0', port: 68 },
      [
        {
          send: pxe(0x9e000001, DHCP.DISCOVER).toString('hex'),
          to: { address: '255.255.255.255', port: 67 },
        },
      ],
      2000,
    );
    const offers = discover.replies.filter((r) => r.message.xid === 0x9e000001);
    const ours = offers.find((r) => r.from === SERVER_ADDRESS.lan)?.message;
    const theirs = offers.find((r) => r.from === RIVAL)?.message;
    expect(ours, `${discover.errors.join('\n')}\n${service.story()}`).toBeDefined();
    expect(ours?.type).toBe(DHCP.OFFER);
    expect(ours?.yiaddr).toBe('0.0.0.0');
    expect(ours?.options.has(51)).toBe(false);
    expect(ours?.siaddr).toBe(SERVER_ADDRESS.lan);
    expect(ours?.file).toBe('pxe/uefi.efi');
    expect(optionText(ours!, 60)).toBe('PXEClient');
    expect(optionAddress(ours!, 54)).toBe(SERVER_ADDRESS.lan);
    expect(ours?.options.get(43)?.subarray(0, 3)).toEqual(Buffer.from([6, 1, 8]));
    expect(ours?.options.get(97)).toEqual(Buffer.from(uuid));
    // dnsmasq still hands out the address
    expect(inRivalRange(theirs?.yiaddr)).toBe(true);
    const offered = await service.decision((d) => d.xid === 0x9e000001);
    expect(offered).toMatchObject({ outcome: 'offered', via: 'proxy-67', bootFile: 'pxe/uefi.efi' });

    // The boot server request: unicast to our port 4011 from the address dnsmasq gave it.
    const request = await probe(
      host,
      { address: '0.0.0.0', port: 68 },
      [
        {
          send: pxe(0x9e000002, DHCP.REQUEST, '10.77.1.70').toString('hex'),
          to: { address: SERVER_ADDRESS.lan, port: 4011 },
        },
      ],
      1500,
    );
    const ack = request.replies.find((r) => r.message.xid === 0x9e000002);
    expect(ack, `${request.errors.join('\n')}\n${service.story()}`).toBeDefined();
    expect(ack?.from).toBe(SERVER_ADDRESS.lan);
    expect(ack?.port).toBe(4011);
    expect(ack?.message.type).toBe(DHCP.ACK);
    expect(ack?.message.file).toBe('pxe/uefi.efi');
    expect(ack?.message.siaddr).toBe(SERVER_ADDRESS.lan);
    const acked = await service.decision((d) => d.xid === 0x9e000002);
    expect(acked).toMatchObject({ outcome: 'acked', via: 'proxy-4011' });

    // An ordinary client is left to dnsmasq, and the decision says why.
    const plain = lab.host('plain');
    const r = await udhcpc(plain);
    expect(r.bound?.serverid).toBe(RIVAL);
    const ignored = await service.decision((d) => d.mac === plain.mac);
    expect(ignored.outcome).toBe('ignored');
    expect(ignored.reason).toMatch(/not a PXE client/);
  });
});
