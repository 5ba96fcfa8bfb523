// The app side of the boot services without a network: the shape check of settings from outside,
// the call check, the test port override, the checks before a start, the log lines, the settings
// file, and the host's lifecycle around a stand-in service (the real one is proven in test/dhcp/).
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DHCP_DEFAULTS,
  type DhcpDecision,
  type DhcpEvent,
  type DhcpServiceState,
  type DhcpSettings,
} from '../../shared/dhcp.js';
import { MAX_DHCP_LIST, readDhcpSettings } from '../../shared/dhcp-view.js';
import type { LogEvent, ServerState } from '../../shared/events.js';
import type { NetInterface } from '../../shared/ipc-contract.js';
import { createDhcpHost } from '../../electron/app/dhcp-host.js';
import { dhcpDecisionLog, dhcpStateLog } from '../../electron/app/dhcp-log.js';
import { dhcpPortsFromEnv } from '../../electron/app/dhcp-ports.js';
import { preflightDhcp } from '../../electron/app/dhcp-preflight.js';
import { checkInvoke } from '../../electron/app/invoke-args.js';
import {
  createConfSettingsStore,
  createMemorySettingsStore,
  defaultSettings,
} from '../../electron/app/settings-store.js';
import type { DhcpService, DhcpServiceOptions } from '../../electron/dhcp/index.js';

const PROXY: DhcpSettings = {
  ...DHCP_DEFAULTS,
  mode: 'proxy',
  interfaceAddress: '192.168.7.1',
  prefixLength: 24,
  bootFileUefi: 'efi/ipxe.efi',
};

const ETH0: NetInterface = {
  name: 'eth0',
  internal: false,
  up: true,
  isDefault: true,
  addresses: [{ address: '192.168.7.1', family: 'IPv4', prefix: 24 }],
};

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('DHCP settings from outside', () => {
  it('takes the defaults and full settings, copying only what they hold', () => {
    expect(readDhcpSettings(DHCP_DEFAULTS)).toEqual({ ok: true, settings: DHCP_DEFAULTS });
    expect(readDhcpSettings(PROXY)).toEqual({ ok: true, settings: PROXY });
    // absent lists are the defaults' empty ones
    expect(readDhcpSettings({ mode: 'off' })).toEqual({ ok: true, settings: DHCP_DEFAULTS });
  });

  it('refuses what has not their shape, and says what', () => {
    const cases: [unknown, string][] = [
      [null, 'DHCP settings must be an object.'],
      [[], 'DHCP settings must be an object.'],
      [{ ...PROXY, extra: 1 }, 'Unknown DHCP setting "extra".'],
      [{ ...PROXY, mode: 'server' }, 'Unknown DHCP mode "server".'],
      [{ ...PROXY, prefixLength: '24' }, 'prefixLength must be a number.'],
      [{ ...PROXY, force: 'yes' }, 'force must be on or off.'],
      [{ ...PROXY, offerLogServer: 1 }, 'offerLogServer must be on or off.'],
      [{ ...PROXY, router: 5 }, 'router must be text.'],
      [{ ...PROXY, allowMacs: 'aa:bb:cc:dd:ee:ff' }, 'allowMacs must be a list of text.'],
      [
        { ...PROXY, allowMacs: Array.from({ length: MAX_DHCP_LIST + 1 }, () => 'x') },
        'allowMacs must be a list of text.',
      ],
      [
        { ...PROXY, reservations: [{ mac: 'x' }] },
        'reservations must be a list of { mac, address, bootFile? }.',
      ],
      [
        { ...PROXY, customOptions: [{ code: '42', value: 'x' }] },
        'customOptions must be a list of { code, value }.',
      ],
      [{ ...PROXY, bootFile: 'x'.repeat(5000) }, 'bootFile must be text.'],
    ];
    for (const [raw, error] of cases) expect(readDhcpSettings(raw)).toEqual({ ok: false, error });
  });

  it('is checked before a setDhcpSettings call reaches the controller', () => {
    expect(checkInvoke('setDhcpSettings', [PROXY]).ok).toBe(true);
    expect(checkInvoke('setDhcpSettings', [{ ...PROXY, __proto__x: 1 }])).toEqual({
      ok: false,
      error: 'Unknown DHCP setting "__proto__x".',
    });
    expect(checkInvoke('setDhcpSettings', [])).toEqual({
      ok: false,
      error: 'setDhcpSettings takes one argument.',
    });
    expect(checkInvoke('startDhcp', [1])).toEqual({ ok: false, error: 'startDhcp takes no arguments.' });
    expect(checkInvoke('getDhcp', []).ok).toBe(true);
  });
});

