// The boot services through the app controller (what the desktop app and `serve --ui` run), with
// the real service, a real settings file and a real busybox udhcpc, in network namespaces this
// file makes: settings are checked and saved, the service starts only when asked, a client gets a
// lease that shows in the pushed lease table and the log, the settings outlive the process, and
// the service is stopped again at the next launch; beside another DHCP server (dnsmasq) the start
// is refused in words that suggest proxy mode. Skipped without root (the rival case without dnsmasq).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DHCP_DEFAULTS, type DhcpSettings } from '../../shared/dhcp.js';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';
import { AppProcess } from './support/app-process.js';
import { removeBundles } from './support/bundle.js';
import { dnsmasq, removeClientFiles, udhcpc } from './support/clients.js';
import { isInstalled } from '../helpers/run-process.js';
import { Lab, netnsUnavailable, PREFIX_LENGTH, run, SERVER_ADDRESS } from './support/netns.js';

const unavailable = netnsUnavailable();

const SETTINGS: DhcpSettings = {
  ...DHCP_DEFAULTS,
  mode: 'provision',
  interfaceAddress: SERVER_ADDRESS.lan,
  prefixLength: PREFIX_LENGTH,
  rangeStart: '10.77.1.100',
  rangeEnd: '10.77.1.119',
  leaseSeconds: 600,
  bootFile: 'bios/pxelinux.0',
};

