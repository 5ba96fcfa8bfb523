// `tftp-desk serve`: the TFTP engine headless, with the boot services (DHCP, proxyDHCP) and the
// syslog receiver when asked for. Prints `listening on ADDR:PORT` once ready, a line per transfer
// start and end, per DHCP decision and per syslog message (or NDJSON events with --json), and stops
// cleanly on SIGINT/SIGTERM: transfers aborted with ERROR 0, upload temporary files removed, ports
// released, leases already on disk.
import { networkInterfaces } from 'node:os';
import type { DhcpEvent, DhcpSettings } from '../../shared/dhcp.js';
import type { EngineEvent, SessionEvent } from '../../shared/events.js';
import type { SyslogEvent } from '../../shared/syslog.js';
import { prefixOf } from '../app/interfaces.js';
import { createDhcpService, type DhcpService } from '../dhcp/index.js';
import { createSyslogReceiver, type SyslogReceiver } from '../syslog/index.js';
import { AllowList, createTftpEngine, type TftpEngine } from '../tftp/index.js';
import type { ServeOptions } from './cli-args.js';
import { HumanPrinter } from './cli-output.js';
import { defaultDataDir } from './data-dir.js';
import { readNameMapFile } from './map-file.js';
import { resolveDhcpFlags, withLogServer, type LocalIpv4 } from './dhcp-args.js';
import { printDhcpEvent, printSyslogEvent } from './service-output.js';

export interface Console {
  out(line: string): void;
  err(line: string): void;
}

function localIpv4(): LocalIpv4[] {
  return Object.entries(networkInterfaces()).flatMap(([name, infos]) =>
    (infos ?? [])
      .filter((i) => i.family === 'IPv4')
      .map((i) => ({ name, address: i.address, prefixLength: prefixOf(i), internal: i.internal })),
  );
}

/** The DHCP settings for the flags, or a message; checks that TFTP is reachable where DHCP points. */
function dhcpSettingsFor(opts: ServeOptions, say: Console): DhcpSettings | string {
  const resolved = resolveDhcpFlags(opts.dhcp, localIpv4(), opts.settings.hosts);
  if (!resolved.ok) return resolved.message;
  const logged = withLogServer(resolved.settings, opts.syslogPort);
  if (logged.warning !== undefined) say.err(logged.warning);
  const s = logged.settings;
  if (s.mode === 'off') return s;
  const hosts = opts.settings.hosts;
  if (hosts.length > 0 && !hosts.includes(s.interfaceAddress) && !hosts.includes('0.0.0.0'))
    return `DHCP sends devices to ${s.interfaceAddress} for their boot file, but TFTP listens only on ${hosts.join(', ')}: add ${s.interfaceAddress} to --host, or leave --host out.`;
  if (opts.settings.port !== 69)
    say.err(
      `warning: DHCP names this machine as the TFTP server, and devices ask it on port 69; TFTP listens on port ${opts.settings.port}.`,
    );
  return s;
}