describe('the DHCP port override for tests', () => {
  it('is off unless set, and takes two or three ports', () => {
    expect(dhcpPortsFromEnv({})).toBeUndefined();
    expect(dhcpPortsFromEnv({ TFTP_DESK_DHCP_PORTS: '' })).toBeUndefined();
    expect(dhcpPortsFromEnv({ TFTP_DESK_DHCP_PORTS: '40067,40068' })).toEqual({
      server: 40067,
      client: 40068,
      proxy: 4011,
    });
    expect(dhcpPortsFromEnv({ TFTP_DESK_DHCP_PORTS: '40067, 40068, 44011' })).toEqual({
      server: 40067,
      client: 40068,
      proxy: 44011,
    });
  });

  it('refuses a value it cannot use instead of falling back to the real ports', () => {
    for (const bad of ['67', 'a,b', '1,2,3,4', '0,68', '70000,68'])
      expect(() => dhcpPortsFromEnv({ TFTP_DESK_DHCP_PORTS: bad }), bad).toThrow(/TFTP_DESK_DHCP_PORTS/);
  });
});

describe('the checks before a start', () => {
  const listening: ServerState = { state: 'listening', addresses: [], root: '/srv' };

  it('passes when the address is here and TFTP listens on it, port 69', () => {
    expect(preflightDhcp(PROXY, [ETH0], { hosts: [], port: 69 }, listening)).toEqual({ notes: [] });
    expect(preflightDhcp(PROXY, [ETH0], { hosts: ['192.168.7.1'], port: 69 }, listening)).toEqual({
      notes: [],
    });
  });

  it('refuses an address this machine does not have, naming the ones it has', () => {
    const r = preflightDhcp(
      { ...PROXY, interfaceAddress: '10.1.1.1' },
      [ETH0],
      { hosts: [], port: 69 },
      listening,
    );
    expect(r.refusal?.message).toBe(
      'No interface of this machine has the address 10.1.1.1 now (IPv4 addresses here: eth0 192.168.7.1/24).',
    );
  });

  it('refuses a subnet that changed since the settings were saved', () => {
    const r = preflightDhcp({ ...PROXY, prefixLength: 16 }, [ETH0], { hosts: [], port: 69 }, listening);
    expect(r.refusal?.message).toBe('eth0 has 192.168.7.1/24 now, not /16 as saved.');
  });

  it('refuses when TFTP does not listen where DHCP sends devices', () => {
    const r = preflightDhcp(PROXY, [ETH0], { hosts: ['10.0.0.1'], port: 69 }, listening);
    expect(r.refusal?.message).toBe(
      'DHCP sends devices to 192.168.7.1 for their boot file, but TFTP listens only on 10.0.0.1.',
    );
  });

  it('notes a TFTP port other than 69 and a stopped TFTP server', () => {
    const r = preflightDhcp(PROXY, [ETH0], { hosts: [], port: 6969 }, { state: 'stopped' });
    expect(r.refusal).toBeUndefined();
    expect(r.notes).toEqual([
      'Devices ask for their boot file on port 69, but TFTP listens on port 6969.',
      'The TFTP server is not running: start it, or devices get an address but no boot file.',
    ]);
  });
});

