// `tftp-desk serve --ui`: the desktop app's controller without Electron, its UI served to a
// browser on loopback. Settings live in memory, seeded from the command line. The boot services
// given on the command line start through the controller, so the page shows and controls them and
// no second service can take their ports.
import { fileURLToPath } from 'node:url';
import type { SyslogEvent } from '../../shared/syslog.js';
import type { DhcpEvent, DhcpSettings } from '../../shared/dhcp.js';
import type { SessionEvent } from '../../shared/events.js';
import { APP_DEFAULTS, type EngineSettings } from '../../shared/settings.js';
import { createAppController, type AppController } from '../app/controller.js';
import { dhcpPortsFromEnv } from '../app/dhcp-ports.js';
import { createMemorySettingsStore } from '../app/settings-store.js';
import { createMemorySyslogSettingsStore } from '../app/syslog-settings-store.js';
import type { TftpEngine } from '../tftp/index.js';
import { startUiServer } from '../web/ui-server.js';

export interface HeadlessUi {
  url: string;
  close(): Promise<void>;
}

/** The built renderer (vite build output). */
const STATIC_DIR = fileURLToPath(new URL('../../../dist', import.meta.url));

export async function startHeadlessUi(opts: {
  engine: TftpEngine;
  settings: EngineSettings;
  uiPort: number;
  /** `--syslog [PORT]`: the receiver starts with the UI (the controller owns it) */
  syslogPort?: number;
  /** prints what the receiver does, as `serve` does without --ui */
  onSyslog?: (event: SyslogEvent) => void;
  /** the lease file's folder */
  dataDir: string;
  /** --dhcp / --dhcp-proxy: started once the TFTP server is */
  dhcp?: DhcpSettings;
  /** the boot services' events, for the terminal */
  onDhcpEvent?: (event: DhcpEvent) => void;
  /** "Send to device" transfers started from the page: their start and end, for the terminal */
  onClientTransfer?: (event: SessionEvent) => void;
}): Promise<HeadlessUi> {
  const dhcpPorts = dhcpPortsFromEnv();
  const store = createMemorySettingsStore({
    ...APP_DEFAULTS,
    ...opts.settings,
    autoStart: true,
    ...(opts.dhcp ? { dhcp: opts.dhcp } : {}),
  });
  const controller = createAppController({
    dataDir: opts.dataDir,
    ...(dhcpPorts ? { dhcpPorts } : {}),
    ...(opts.onDhcpEvent ? { onDhcpEvent: opts.onDhcpEvent } : {}),
    settings: store,
    // One engine for the process: the controller reconfigures it rather than making another.
    createEngine: (s) => {
      opts.engine.updateSettings(s);
      return opts.engine;
    },
    platform: process.platform,
    syslogSettings: createMemorySyslogSettingsStore({
      enabled: opts.syslogPort !== undefined,
      ...(opts.syslogPort !== undefined ? { port: opts.syslogPort } : {}),
      // the TFTP allow-list, as `serve --syslog` without a UI uses it
      allowList: opts.settings.allow,
    }),
  });
  if (opts.onSyslog) forwardSyslog(controller, opts.onSyslog);
  if (opts.onClientTransfer) forwardClientTransfers(controller, opts.onClientTransfer);
  const server = await startUiServer({ controller, staticDir: STATIC_DIR, port: opts.uiPort });
  await controller.startServer();
  await controller.startSyslogIfEnabled();
  if (opts.dhcp && opts.dhcp.mode !== 'off') await controller.startDhcp();
  return {
    url: server.url,
    close: async () => {
      await server.close();
      await controller.dispose();
    },
  };
}

/** Transfers the page started: the engine never sees them, so the terminal hears them from the controller. */
export function forwardClientTransfers(
  controller: AppController,
  print: (event: SessionEvent) => void,
): void {
  const ours = new Set<string>();
  controller.on('events', (batch) => {
    for (const e of batch) {
      if (e.type === 'session-started' && e.role === 'client') {
        ours.add(e.id);
        print(e);
      } else if ((e.type === 'session-finished' || e.type === 'session-failed') && ours.delete(e.id)) {
        print(e);
      }
    }
  });
}

/** The controller's syslog pushes as the receiver's events, for the CLI's printer. */
function forwardSyslog(controller: AppController, print: (event: SyslogEvent) => void): void {
  const base = { service: 'syslog' as const, time: 0 };
  controller.on('syslog-state', (state) => print({ ...base, type: 'syslog-state', time: Date.now(), state }));
  controller.on('syslog-messages', (messages) =>
    print({ ...base, type: 'syslog-messages', time: Date.now(), messages }),
  );
  controller.on('syslog-dropped', print);
}