/** Runs the server until a signal; resolves with the exit code. */
export async function serve(given: ServeOptions, say: Console): Promise<number> {
  // Last resort: a bug in one code path is reported and the server keeps serving the others.
  process.on('uncaughtException', (err) => say.err(`tftp-desk: internal error: ${err.message}`));
  process.on('unhandledRejection', (err) =>
    say.err(`tftp-desk: internal error: ${(err as Error)?.message ?? String(err)}`),
  );
  let opts = given;
  if (opts.mapFile !== undefined) {
    const map = await readNameMapFile(opts.mapFile);
    if (!map.ok) {
      say.err(`tftp-desk: ${map.message}`);
      return 2;
    }
    opts = { ...opts, settings: { ...opts.settings, nameMap: map.rules } };
  }
  const dhcpSettings = dhcpSettingsFor(opts, say);
  if (typeof dhcpSettings === 'string') {
    say.err(`tftp-desk: ${dhcpSettings}`);
    return 2;
  }

  const emitJson = (e: object) => say.out(JSON.stringify(e));
  const engine = createTftpEngine(
    opts.settings,
    opts.downloadThreads === undefined ? { withUi: opts.ui } : { downloadThreads: opts.downloadThreads },
  );
  const printer = new HumanPrinter(say.out, say.err, opts.verbose);
  engine.onEvent(
    opts.json
      ? (e: EngineEvent) => {
          if (e.type !== 'log' || e.level !== 'debug' || opts.verbose) emitJson(e);
        }
      : (e: EngineEvent) => printer.print(e),
  );

  let ui: { url: string; close(): Promise<void> } | undefined;
  if (opts.ui) {
    // The app controller starts the engine, as the desktop app does.
    try {
      const printSyslog = (e: SyslogEvent) =>
        opts.json ? emitJson(e) : printSyslogEvent(e, say.out, say.err);
      const printDhcp = (e: DhcpEvent) => (opts.json ? emitJson(e) : printDhcpEvent(e, say.out, say.err));
      ui = await startBrowserUi(engine, opts, {
        dhcp: dhcpSettings,
        onDhcpEvent: printDhcp,
        onSyslog: printSyslog,
        onClientTransfer: (e) => (opts.json ? emitJson(e) : printer.print(e)),
      });
    } catch (err) {
      say.err(`tftp-desk: could not start the browser UI: ${(err as Error).message}`);
      await engine.stop();
      return 1;
    }
  } else {
    await engine.start();
  }
  // Without a UI a failed start ends the process. With one, the error (printed above) stays on
  // the page, where the user can pick another port or folder and start again.
  if (!ui && engine.state.state === 'error') return 1;

  // with --ui the controller runs the boot services (the page shows and stops them)
  const services = await startServices(opts, ui ? undefined : dhcpSettings, say, emitJson);
  const stopAll = async () => {
    await services.dhcp?.stop();
    await services.syslog?.stop();
    await ui?.close();
    await engine.stop();
  };
  if (!services.ok && !ui) {
    await stopAll();
    return 1;
  }
  if (ui) say.out(`UI: ${ui.url}`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      if (!opts.json)
        say.err(
          `${signal}: stopping (aborting ${engine.activeSessions} transfer${engine.activeSessions === 1 ? '' : 's'})`,
        );
      void stopAll().then(() => resolve(0));
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

interface Services {
  ok: boolean;
  dhcp?: DhcpService;
  syslog?: SyslogReceiver;
}

/** The syslog receiver, then DHCP (last: it hands out the address of a server that is ready). */
async function startServices(
  opts: ServeOptions,
  dhcpSettings: DhcpSettings | undefined,
  say: Console,
  emitJson: (e: object) => void,
): Promise<Services> {
  const services: Services = { ok: true };
  // with --ui the app controller runs the receiver, so the page can stop and start it
  if (opts.syslogPort !== undefined && !opts.ui) {
    const allow = new AllowList(opts.settings.allow);
    const syslog = createSyslogReceiver({
      host: '',
      port: opts.syslogPort,
      maxMessages: 1000,
      perSenderPerSecond: 200,
      isAllowed: (address) => allow.allows(address),
    });
    syslog.onEvent(opts.json ? emitJson : (e) => printSyslogEvent(e, say.out, say.err));
    services.syslog = syslog;
    if ((await syslog.start()).state === 'error') services.ok = false;
  }
  if (services.ok && dhcpSettings && dhcpSettings.mode !== 'off') {
    const dhcp = createDhcpService({ settings: dhcpSettings, dataDir: opts.dataDir ?? defaultDataDir() });
    dhcp.onEvent(opts.json ? emitJson : (e) => printDhcpEvent(e, say.out, say.err));
    services.dhcp = dhcp;
    if ((await dhcp.start()).status === 'error') services.ok = false;
  }
  return services;
}

/**
 * --ui: the same app controller the desktop app uses, bridged to a browser over a WebSocket.
 * Loaded on demand so the plain server starts without it.
 */
/** What the terminal prints while the browser UI's controller runs the services. */
interface UiServices {
  dhcp: DhcpSettings;
  onDhcpEvent: (e: DhcpEvent) => void;
  onSyslog: (e: SyslogEvent) => void;
  /** a "Send to device" transfer started from the page (the engine never sees those) */
  onClientTransfer: (e: SessionEvent) => void;
}

async function startBrowserUi(engine: TftpEngine, opts: ServeOptions, services: UiServices) {
  const { startHeadlessUi } = await import('./headless.js');
  return startHeadlessUi({
    engine,
    settings: opts.settings,
    uiPort: opts.uiPort,
    ...(opts.syslogPort !== undefined ? { syslogPort: opts.syslogPort } : {}),
    onSyslog: services.onSyslog,
    dataDir: opts.dataDir ?? defaultDataDir(),
    dhcp: services.dhcp,
    onDhcpEvent: services.onDhcpEvent,
    onClientTransfer: services.onClientTransfer,
  });
}