describe('the log lines of the boot services', () => {
  const decision: DhcpDecision = {
    at: 5,
    mac: '52:54:00:12:34:56',
    xid: 1,
    kind: 'REQUEST',
    outcome: 'acked',
    reason: 'Bound until 12:00.',
    address: '192.168.7.100',
    bootFile: 'efi/ipxe.efi',
    vendorClass: 'PXEClient:Arch:00007',
    arch: 7,
    via: 'dhcp',
  };

  it('tell each decision with the client, the answer and why', () => {
    expect(dhcpDecisionLog(decision)).toEqual({
      type: 'log',
      time: 5,
      level: 'info',
      peer: '52:54:00:12:34:56',
      message:
        'DHCP REQUEST (PXEClient:Arch:00007, UEFI x64): acked 192.168.7.100, boot file efi/ipxe.efi. Bound until 12:00.',
    });
    expect(dhcpDecisionLog({ ...decision, outcome: 'ignored' }).level).toBe('debug');
    expect(dhcpDecisionLog({ ...decision, outcome: 'nak' }).level).toBe('warn');
  });

  it('tell a refusal as an error, with its hint', () => {
    expect(
      dhcpStateLog({ status: 'error', mode: 'provision', message: 'Another server.', hint: 'Use proxy.' }, 9),
    ).toEqual({
      type: 'log',
      time: 9,
      level: 'error',
      message: 'Boot services not running: Another server. Use proxy.',
    });
  });
});

describe('DHCP settings in the settings file', () => {
  it('are kept when valid and replaced by the defaults when not, the rest untouched', () => {
    const cwd = mkdtempSync(join(tmpdir(), 'tftp-desk-dhcp-conf-'));
    dirs.push(cwd);
    const store = createConfSettingsStore({ cwd, fallbackRoot: '/srv/tftp' });
    store.set({ dhcp: PROXY, port: 6969 });
    expect(createConfSettingsStore({ cwd }).get().dhcp).toEqual(PROXY);

    const file = join(cwd, 'config.json');
    writeFileSync(file, JSON.stringify({ port: 6969, dhcp: { ...PROXY, rangeStart: 7 } }));
    const reopened = createConfSettingsStore({ cwd }).get();
    expect(reopened.dhcp).toEqual(DHCP_DEFAULTS);
    expect(reopened.port).toBe(6969);

    // valid in shape but refused by the check (proxy mode without a boot file)
    writeFileSync(file, JSON.stringify({ dhcp: { ...PROXY, bootFileUefi: undefined } }));
    expect(createConfSettingsStore({ cwd }).get().dhcp).toEqual(DHCP_DEFAULTS);
  });
});

/** A service that does what the test says, recording how it was made. */
function standInServices() {
  const made: {
    options: DhcpServiceOptions;
    stopped: boolean;
    emit: (e: DhcpEvent) => void;
    set: (s: DhcpServiceState) => void;
  }[] = [];
  const create = (options: DhcpServiceOptions): DhcpService => {
    const listeners = new Set<(e: DhcpEvent) => void>();
    let state: DhcpServiceState = { status: 'stopped', mode: options.settings.mode };
    const emit = (e: DhcpEvent) => listeners.forEach((l) => l(e));
    const set = (s: DhcpServiceState) => {
      state = s;
      emit({ type: 'dhcp-state', state: s });
    };
    const record = { options, stopped: false, emit, set };
    made.push(record);
    return {
      get state() {
        return state;
      },
      async start() {
        set({ status: 'running', mode: options.settings.mode, message: 'Serving.' });
        return state;
      },
      async stop() {
        record.stopped = true;
        set({ status: 'stopped', mode: options.settings.mode });
      },
      onEvent: (l) => (listeners.add(l), () => listeners.delete(l)),
      leases: () => [],
    };
  };
  return { made, create };
}

function makeHost(dhcp: DhcpSettings = DHCP_DEFAULTS) {
  const store = createMemorySettingsStore({ ...defaultSettings('/srv'), dhcp });
  const services = standInServices();
  const states: DhcpServiceState[] = [];
  const logs: LogEvent[] = [];
  const host = createDhcpHost({
    dataDir: '/nonexistent-data-dir',
    settings: () => store.get(),
    saveDhcp: (s) => store.set({ dhcp: s }),
    interfaces: () => [ETH0],
    tftpState: () => ({ state: 'listening', addresses: [], root: '/srv' }),
    onState: (s) => states.push(s),
    onLeases: () => undefined,
    log: (l) => logs.push(l),
    now: () => 1,
    ports: { server: 40067, client: 40068, proxy: 44011 },
    createService: services.create,
  });
  return { host, store, services, states, logs };
}