describe.skipIf(unavailable)('the boot services through the app controller', () => {
  let lab: Lab;
  let dataDir: string;
  let app: AppProcess | undefined;

  beforeAll(() => {
    lab = Lab.create();
    dataDir = makeTempDir('dhcp-app-data-').path;
  });

  afterAll(async () => {
    await app?.exit();
    lab?.remove();
    removeClientFiles();
    removeBundles();
    removeTempDirs();
  });

  it('refuses settings the check rejects, and saves good ones without starting anything', async () => {
    app = await AppProcess.spawn(lab, { dataDir });
    const first = await app.call('getDhcp');
    expect(first.state.status).toBe('stopped');
    expect(first.settings.mode).toBe('off');

    const outside = await app.call('setDhcpSettings', { ...SETTINGS, rangeEnd: '10.77.2.20' });
    expect(outside.ok).toBe(false);
    expect(outside.ok ? [] : outside.errors).toContain(
      'Range end 10.77.2.20 is outside 10.77.1.0/24, the subnet of 10.77.1.1.',
    );

    const saved = await app.call('setDhcpSettings', SETTINGS);
    expect(saved).toEqual({ ok: true, settings: SETTINGS });
    expect((await app.call('getDhcp')).state.status).toBe('stopped');
    expect(app.pushed('dhcp-state')).toEqual([]);
  });

  it('starts when asked, and a real udhcpc gets a lease that shows in the pushed table and the log', async () => {
    if (!app) throw new Error('no app');
    const started = await app.call('startDhcp');
    expect(started.status, JSON.stringify(started)).toBe('running');
    expect(app.pushed('dhcp-state').map((s) => s.status)).toEqual(['checking', 'running']);

    const client = lab.host('appcli');
    const r = await udhcpc(client);
    expect(r.bound, r.result.stderr).toBeDefined();
    const ip = r.bound?.ip;
    expect(r.bound?.boot_file).toBe('bios/pxelinux.0');
    expect(r.bound?.serverid).toBe(SERVER_ADDRESS.lan);

    const table = await app.waitFor('dhcp-leases', (leases) =>
      leases.some((l) => l.mac === client.mac && l.state === 'bound'),
    );
    const lease = table.find((l) => l.mac === client.mac);
    expect(lease).toMatchObject({
      address: ip,
      state: 'bound',
      bootFile: 'bios/pxelinux.0',
      reserved: false,
    });
    expect((await app.call('getDhcp')).leases).toContainEqual(
      expect.objectContaining({ mac: client.mac, address: ip }),
    );

    // the decisions reach the app's log, which the Log tab shows
    const acked = await app.waitFor('events', (batch) =>
      batch.some((e) => e.type === 'log' && e.peer === client.mac && e.message.includes(`acked ${ip}`)),
    );
    expect(acked.length).toBeGreaterThan(0);

    const stopped = await app.call('stopDhcp');
    expect(stopped.status).toBe('stopped');
    // stopped means the port is closed: the next client gets nothing
    const late = await udhcpc(lab.host('late'), [], 1);
    expect(late.bound).toBeUndefined();
  });

  it('keeps the settings for the next launch, where the service is stopped until asked again', async () => {
    await app?.exit();
    app = await AppProcess.spawn(lab, { dataDir });
    const view = await app.call('getDhcp');
    expect(view.settings).toEqual(SETTINGS);
    expect(view.state.status).toBe('stopped');
    // no start on launch: nothing pushed, and no client is answered
    const r = await udhcpc(lab.host('launch'), [], 1);
    expect(r.bound).toBeUndefined();
    expect(app.pushed('dhcp-state')).toEqual([]);
  });

  it('refuses to start on an address this machine no longer has, in words', async () => {
    if (!app) throw new Error('no app');
    const moved = {
      ...SETTINGS,
      interfaceAddress: '10.77.9.1',
      rangeStart: '10.77.9.100',
      rangeEnd: '10.77.9.119',
    };
    expect((await app.call('setDhcpSettings', moved)).ok).toBe(true);
    const state = await app.call('startDhcp');
    expect(state.status).toBe('error');
    expect(state.message).toContain('No interface of this machine has the address 10.77.9.1 now');
    expect(state.message).toContain(`eth0 ${SERVER_ADDRESS.lan}/${PREFIX_LENGTH}`);
    expect(state.hint).toBe('Choose the interface the devices are on.');
  });

  it.skipIf(!isInstalled('dnsmasq'))(
    'refuses provision mode beside another DHCP server, naming it and suggesting proxy mode',
    async () => {
      if (!app) throw new Error('no app');
      const rival = await dnsmasq(
        lab.host('rv', { address: '10.77.1.2' }).exec,
        '10.77.1.150,10.77.1.160,255.255.255.0,1h',
      );
      try {
        expect((await app.call('setDhcpSettings', SETTINGS)).ok).toBe(true);
        const state = await app.call('startDhcp');
        expect(state.status).toBe('error');
        expect(state.rival?.address).toBe('10.77.1.2');
        expect(state.message).toContain('Another DHCP server answers on this network: 10.77.1.2');
        expect(state.hint).toContain('Use proxy mode');
        await app.waitFor('events', (batch) =>
          batch.some(
            (e) => e.type === 'log' && e.level === 'error' && e.message.includes('Another DHCP server'),
          ),
        );
        // and nothing was left listening: a client gets its lease from the rival alone
        const r = await udhcpc(lab.host('rvcli'));
        expect(r.bound?.serverid).toBe('10.77.1.2');
      } finally {
        await rival.stop();
      }
    },
  );

  it('stops by itself, saying why, when the address it serves on leaves the machine', async () => {
    if (!app) throw new Error('no app');
    const proxy: DhcpSettings = { ...SETTINGS, mode: 'proxy', bootFileUefi: 'efi/ipxe.efi' };
    expect((await app.call('setDhcpSettings', proxy)).ok).toBe(true);
    expect((await app.call('startDhcp')).status).toBe('running');
    const cidr = `${SERVER_ADDRESS.lan}/${PREFIX_LENGTH}`;
    run(['ip', '-n', lab.server, 'addr', 'del', cidr, 'dev', 'eth0']);
    try {
      const stopped = await app.waitFor(
        'dhcp-state',
        (s) => s.status === 'stopped' && s.message !== undefined,
      );
      expect(stopped.message).toContain(`no longer has the address ${SERVER_ADDRESS.lan}`);
    } finally {
      run(['ip', '-n', lab.server, 'addr', 'add', cidr, 'dev', 'eth0']);
    }
  });
});
