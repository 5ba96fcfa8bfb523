// Failures a person can act on, provoked for real: port 67 held by dnsmasq (the state names the
// usual holders and how to find the one), port 67 refused to an unprivileged user (the state says
// how to get the right), settings that cannot work (the state lists what to fix); and the auto-stop,
// which frees the ports and says why the service stopped. Never a stack trace. The namespace cases
// skip without root; the auto-stop runs in this process on loopback with fake timers.
import { createSocket } from 'node:dgram';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { createDhcpService, type DhcpService } from '../../electron/dhcp/index.js';
import { bindProblem } from '../../electron/dhcp/port-errors.js';
import { DHCP_DEFAULTS, type DhcpEvent } from '../../shared/dhcp.js';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';
import { freeUdpPort } from '../helpers/ports.js';
import { isInstalled } from '../helpers/run-process.js';
import { removeBundles } from './support/bundle.js';
import { dnsmasq, removeClientFiles } from './support/clients.js';
import { Lab, netnsUnavailable } from './support/netns.js';
import { ServiceProcess } from './support/service-process.js';

const STACK = /\n\s+at |Error:/;
const nsUnavailable = netnsUnavailable();

afterAll(() => {
  removeClientFiles();
  removeBundles();
  removeTempDirs();
});

describe.skipIf(nsUnavailable ?? (isInstalled('dnsmasq') ? undefined : 'dnsmasq is not installed'))(
  'ports that will not open',
  () => {
    let lab: Lab | undefined;
    afterAll(() => lab?.remove());

    it('port 67 held by dnsmasq: says who probably holds it and how to find out', async () => {
      lab = Lab.create();
      const holder = await dnsmasq(lab.serverExec, '10.77.1.150,10.77.1.160,255.255.255.0,1h', true);
      try {
        const service = await ServiceProcess.spawn(lab, {
          settings: { mode: 'proxy', bootFile: 'pxelinux.0' },
          dataDir: makeTempDir('dhcp-data-').path,
        });
        const state = await service.start();
        await service.exit();
        expect(state.status).toBe('error');
        expect(state.message).toBe('The DHCP server port 67 is already in use (0.0.0.0:67).');
        expect(state.hint).toMatch(/dnsmasq/);
        expect(state.hint).toMatch(/ss -ulpn 'sport = :67'/);
        expect(`${state.message}${state.hint}`).not.toMatch(STACK);
      } finally {
        await holder.stop();
      }
    });

    it('port 67 refused to an unprivileged user: says how to get the right on Linux', async () => {
      lab ??= Lab.create();
      const data = makeTempDir('dhcp-data-');
      const service = await ServiceProcess.spawn(lab, {
        settings: { mode: 'proxy', bootFile: 'pxelinux.0' },
        dataDir: data.path,
        wrap: ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
      });
      const state = await service.start();
      await service.exit();
      expect(state.status, service.story()).toBe('error');
      expect(state.message).toMatch(/^Permission denied for the DHCP server port 67 \(/);
      expect(state.hint).toMatch(/run as root/);
      expect(state.hint).toMatch(/setcap cap_net_bind_service=\+ep/);
      expect(`${state.message}${state.hint}`).not.toMatch(STACK);
    });
  },
);

describe('the words for each system', () => {
  const inUse = Object.assign(new Error('bind EADDRINUSE'), { code: 'EADDRINUSE' });
  const denied = Object.assign(new Error('bind EACCES'), { code: 'EACCES' });

  it.each([
    ['win32', /Internet Connection Sharing/, /netstat -abno/],
    ['darwin', /Internet Sharing \(it runs bootpd\)/, /lsof -nP -iUDP:67/],
    ['linux', /dnsmasq/, /ss -ulpn/],
  ] as const)(
    'port 67 in use on %s names the usual holders and how to find the one',
    (platform, who, how) => {
      const p = bindProblem(inUse, '10.0.0.1', 67, 'server', platform);
      expect(p.message).toBe('The DHCP server port 67 is already in use (10.0.0.1:67).');
      expect(p.hint).toMatch(who);
      expect(p.hint).toMatch(how);
    },
  );

  it.each([
    ['linux', /setcap cap_net_bind_service/],
    ['darwin', /sudo/],
    ['win32', /as administrator/],
  ] as const)('permission denied on %s says how to get the right', (platform, fix) => {
    expect(bindProblem(denied, '10.0.0.1', 67, 'server', platform).hint).toMatch(fix);
  });

  it("port 68 in use points at this machine's DHCP client and the force switch", () => {
    const p = bindProblem(inUse, '10.0.0.1', 68, 'client', 'linux');
    expect(p.message).toMatch(/DHCP client port/);
    expect(p.hint).toMatch(/dhclient/);
    expect(p.hint).toMatch(/force/);
  });
});

describe('in this process', () => {
  let service: DhcpService | undefined;
  afterEach(async () => {
    vi.useRealTimers();
    await service?.stop();
    service = undefined;
  });

  it('settings that cannot work: an error state listing what to fix, nothing opened', async () => {
    service = createDhcpService({
      settings: {
        ...DHCP_DEFAULTS,
        mode: 'provision',
        interfaceAddress: '10.77.1.1',
        prefixLength: 24,
        rangeStart: '10.77.1.200',
        rangeEnd: '10.77.1.100',
      },
      dataDir: makeTempDir('dhcp-data-').path,
    });
    const state = await service.start();
    expect(state.status).toBe('error');
    expect(state.message).toBe('The DHCP settings need attention.');
    expect(state.hint).toMatch(/Range start 10\.77\.1\.200 is after range end 10\.77\.1\.100/);
  });

  it('mode off: start() says so and opens nothing', async () => {
    service = createDhcpService({ settings: DHCP_DEFAULTS, dataDir: makeTempDir('dhcp-data-').path });
    expect(await service.start()).toEqual({ status: 'stopped', mode: 'off', message: 'DHCP is off.' });
  });

  it('stops by itself after the minutes set, says so, and frees its ports', async () => {
    // Proxy mode on loopback, unprivileged ports: nothing is sent, and no check runs.
    const serverPort = await freeUdpPort('127.0.0.1');
    const proxyPort = await freeUdpPort('127.0.0.1');
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const events: DhcpEvent[] = [];
    service = createDhcpService({
      settings: {
        ...DHCP_DEFAULTS,
        mode: 'proxy',
        interfaceAddress: '127.0.0.1',
        prefixLength: 8,
        bootFile: 'pxelinux.0',
        stopAfterMinutes: 2,
      },
      dataDir: makeTempDir('dhcp-data-').path,
      serverPort,
      proxyPort,
    });
    service.onEvent((e) => events.push(e));
    const running = await service.start();
    expect(running.status, JSON.stringify(running)).toBe('running');
    expect(running.message).toMatch(/Stops by itself after 2 minutes\./);
    await vi.advanceTimersByTimeAsync(119_000);
    expect(service.state.status).toBe('running');
    await vi.advanceTimersByTimeAsync(1_000);
    await vi.waitFor(() => expect(service?.state.status).toBe('stopped'), { timeout: 5000 });
    expect(service.state.message).toBe('Stopped by itself after 2 minutes, as set.');
    expect(
      events.filter((e) => e.type === 'dhcp-state').map((e) => e.type === 'dhcp-state' && e.state.status),
    ).toEqual(['running', 'stopped']);
    vi.useRealTimers();
    // every port is free again: a socket without SO_REUSEADDR binds them
    for (const port of [serverPort, proxyPort]) {
      const probe = createSocket('udp4');
      await new Promise<void>((resolve, reject) => {
        probe.once('error', reject);
        probe.bind(port, '0.0.0.0', resolve);
      });
      await new Promise<void>((resolve) => probe.close(() => resolve()));
    }
  });
});