describe('the DHCP host', () => {
  it('makes no service until asked, even with a mode saved', () => {
    const { host, services, states } = makeHost(PROXY);
    expect(host.view().state).toEqual({ status: 'stopped', mode: 'proxy' });
    expect(services.made).toEqual([]);
    expect(states).toEqual([]);
  });

  it('says why it does not start with mode off or with settings the check refuses', async () => {
    const off = makeHost();
    expect(await off.host.start()).toEqual({
      status: 'stopped',
      mode: 'off',
      message: 'Choose provision or proxy mode first.',
    });
    const invalid = makeHost({ ...PROXY, bootFileUefi: undefined });
    const state = await invalid.host.start();
    expect(state.status).toBe('error');
    expect(state.hint).toBe('proxyDHCP only tells PXE clients what to boot: set at least one boot file.');
    expect(invalid.logs.at(-1)?.level).toBe('error');
    expect(off.services.made.length + invalid.services.made.length).toBe(0);
  });

  it('starts one service with the saved settings and ports, and restarts it when they change', async () => {
    const { host, services, states } = makeHost(PROXY);
    expect((await host.start()).status).toBe('running');
    expect(await host.start()).toMatchObject({ status: 'running' });
    expect(services.made).toHaveLength(1);
    expect(services.made[0]?.options).toMatchObject({
      settings: PROXY,
      serverPort: 40067,
      clientPort: 40068,
      proxyPort: 44011,
    });

    const next = { ...PROXY, bootFileIpxe: 'boot.ipxe' };
    expect(await host.setSettings(next)).toEqual({ ok: true, settings: next });
    expect(services.made).toHaveLength(2);
    expect(services.made[0]?.stopped).toBe(true);
    expect(services.made[1]?.options.settings).toEqual(next);
    expect(states.map((s) => s.status)).toEqual(['running', 'stopped', 'running']);

    expect(await host.stop()).toEqual({ status: 'stopped', mode: 'proxy' });
    expect(services.made[1]?.stopped).toBe(true);
    await host.dispose();
  });

  it('refuses settings the check rejects and keeps the saved ones', async () => {
    const { host, store } = makeHost(PROXY);
    const r = await host.setSettings({
      ...PROXY,
      mode: 'provision',
      rangeStart: '192.168.8.1',
      rangeEnd: '192.168.8.9',
    });
    expect(r.ok).toBe(false);
    expect(r.ok ? [] : r.errors).toContain(
      'Range start 192.168.8.1 is outside 192.168.7.0/24, the subnet of 192.168.7.1.',
    );
    expect(store.get().dhcp).toEqual(PROXY);
  });

  it('forwards a stop the service makes by itself, and starts a new service the next time', async () => {
    const { host, services, states } = makeHost(PROXY);
    await host.start();
    services.made[0]?.set({
      status: 'stopped',
      mode: 'proxy',
      message: 'Stopped by itself after 5 minutes, as set.',
    });
    expect(host.view().state.message).toBe('Stopped by itself after 5 minutes, as set.');
    expect(states.at(-1)?.status).toBe('stopped');
    expect((await host.start()).status).toBe('running');
    expect(services.made).toHaveLength(2);
    await host.dispose();
  });

  it('stops a running service when its address leaves the machine, and says why', async () => {
    const { host, services, states } = makeHost(PROXY);
    await host.start();
    await host.interfacesChanged([ETH0]);
    expect(services.made[0]?.stopped).toBe(false);
    await host.interfacesChanged([
      { ...ETH0, addresses: [{ address: '192.168.9.1', family: 'IPv4', prefix: 24 }] },
    ]);
    expect(services.made[0]?.stopped).toBe(true);
    expect(states.at(-1)).toMatchObject({
      status: 'stopped',
      message:
        'Stopped: this machine no longer has the address 192.168.7.1, so replies could go nowhere or to another network.',
    });
    await host.dispose();
  });
});
