// A whole network boot with nothing but TFTP Desk, in network namespaces this file makes
// (support/netns.ts): a PC (qemu, its e1000 NIC's iPXE ROM, support/qemu.ts) on a tap device of the
// lab's segment gets its address and, being iPXE already, the iPXE boot file's name from our DHCP;
// it fetches that iPXE script over TFTP from the server address it was given, and the script
// fetches an image over TFTP and exits, so the firmware gives up and qemu stops. The server's
// transfer records prove both files crossed the wire byte for byte; the PC's console says what
// iPXE saw. Then the same boot in proxy mode, beside dnsmasq: dnsmasq gives the address, TFTP Desk
// the boot file (on port 67 and as the boot server on 4011) and the files.
// Skipped without root, qemu or the iPXE ROM (the proxy case also without dnsmasq).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SessionFinishedEvent, SessionStartedEvent } from '../../shared/events.js';
import { makeTempDir, makeTempRoot, randomData, removeTempDirs, sha256 } from '../helpers/files.js';
import { isInstalled } from '../helpers/run-process.js';
import { removeBundles } from './support/bundle.js';
import { dnsmasq, removeClientFiles, type Dnsmasq } from './support/clients.js';
import { Lab, netnsUnavailable, randomMac, SERVER_ADDRESS } from './support/netns.js';
import { BootingPc, qemuUnavailable } from './support/qemu.js';
import { ServiceProcess, type ServiceOptions } from './support/service-process.js';

const unavailable = netnsUnavailable() ?? qemuUnavailable();
const noDnsmasq = isInstalled('dnsmasq') ? undefined : 'dnsmasq is not installed';
const IMAGE_BYTES = 1024 * 1024;
const RIVAL = '10.77.1.2';
/** Booting under TCG, iPXE's waits included, takes well under a minute; this bounds a stuck boot. */
const BOOT_MS = 120_000;

/**
 * The script the PC runs: the image by TFTP, its size, then back to the BIOS. The image's URL is
 * relative, so iPXE asks the server the script came from: in proxy mode `${next-server}` would be
 * the other DHCP server's siaddr (iPXE takes it from the address's DHCP reply, not the proxy's).
 */
const SCRIPT = [
  '#!ipxe',
  'echo pxe-test: script running on ${ip}',
  'imgfetch images/image.bin || goto failed',
  'imgstat',
  'echo pxe-test: image fetched',
  'exit',
  ':failed',
  'echo pxe-test: image fetch failed',
  'exit',
  '',
].join('\n');

interface Boot {
  pc: BootingPc;
  mac: string;
  service: ServiceProcess;
  /** the console and the server's decisions and transfers, for failure messages */
  story: () => string;
}

