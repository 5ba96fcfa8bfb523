// runPreflight through the app controller with the real engine on loopback: a test request that
// the running server answers, a port held by another process (a child, named by the OS listing),
// an address this machine does not have, and a device the allow-list leaves out.
import { afterEach, beforeEach, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppController, type AppController } from '../../../electron/app/controller.js';
import {
  createConfSettingsStore,
  createMemorySettingsStore,
  defaultSettings,
} from '../../../electron/app/settings-store.js';
import { createTftpEngine } from '../../../electron/tftp/server.js';
import type { PreflightReport } from '../../../shared/preflight.js';
import { freeUdpPort } from '../../helpers/ports.js';
import { squatUdp } from '../../helpers/udp-squatter.js';

let base: string;
let controller: AppController;
let port: number;

function check(report: PreflightReport, id: string) {
  const c = report.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no ${id} check`);
  return c;
}

beforeEach(async () => {
  base = mkdtempSync(join(tmpdir(), 'tftp-desk-preflight-'));
  mkdirSync(join(base, 'root'));
  port = await freeUdpPort();
  controller = createAppController({
    dataDir: base,
    settings: createMemorySettingsStore({
      ...defaultSettings(join(base, 'root')),
      port,
      hosts: ['127.0.0.1'],
    }),
    createEngine: createTftpEngine,
    platform: process.platform,
  });
});

afterEach(async () => {
  await controller.dispose();
  rmSync(base, { recursive: true, force: true });
});

it('a running server answers the test request sent through 127.0.0.1, and holds its port', async () => {
  expect((await controller.startServer()).state).toBe('listening');
  const report = await controller.runPreflight({ serverAddress: '127.0.0.1', interface: 'lo' });
  expect(report.port).toBe(port);
  expect(check(report, 'address').status).toBe('ok');
  expect(check(report, 'self-request')).toMatchObject({ status: 'ok' });
  expect(check(report, 'port-holder').status).toBe('ok');
  // the probe left no transfer behind
  expect((await controller.getSnapshot()).history).toEqual([]);
});

it('a stopped server: the self-request is skipped, not guessed', async () => {
  const report = await controller.runPreflight({ serverAddress: '127.0.0.1' });
  expect(check(report, 'self-request').status).toBe('skipped');
  expect(check(report, 'port-holder').status).toBe('ok');
});

it('another process holding the port is found and, on Linux, named with its pid', async () => {
  const squatter = await squatUdp(port, '127.0.0.1');
  try {
    const report = await controller.runPreflight({});
    const held = check(report, 'port-holder');
    expect(held.status).toBe('problem');
    if (process.platform === 'linux' && process.getuid?.() === 0) {
      expect(held.summary).toContain(`(pid ${squatter.pid})`);
      expect(held.fix?.command).toBe(`sudo kill ${squatter.pid}`);
    }
  } finally {
    await squatter.stop();
  }
});

it('an address this machine lacks, and a device outside the allow-list', async () => {
  await controller.updateSettings({ allow: ['10.0.0.0/8'] });
  const report = await controller.runPreflight({
    serverAddress: '192.0.2.66',
    deviceAddress: '192.0.2.86',
    interface: 'lo',
  });
  const address = check(report, 'address');
  expect(address.status).toBe('problem');
  if (process.platform === 'linux')
    expect(address.fix?.command).toBe('sudo ip addr add 192.0.2.66/24 dev lo');
  expect(check(report, 'allow-list').status).toBe('problem');
});

it('names the device profile the saved rules give the device, and what it changes', async () => {
  // the settings file store the desktop app uses, so the rules go through its save and read-back
  await controller.dispose();
  controller = createAppController({
    dataDir: base,
    settings: createConfSettingsStore({ cwd: join(base, 'conf'), fallbackRoot: join(base, 'root') }),
    createEngine: createTftpEngine,
    platform: process.platform,
  });
  const saved = await controller.updateSettings({
    profiles: [
      { match: '127.0.0.0/8', profile: 'no-windowsize' },
      { match: '192.0.2.86', profile: 'old-u-boot' },
    ],
  });
  expect(saved.ok).toBe(true);
  const report = await controller.runPreflight({ deviceAddress: '192.0.2.86' });
  const allow = check(report, 'allow-list');
  expect(allow.status).toBe('ok');
  expect(allow.notes).toEqual([
    expect.stringMatching(
      /^Device profile: rule 2: 192\.0\.2\.86 → Old U-Boot applies to 192\.0\.2\.86\. A profile never refuses a device; it changes what is negotiated with it: blksize at most 1468,/,
    ),
  ]);
  // a rule added since is read at the next check; a bad one is refused and changes nothing
  expect(
    (await controller.updateSettings({ profiles: [{ match: 'client:unknown', profile: 'x' }] })).ok,
  ).toBe(false);
  await controller.updateSettings({ profiles: [{ match: '192.0.2.0/24', profile: 'no-tsize' }] });
  const next = check(await controller.runPreflight({ deviceAddress: '192.0.2.86' }), 'allow-list');
  expect(next.notes?.[0]).toMatch(
    /rule 1: 192\.0\.2\.0\/24 → No tsize applies to 192\.0\.2\.86.*no tsize\.$/,
  );
});

it('refuses a malformed request with a plain message', async () => {
  await expect(controller.runPreflight({ serverAddress: 'not an address' })).rejects.toThrow(
    'The server address must be an IPv4 or IPv6 address.',
  );
});

it('with nothing asked, checks the default route’s address; a server on 127.0.0.1 only does not answer there', async () => {
  expect((await controller.startServer()).state).toBe('listening');
  const report = await controller.runPreflight({});
  const self = check(report, 'self-request');
  if (report.serverAddress === undefined) {
    expect(self.status).toBe('skipped'); // no default route here
  } else {
    expect(self.status).toBe('problem');
    expect(self.summary).toContain(`The server listens only on 127.0.0.1, not on ${report.serverAddress}`);
  }
});
