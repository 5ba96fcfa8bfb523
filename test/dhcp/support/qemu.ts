// A PC that network-boots: qemu (no KVM needed, TCG) with an e1000 NIC whose option ROM is iPXE,
// on a tap device of the lab (netns.ts), so its DHCP and TFTP traffic stay on the lab's bridge.
// The serial port is the console (SeaBIOS and iPXE print there); the text is kept, cleaned of
// terminal escapes, to wait on and to show in failure messages. With `-no-reboot`, qemu exits
// when the firmware gives up and reboots, e.g. after an iPXE script's `exit`.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isInstalled, killGroup } from '../../helpers/run-process.js';
import type { Tap } from './netns.js';

const QEMU = 'qemu-system-x86_64';
/** The e1000's iPXE ROM as Debian's ipxe-qemu (and qemu's own data folder) ship it. */
const ROM_FOLDERS = ['/usr/lib/ipxe/qemu', '/usr/share/qemu'];
const ROM = 'efi-e1000.rom';
const SERIAL_LIMIT = 256 * 1024;

function romPath(): string | undefined {
  return ROM_FOLDERS.map((dir) => join(dir, ROM)).find((path) => existsSync(path));
}

/** Why a network-booting PC cannot be had here, or undefined when it can. */
export function qemuUnavailable(): string | undefined {
  if (!isInstalled(QEMU)) return `${QEMU} is not installed (Debian: qemu-system-x86)`;
  if (romPath() === undefined) return `no iPXE ROM ${ROM} in ${ROM_FOLDERS.join(' or ')} (Debian: ipxe-qemu)`;
  if (!existsSync('/dev/net/tun')) return 'no /dev/net/tun: tap devices cannot be made here';
  return undefined;
}

/** Terminal escapes, backspaces and carriage returns out: plain lines. */
function plain(text: string): string {
  /* eslint-disable no-control-regex -- the console's escapes and erasures are control characters */
  return text
    .replace(/\x1b(\[[0-9;?]*[A-Za-z]|.)/g, '')
    .replace(/[^\x08]\x08/g, '')
    .replace(/[\x08\r]/g, '');
  /* eslint-enable no-control-regex */
}

export class BootingPc {
  private raw = '';
  readonly exited: Promise<number | null>;
  private done = false;

  private constructor(private readonly child: ChildProcess) {
    const keep = (d: Buffer) => (this.raw = (this.raw + d.toString('latin1')).slice(-SERIAL_LIMIT));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) =>
      child.once('close', (code) => {
        this.done = true;
        resolve(code);
      }),
    );
  }

  /** Powers on a PC whose only boot device is its NIC, cabled to `tap`. */
  static start(tap: Tap, mac: string): BootingPc {
    const rom = romPath();
    if (rom === undefined) throw new Error(qemuUnavailable());
    const args = [
      ...tap.exec.slice(1),
      QEMU,
      '-accel',
      'tcg',
      '-nographic',
      '-nodefaults',
      '-serial',
      'stdio',
      '-m',
      '128',
      '-netdev',
      `tap,id=n0,ifname=${tap.ifname},script=no,downscript=no`,
      '-device',
      `e1000,netdev=n0,mac=${mac},romfile=${rom}`,
      '-boot',
      'order=n,reboot-timeout=0',
      '-no-reboot',
    ];
    const child = spawn(tap.exec[0] as string, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    return new BootingPc(child);
  }

  /** What the PC printed so far, as plain text. */
  get serial(): string {
    return plain(this.raw);
  }

  /** Waits for qemu to exit by itself; kills it after timeoutMs. Resolves true if it exited alone. */
  async exit(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const alone = await Promise.race([
      this.exited.then(() => true),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    clearTimeout(timer);
    if (!alone) await this.kill();
    return alone;
  }

  /** Pulls the plug (after a test). */
  async kill(): Promise<void> {
    if (this.done) return;
    killGroup(this.child.pid, 'SIGKILL');
    await this.exited;
  }
}