describe.skipIf(unavailable)('a PC network-boots from TFTP Desk (iPXE ROM in qemu)', () => {
  let lab: Lab;
  let image: Buffer;
  let root: string;
  let rival: Dnsmasq | undefined;
  const pcs: BootingPc[] = [];
  const services: ServiceProcess[] = [];

  beforeAll(() => {
    lab = Lab.create();
    image = randomData(IMAGE_BYTES);
    root = makeTempRoot({ 'boot.ipxe': SCRIPT, 'images/image.bin': image }).path;
  });

  // A test that failed half-way leaves its PC and server running: stop them before the next one.
  afterEach(async () => {
    await Promise.all(pcs.splice(0).map((pc) => pc.kill()));
    await Promise.all(services.splice(0).map((s) => s.exit()));
  });

  afterAll(async () => {
    await rival?.stop();
    lab?.remove();
    removeClientFiles();
    removeBundles();
    removeTempDirs();
  });

  /** Our DHCP and TFTP with `settings`, then a PC powered on until it gives up (qemu exits). */
  async function boot(settings: ServiceOptions['settings']): Promise<Boot> {
    const service = await ServiceProcess.running(lab, {
      settings: {
        // what a plain PXE ROM would get; this ROM is iPXE already and must get the script
        bootFile: 'undionly.kpxe',
        bootFileIpxe: 'boot.ipxe',
        ...settings,
      },
      dataDir: makeTempDir('dhcp-data-').path,
      tftpRoot: root,
    });
    services.push(service);
    const mac = randomMac();
    const pc = BootingPc.start(lab.tap(), mac);
    pcs.push(pc);
    const exitedAlone = await pc.exit(BOOT_MS);
    const story = () => `console:\n${pc.serial}\nserver:\n${service.story()}`;
    expect(exitedAlone, `qemu still running after ${BOOT_MS} ms\n${story()}`).toBe(true);
    return { pc, mac, service, story };
  }

  /** The PC ran the script at `ip`, fetched the image whole, and the server sent both files byte-exact. */
  function expectBooted({ pc, service, story }: Boot, ip: string): void {
    // iPXE says where it fetches its boot file from before it does
    expect(pc.serial, story()).toContain(`Next server: ${SERVER_ADDRESS.lan}\nFilename: boot.ipxe\n`);
    expect(pc.serial, story()).toContain(`tftp://${SERVER_ADDRESS.lan}/boot.ipxe... ok`);
    expect(pc.serial, story()).toContain(`pxe-test: script running on ${ip}`);
    expect(pc.serial, story()).toMatch(new RegExp(`image\\.bin : ${IMAGE_BYTES} bytes`));
    expect(pc.serial, story()).toContain('pxe-test: image fetched');

    // TFTP: each file read by that address, to the end, with the bytes of the file on disk
    const started = service.tftpEvents.filter((e): e is SessionStartedEvent => e.type === 'session-started');
    const finished = service.tftpEvents.filter(
      (e): e is SessionFinishedEvent => e.type === 'session-finished',
    );
    for (const [file, bytes] of [
      ['boot.ipxe', Buffer.from(SCRIPT)],
      ['images/image.bin', image],
    ] as const) {
      const start = started.find((e) => e.file === file);
      expect(start, `${file} was not asked for\n${story()}`).toBeDefined();
      expect(start?.peer.startsWith(`${ip}:`), story()).toBe(true);
      expect(start?.direction).toBe('download');
      const end = finished.find((e) => e.id === start?.id);
      expect(end, `${file} did not finish\n${story()}`).toBeDefined();
      expect(end?.stats.bytes).toBe(bytes.length);
      expect(end?.stats.sha256).toBe(sha256(bytes));
    }
    expect(service.tftpEvents.filter((e) => e.type === 'session-failed')).toEqual([]);
  }

  it('gets its address and the iPXE script from our DHCP, then the script and the image by TFTP, byte-exact', async () => {
    const booted = await boot({ rangeStart: '10.77.1.100', rangeEnd: '10.77.1.109' });
    const { mac, service, story } = booted;

    // DHCP: an address from the pool and the iPXE boot file, because the ROM said it is iPXE
    const ack = service.decisions().find((d) => d.mac === mac && d.outcome === 'acked' && d.via === 'dhcp');
    expect(ack, story()).toBeDefined();
    expect(ack?.address, story()).toMatch(/^10\.77\.1\.10\d$/);
    expect(ack?.userClass, story()).toBe('iPXE');
    expect(ack?.bootFile, story()).toBe('boot.ipxe');
    expectBooted(booted, ack?.address as string);
  });

  it.skipIf(noDnsmasq)(
    'proxy mode beside dnsmasq: dnsmasq gives the address, we the boot file and the files',
    async () => {
      rival = await dnsmasq(
        lab.host('rv', { address: RIVAL }).exec,
        '10.77.1.150,10.77.1.160,255.255.255.0,1h',
      );
      const booted = await boot({ mode: 'proxy', rangeStart: '', rangeEnd: '' });
      const { mac, service, story } = booted;
      const story2 = () => `${story()}\ndnsmasq:\n${rival?.output()}`;

      // dnsmasq leased the address ...
      const leased = new RegExp(`DHCPACK\\(eth0\\) (10\\.77\\.1\\.1[56]\\d) ${mac}`).exec(rival.output());
      expect(leased, story2()).not.toBeNull();
      const ip = leased?.[1] as string;
      // ... and we gave no address, only the iPXE boot file
      const ours = service.decisions().filter((d) => d.mac === mac && d.outcome !== 'ignored');
      expect(ours.length, story2()).toBeGreaterThan(0);
      for (const d of ours) {
        expect(d.address, story2()).toBeUndefined();
        expect(d.bootFile, story2()).toBe('boot.ipxe');
      }
      expect(
        ours.some((d) => d.via === 'proxy-67' && d.outcome === 'offered'),
        story2(),
      ).toBe(true);
      expectBooted(booted, ip);
    },
  );
});
