// Real iPXE (the ROM of QEMU's e1000 card, Debian package ipxe-qemu) boots in QEMU with user-mode
// networking: QEMU's own DHCP hands it a tftp:// URI naming 10.0.2.2, which QEMU maps to this
// machine's loopback, where the engine listens. The request iPXE sends is what the fingerprint table
// says iPXE sends. Skipped where QEMU or the ROM is missing; the VM is killed as soon as the
// request has arrived (or after 60 s).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { EngineEvent, SessionStartedEvent } from '../../shared/events.js';
import { fingerprint } from '../../electron/tftp/fingerprint.js';
import { makeTempRoot, removeTempDirs } from '../helpers/files.js';
import { isInstalled, killGroup } from '../helpers/run-process.js';
import { startServer, stopServers, type TestServer } from '../helpers/test-server.js';

const ROM = '/usr/lib/ipxe/qemu/pxe-e1000.rom';
const BIOS_DIR = '/usr/share/seabios';
const available =
  isInstalled('qemu-system-x86_64') && existsSync(ROM) && existsSync(`${BIOS_DIR}/bios-256k.bin`);

let server: TestServer;

beforeAll(async () => {
  if (!available) return;
  const root = makeTempRoot({ 'boot.ipxe': '#!ipxe\necho served by the test\n' });
  server = await startServer({ root: root.path });
});

afterAll(async () => {
  await stopServers();
  removeTempDirs();
});

describe.skipIf(!available)('iPXE in QEMU', () => {
  it('sends octet, blksize 1432, tsize 0, and is named iPXE', async () => {
    const vm = spawn(
      'nice',
      [
        'qemu-system-x86_64',
        ...['-L', BIOS_DIR, '-nographic', '-display', 'none', '-serial', 'none', '-monitor', 'none'],
        ...['-m', '64', '-boot', 'n', '-no-reboot'],
        ...['-netdev', `user,id=n0,bootfile=tftp://10.0.2.2:${server.port}/boot.ipxe`],
        ...['-device', `e1000,netdev=n0,romfile=${ROM}`],
      ],
      { detached: true, stdio: 'ignore' },
    );
    try {
      const started = await server.waitFor(
        (e: EngineEvent): e is SessionStartedEvent =>
          e.type === 'session-started' && e.request?.name === 'boot.ipxe',
        60_000,
      );
      expect(started.request).toMatchObject({
        mode: 'octet',
        options: [
          { name: 'blksize', value: '1432' },
          { name: 'tsize', value: '0' },
        ],
        client: { client: 'ipxe', confidence: 'likely' },
      });
      // By its options alone (no telling name) it is still iPXE, as a guess: BusyBox can send the same.
      const byOptions = fingerprint({
        kind: 'rrq',
        name: 'kernel',
        mode: 'octet',
        options: started.request?.options ?? [],
      });
      expect(byOptions).toMatchObject({ client: 'ipxe', confidence: 'guess' });
    } finally {
      killGroup(vm.pid, 'SIGKILL');
    }
  }, 90_000);
});
