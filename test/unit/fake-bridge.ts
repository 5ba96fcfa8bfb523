// A bridge for component tests in jsdom: every invoke answers as an idle, stopped app would, and a
// test overrides only the calls it watches. Settings are read when the snapshot is taken, so a test
// that changes them between renders sees its own values.
import type { Snapshot, TftpBridge } from '../../shared/ipc-contract';
import { APP_DEFAULTS, type AppSettings } from '../../shared/settings';
import { SYSLOG_DEFAULTS } from '../../shared/syslog';
import { DHCP_DEFAULTS } from '../../shared/dhcp';

export function fakeBridge(
  overrides: Partial<TftpBridge> = {},
  currentSettings: () => AppSettings = () => ({ ...APP_DEFAULTS, root: '/srv/tftp' }),
): TftpBridge {
  const settings = currentSettings();
  const snapshot: Snapshot = {
    server: { state: 'stopped' },
    settings,
    sessions: [],
    history: [],
    log: [],
    interfaces: [],
    capabilities: { nativeDialogs: false, platform: 'linux' },
  };
  const bridge: TftpBridge = {
    getSnapshot: async () => snapshot,
    startServer: async () => ({ state: 'stopped' }),
    stopServer: async () => ({ state: 'stopped' }),
    updateSettings: async (patch) => ({ ok: true, settings: { ...settings, ...patch } }),
    chooseRoot: async () => null,
    setRoot: async (p) => ({ ok: true, value: p }),
    openRoot: async () => ({ ok: false, message: 'no' }),
    listFiles: async () => ({ ok: true, value: [] }),
    checksum: async () => ({ ok: false, message: 'no' }),
    listInterfaces: async () => [],
    exportLog: async () => null,
    getSyslogSnapshot: async () => ({
      state: { state: 'stopped' },
      settings: SYSLOG_DEFAULTS,
      messages: [],
      dropped: { rateLimited: 0, notAllowed: 0 },
      lastDrop: null,
    }),
    setSyslogSettings: async (patch) => ({
      ok: true,
      settings: { ...SYSLOG_DEFAULTS, ...patch },
      state: { state: 'stopped' },
    }),
    startSyslog: async () => ({ state: 'stopped' }),
    stopSyslog: async () => ({ state: 'stopped' }),
    clearSyslog: async () => null,
    getDhcp: async () => ({ settings: DHCP_DEFAULTS, state: { status: 'stopped', mode: 'off' }, leases: [] }),
    setDhcpSettings: async (s) => ({ ok: true, settings: s }),
    startDhcp: async () => ({ status: 'stopped', mode: 'off' }),
    stopDhcp: async () => ({ status: 'stopped', mode: 'off' }),
    getClientState: async () => ({ transfer: { state: 'idle' }, recentDevices: [] }),
    startClientTransfer: async () => ({ ok: false, message: 'no' }),
    cancelClientTransfer: async () => ({ state: 'idle' }),
    chooseClientFile: async () => null,
    setNameMap: async () => ({ ok: false, errors: [] }),
    testNameMap: async () => ({ ok: false, errors: [] }),
    runPreflight: async () => ({ platform: 'linux', port: 69, checks: [], ranAt: 0 }),
    addFirewallRule: async () => ({ outcome: 'unsupported', message: 'Only on Windows.', notice: null }),
    on: () => () => undefined,
    ...overrides,
  };
  return bridge;
}
