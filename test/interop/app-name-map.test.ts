// Name mapping saved through the app controller reaches the running server: a real client (curl)
// asking for the name a device insists on gets the mapped file's bytes, the rules persist in the
// settings file, and no rule reaches outside the served folder (the tester says so too).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppController, type AppController } from '../../electron/app/controller.js';
import { createConfSettingsStore } from '../../electron/app/settings-store.js';
import { createTftpEngine } from '../../electron/tftp/server.js';
import { CLIENTS } from '../helpers/tftp-clients.js';
import { freeUdpPort } from '../helpers/ports.js';
import { RawClient } from '../helpers/raw-client.js';
import { request } from '../helpers/tftp-wire.js';
import { until } from '../helpers/wait.js';

let base: string;
let root: string;
let port: number;
let controller: AppController;

async function openController(): Promise<AppController> {
  const settings = createConfSettingsStore({ cwd: join(base, 'config'), fallbackRoot: root });
  return createAppController({
    dataDir: base,
    settings,
    createEngine: createTftpEngine,
    platform: process.platform,
  });
}

beforeEach(async () => {
  base = mkdtempSync(join(tmpdir(), 'tftp-desk-map-'));
  root = join(base, 'root');
  mkdirSync(join(root, 'images'), { recursive: true });
  writeFileSync(join(root, 'images', 'OpenWrt-Recovery.bin'), 'the recovery image\n');
  // a file beside the root, which no rule may serve
  writeFileSync(join(base, 'secret.txt'), 'not for devices\n');
  port = await freeUdpPort();
  controller = await openController();
  const saved = await controller.updateSettings({ port, hosts: ['127.0.0.1'] });
  expect(saved.ok).toBe(true);
  expect(await controller.startServer()).toMatchObject({ state: 'listening' });
});

afterEach(async () => {
  await controller.dispose();
  rmSync(base, { recursive: true, force: true });
});

describe('name mapping through the controller', () => {
  it('a saved rule answers a real request with the mapped bytes, from the running server', async () => {
    const out = join(base, 'got.bin');
    const before = await CLIENTS.curl.get({ host: '127.0.0.1', port, remote: 'recovery.bin', local: out });
    expect(before.ok, before.summary).toBe(false);

    const set = await controller.setNameMap(['e recovery.bin images/OpenWrt-Recovery.bin']);
    expect(set.ok).toBe(true);
    const got = await CLIENTS.curl.get({ host: '127.0.0.1', port, remote: 'recovery.bin', local: out });
    expect(got.ok, got.summary).toBe(true);
    expect(readFileSync(out, 'utf8')).toBe('the recovery image\n');

    // The inspector's record: the name as sent, and the rule that mapped it.
    await until(async () => (await controller.getSnapshot()).history.length === 2);
    // the snapshot's history is oldest first
    const [refused, entry] = (await controller.getSnapshot()).history;
    expect(refused?.end).toMatchObject({ type: 'session-failed', code: 1 });
    expect(entry?.end.type).toBe('session-finished');
    expect(entry?.started.request).toMatchObject({
      name: 'recovery.bin',
      mapped: { to: 'images/OpenWrt-Recovery.bin', rule: 'e recovery.bin images/OpenWrt-Recovery.bin' },
    });

    // Persisted: a controller opened on the same settings file serves with the same rule.
    await controller.dispose();
    controller = await openController();
    expect((await controller.getSnapshot()).settings.nameMap?.map((r) => r.source)).toEqual([
      'e recovery.bin images/OpenWrt-Recovery.bin',
    ]);
    expect(await controller.startServer()).toMatchObject({ state: 'listening' });
    const again = await CLIENTS.curl.get({ host: '127.0.0.1', port, remote: 'recovery.bin', local: out });
    expect(again.ok, again.summary).toBe(true);
  });

  it('a rule cannot reach outside the root: the request is refused and the tester says why', async () => {
    const rules = ['e leak.txt ../secret.txt', 'r ^abs/(.*) /\\1', 'r ^unc$ \\\\\\\\host\\\\share'];
    expect((await controller.setNameMap(rules)).ok).toBe(true);
    const client = await RawClient.open();
    try {
      for (const name of ['leak.txt', 'abs/etc/passwd', 'unc']) {
        client.send(request('rrq', name), port);
        const reply = await client.next();
        expect(reply.packet, name).toMatchObject({ op: 'error' });
        expect(reply.raw.toString('latin1')).not.toContain('not for devices');
      }
    } finally {
      await client.close();
    }
    const leak = await controller.testNameMap({ name: 'leak.txt' });
    expect(leak).toMatchObject({
      ok: true,
      mapped: '../secret.txt',
      matched: ['e leak.txt ../secret.txt'],
      resolved: { ok: false, code: 2, reason: 'parent directory segment' },
    });
    // "/etc/passwd" means the root's own etc/passwd (one leading separator is the root): not there.
    const abs = await controller.testNameMap({ name: 'abs/etc/passwd' });
    expect(abs).toMatchObject({ ok: true, mapped: '/etc/passwd', resolved: { ok: false, code: 1 } });
  });

  it('the tester tries draft rules, names the rule that matched and the file it resolves to', async () => {
    const probe = await controller.testNameMap({
      name: 'C0A80102.img',
      rules: ['e other.bin x.bin', 'ri ^[0-9a-f]{8}\\.img$ images/OpenWrt-Recovery.bin'],
    });
    expect(probe).toEqual({
      ok: true,
      mapped: 'images/OpenWrt-Recovery.bin',
      matched: ['ri ^[0-9a-f]{8}\\.img$ images/OpenWrt-Recovery.bin'],
      resolved: { ok: true, file: 'images/OpenWrt-Recovery.bin', size: 19, exists: true },
    });
    // nothing matched: the sample itself is looked up
    expect(await controller.testNameMap({ name: 'images/OpenWrt-Recovery.bin', rules: [] })).toMatchObject({
      ok: true,
      matched: [],
      resolved: { ok: true, file: 'images/OpenWrt-Recovery.bin' },
    });
    // a bad draft rule is named by its position, and nothing is saved
    expect(await controller.testNameMap({ name: 'x', rules: ['e a b', 'r ( z'] })).toMatchObject({
      ok: false,
      errors: [{ index: 1, message: expect.stringMatching(/bad regular expression/) }],
    });
    expect(await controller.setNameMap(['e a b', 'x y z'])).toMatchObject({
      ok: false,
      errors: [{ index: 1, message: expect.stringMatching(/unknown rule/) }],
    });
    expect((await controller.getSnapshot()).settings.nameMap).toEqual([]);
  });

  it('a rule object sent whole through updateSettings is parsed again from its text', async () => {
    const forged = {
      kind: 'exact' as const,
      name: 'recovery.bin',
      file: '../secret.txt',
      flags: '',
      line: 1,
      source: 'e recovery.bin images/OpenWrt-Recovery.bin',
    };
    const saved = await controller.updateSettings({ nameMap: [forged] });
    expect(saved.ok && saved.settings.nameMap?.[0]).toMatchObject({ file: 'images/OpenWrt-Recovery.bin' });
    const bad = await controller.updateSettings({ nameMap: [{ ...forged, source: 'e only-a-name' }] });
    expect(bad).toMatchObject({
      ok: false,
      errors: { nameMap: expect.stringMatching(/Rule 1: .*NAME and a FILE/) },
    });
  });
});
