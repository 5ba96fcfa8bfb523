// A whole network boot with nothing but TFTP Desk, in network namespaces this file makes
// (support/netns.ts): a PC (qemu, its e1000 NIC's iPXE ROM, support/qemu.ts) on a tap device of the
// lab's segment gets its address and, being iPXE already, the iPXE boot file's name from our DHCP;
// it fetches that iPXE script over TFTP from the server address it was given, and the script
// fetches an image over TFTP and exits, so the firmware gives up and qemu stops. The server's
// transfer records prove both files crossed the wire byte for byte; the PC's console says what
// iPXE saw. Skipped without root, qemu or the iPXE ROM.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionFinishedEvent, SessionStartedEvent } from '../../shared/events.js';
import { makeTempDir, makeTempRoot, randomData, removeTempDirs, sha256 } from '../helpers/files.js';
import { removeBundles } from './support/bundle.js';
import { Lab, netnsUnavailable, randomMac, SERVER_ADDRESS } from './support/netns.js';
import { BootingPc, qemuUnavailable } from './support/qemu.js';
import { ServiceProcess } from './support/service-process.js';

const unavailable = netnsUnavailable() ?? qemuUnavailable();
const IMAGE_BYTES = 1024 * 1024;
/** Booting under TCG, iPXE's waits included, takes well under a minute; this bounds a stuck boot. */
const BOOT_MS = 120_000;

/** The script the PC runs: the image by TFTP from the server DHCP named, its size, then back to the BIOS. */
const SCRIPT = [
  '#!ipxe',
  'echo pxe-test: script running on ${ip} from ${next-server}',
  'imgfetch tftp://${next-server}/images/image.bin || goto failed',
  'imgstat',
  'echo pxe-test: image fetched',
  'exit',
  ':failed',
  'echo pxe-test: image fetch failed',
  'exit',
  '',
].join('\n');

describe.skipIf(unavailable)('a PC boots from TFTP Desk alone (iPXE ROM in qemu)', () => {
  let lab: Lab;
  const pcs: BootingPc[] = [];
  const services: ServiceProcess[] = [];

  beforeAll(() => {
    lab = Lab.create();
  });

  afterAll(async () => {
    await Promise.all(pcs.map((pc) => pc.kill()));
    await Promise.all(services.map((s) => s.exit()));
    lab?.remove();
    removeBundles();
    removeTempDirs();
  });

  it('gets its address and the iPXE script from our DHCP, then the script and the image by TFTP, byte-exact', async () => {
    const image = randomData(IMAGE_BYTES);
    const root = makeTempRoot({ 'boot.ipxe': SCRIPT, 'images/image.bin': image });
    const service = await ServiceProcess.running(lab, {
      settings: {
        rangeStart: '10.77.1.100',
        rangeEnd: '10.77.1.109',
        // what a plain PXE ROM would get; this ROM is iPXE already and must get the script
        bootFile: 'undionly.kpxe',
        bootFileIpxe: 'boot.ipxe',
      },
      dataDir: makeTempDir('dhcp-data-').path,
      tftpRoot: root.path,
    });
    services.push(service);

    const mac = randomMac();
    const pc = BootingPc.start(lab.tap(), mac);
    pcs.push(pc);
    const exitedAlone = await pc.exit(BOOT_MS);
    const story = () => `console:\n${pc.serial}\nserver:\n${service.story()}`;
    expect(exitedAlone, `qemu still running after ${BOOT_MS} ms\n${story()}`).toBe(true);

    // DHCP: an address from the pool and the iPXE boot file, because the ROM said it is iPXE
    const ack = service.decisions().find((d) => d.mac === mac && d.outcome === 'acked' && d.via === 'dhcp');
    expect(ack, story()).toBeDefined();
    expect(ack?.address, story()).toMatch(/^10\.77\.1\.10\d$/);
    expect(ack?.userClass, story()).toBe('iPXE');
    expect(ack?.bootFile, story()).toBe('boot.ipxe');
    const ip = ack?.address as string;

    // the PC ran the script with that address and server, fetched the image whole, and exited
    expect(pc.serial, story()).toContain(`pxe-test: script running on ${ip} from ${SERVER_ADDRESS.lan}`);
    expect(pc.serial, story()).toMatch(new RegExp(`image\\.bin : ${IMAGE_BYTES} bytes`));
    expect(pc.serial, story()).toContain('pxe-test: image fetched');

    // TFTP: each file read once by that address, to the end, with the bytes of the file on disk
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
  });
});
