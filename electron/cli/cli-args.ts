// `tftp-desk serve` flags -> engine settings. Pure: tested without starting anything.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { BUILT_IN_PROFILES, parseProfileRule, type ProfileRule } from '../../shared/device-profiles.js';
import { ENGINE_DEFAULTS, validateSettings, type EngineSettings } from '../../shared/settings.js';
import type { UploadPolicy } from '../../shared/tftp-types.js';
import type { DhcpFlags } from './dhcp-args.js';

export const USAGE = `Usage: tftp-desk serve --root DIR [options]

Serves the files in DIR over TFTP (RFC 1350, 2347-2349, 7440).

Options:
  --root DIR               folder to serve (required)
  --host ADDR[,ADDR...]    addresses to listen on (default: every local address, kept in step
                           with the interfaces)
  --port N                 UDP port (default 69; ports below 1024 need privileges, try 6969)
  --uploads POLICY         off (default) | create (refuse existing files) | overwrite
  --allow CIDR[,CIDR...]   only answer these addresses or ranges (default: everyone)
  --max-blksize N          largest block size granted (default 1468, up to 65464)
  --max-window N           largest window granted, RFC 7440 (default 64)
  --timeout S              retransmission timeout ceiling in seconds, 1-255 (default 3)
  --retries N              resends at the ceiling before giving up (default 5)
  --port-range A-B         transfer ports from this range (for firewalls)
  --max-sessions N         concurrent transfers in total (default 200)
  --max-per-client N       concurrent transfers per client address (default 32)
  --max-upload BYTES       largest accepted upload (default 4 GiB)
  --case-insensitive       match file names ignoring case (configs written on Windows)
  --map FILE               name mapping rules, one a line (see the README): e NAME FILE answers
                           one name with a file, r REGEX REPLACEMENT rewrites names, in order
  --profile MATCH=PROFILE  a device profile for some clients, repeatable, first match wins; MATCH
                           is an address, a range (10.0.0.0/24, 10.0.0.10-10.0.0.20) or
                           client:KIND (u-boot, ipxe, pxelinux, grub, cisco, ...), e.g.
                           --profile 10.0.0.0/24=old-u-boot --profile client:u-boot=old-u-boot
                           Profiles: ${BUILT_IN_PROFILES.map((p) => p.id).join(', ')}
  --threads N              extra threads for downloads, 0-8 (default: one per spare core, at
                           most 3, one core fewer with --ui); 0 runs everything on one thread

Boot services (off unless asked for; see the README's safety rules):
  --dhcp A.B.C.D-A.B.C.E   hand out these addresses (DHCP and BOOTP) on the interface whose subnet
                           holds them; first listens 3 s for another DHCP server and refuses to
                           start if one answers
  --dhcp-proxy             proxyDHCP instead: boot files for PXE clients, no addresses, beside the
                           network's own DHCP server
  --dhcp-interface ADDR    the interface (by its IPv4 address) when the range or --host do not say
  --boot-file NAME         boot file for BIOS and other clients ($MAC$, $IP$, $ARCH$ are replaced)
  --boot-file-uefi NAME    boot file for x64 UEFI clients (option 93 = 7 or 9)
  --boot-file-ipxe NAME    boot file for clients already running iPXE (an iPXE script)
  --dhcp-option CODE=VAL   extra option, repeatable: 3=ip:10.0.0.1, 6=ip:1.1.1.1,8.8.8.8,
                           43=hex:0104c0a80001, 26=u16:1500, 15=text:lab
  --dhcp-reserve MAC=IP    fixed address for a device, repeatable
  --dhcp-allow-mac LIST    answer only these MAC addresses (comma-separated)
  --dhcp-force             start although another DHCP server answers (dangerous on a shared network)
  --dhcp-stop-after MIN    stop handing out addresses after MIN minutes
  --data-dir DIR           where the DHCP lease file lives (default: the desktop app's data folder)

Syslog:
  --syslog [PORT]          receive syslog messages on PORT (default 514) and print them

Output:
  --json                   print events as NDJSON instead of human lines
  --verbose                also print info and debug log lines
  --ui                     also serve the app's UI to a browser on 127.0.0.1
  --ui-port N              port for --ui (default: a free port)
  -h, --help               show this help
`;

export interface ServeOptions {
  settings: EngineSettings;
  json: boolean;
  verbose: boolean;
  ui: boolean;
  uiPort: number;
  /** undefined: the engine's default */
  downloadThreads: number | undefined;
  /** the DHCP flags as given; the interface is chosen when the server starts */
  dhcp: DhcpFlags;
  /** undefined: no syslog receiver */
  syslogPort: number | undefined;
  /** undefined: the desktop app's data folder */
  dataDir: string | undefined;
  /** --map: the name mapping rule file, read (and refused when bad) before anything listens */
  mapFile: string | undefined;
}

export type ParsedCommand =
  | { kind: 'serve'; options: ServeOptions }
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'error'; message: string };

const list = (v: string | undefined): string[] =>
  v === undefined
    ? []
    : v
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x.length > 0);

function int(name: string, v: string | undefined, fallback: number): number | string {
  if (v === undefined) return fallback;
  if (!/^\d{1,16}$/.test(v)) return `--${name} must be a whole number, not "${v}".`;
  return Number(v);
}

/** Default syslog port (RFC 5426 section 3.3). */
const SYSLOG_PORT = 514;

/**
 * `--syslog` takes an optional port, which parseArgs cannot express: a bare `--syslog` becomes
 * `--syslog=514`, and `--syslog N` (N a number) `--syslog=N`.
 */
function withSyslogPort(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a !== '--syslog') {
      out.push(a);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && /^\d+$/.test(next)) {
      out.push(`--syslog=${next}`);
      i++;
    } else out.push(`--syslog=${SYSLOG_PORT}`);
  }
  return out;
}

export function parseCommand(argv: readonly string[], cwd = process.cwd()): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: withSyslogPort(argv),
      allowPositionals: true,
      strict: true,
      options: {
        root: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        uploads: { type: 'string' },
        allow: { type: 'string' },
        'max-blksize': { type: 'string' },
        'max-window': { type: 'string' },
        timeout: { type: 'string' },
        retries: { type: 'string' },
        'port-range': { type: 'string' },
        'max-sessions': { type: 'string' },
        'max-per-client': { type: 'string' },
        'max-upload': { type: 'string' },
        'case-insensitive': { type: 'boolean' },
        map: { type: 'string' },
        profile: { type: 'string', multiple: true },
        json: { type: 'boolean' },
        verbose: { type: 'boolean' },
        ui: { type: 'boolean' },
        'ui-port': { type: 'string' },
        threads: { type: 'string' },
        dhcp: { type: 'string' },
        'dhcp-proxy': { type: 'boolean' },
        'dhcp-interface': { type: 'string' },
        'boot-file': { type: 'string' },
        'boot-file-uefi': { type: 'string' },
        'boot-file-ipxe': { type: 'string' },
        'dhcp-option': { type: 'string', multiple: true },
        'dhcp-reserve': { type: 'string', multiple: true },
        'dhcp-allow-mac': { type: 'string' },
        'dhcp-force': { type: 'boolean' },
        'dhcp-stop-after': { type: 'string' },
        'data-dir': { type: 'string' },
        syslog: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    return { kind: 'error', message: (err as Error).message.replace(/^TypeError \[\w+\]: /, '') };
  }
  const { values: v, positionals } = parsed;
  if (v.version) return { kind: 'version' };
  if (v.help || positionals.length === 0) return { kind: 'help' };
  if (positionals[0] !== 'serve' || positionals.length > 1) {
    return {
      kind: 'error',
      message: `Unknown command "${positionals.join(' ')}". The commands are: tftp-desk serve --root DIR, tftp-desk put HOST FILE, tftp-desk get HOST NAME`,
    };
  }
  if (v.root === undefined) return { kind: 'error', message: 'Missing --root: the folder to serve.' };
  const numbers = {
    port: int('port', v.port, ENGINE_DEFAULTS.port),
    maxBlksize: int('max-blksize', v['max-blksize'], ENGINE_DEFAULTS.maxBlksize),
    maxWindowsize: int('max-window', v['max-window'], ENGINE_DEFAULTS.maxWindowsize),
    timeout: int('timeout', v.timeout, ENGINE_DEFAULTS.timeout),
    retries: int('retries', v.retries, ENGINE_DEFAULTS.retries),
    maxSessions: int('max-sessions', v['max-sessions'], ENGINE_DEFAULTS.maxSessions),
    maxSessionsPerClient: int('max-per-client', v['max-per-client'], ENGINE_DEFAULTS.maxSessionsPerClient),
    maxUploadBytes: int('max-upload', v['max-upload'], ENGINE_DEFAULTS.maxUploadBytes),
    uiPort: int('ui-port', v['ui-port'], 0),
    threads: int('threads', v.threads, -1),
    syslog: int('syslog', v.syslog, -1),
  };
  for (const n of Object.values(numbers)) if (typeof n === 'string') return { kind: 'error', message: n };
  const num = numbers as Record<keyof typeof numbers, number>;
  let portRange: EngineSettings['portRange'];
  if (v['port-range'] !== undefined) {
    const m = /^(\d{1,5})-(\d{1,5})$/.exec(v['port-range']);
    if (!m)
      return { kind: 'error', message: `--port-range must look like 50000-50100, not "${v['port-range']}".` };
    portRange = { from: Number(m[1]), to: Number(m[2]) };
  }
  const profiles: ProfileRule[] = [];
  for (const text of v.profile ?? []) {
    const rule = parseProfileRule(text);
    if ('error' in rule) return { kind: 'error', message: `--profile: ${rule.error}` };
    profiles.push(rule);
  }
  const uploads = (v.uploads ?? ENGINE_DEFAULTS.uploads) as UploadPolicy;
  const settings: EngineSettings = {
    ...ENGINE_DEFAULTS,
    root: resolve(cwd, v.root),
    hosts: list(v.host),
    port: num.port,
    uploads,
    allow: list(v.allow),
    maxBlksize: num.maxBlksize,
    maxWindowsize: num.maxWindowsize,
    timeout: num.timeout,
    retries: num.retries,
    portRange,
    maxSessions: num.maxSessions,
    maxSessionsPerClient: num.maxSessionsPerClient,
    maxUploadBytes: num.maxUploadBytes,
    caseInsensitive: v['case-insensitive'] ?? false,
    profiles,
  };
  const errors = Object.values(validateSettings(settings));
  if (errors.length > 0) return { kind: 'error', message: errors.join('\n') };
  if (num.uiPort > 65535) return { kind: 'error', message: '--ui-port must be from 1 to 65535.' };
  if (num.threads > 8) return { kind: 'error', message: '--threads must be from 0 to 8.' };
  if (v.syslog !== undefined && (num.syslog < 1 || num.syslog > 65535))
    return { kind: 'error', message: '--syslog PORT must be from 1 to 65535.' };
  const dhcp: DhcpFlags = {
    range: v.dhcp,
    proxy: v['dhcp-proxy'],
    interfaceAddress: v['dhcp-interface'],
    bootFile: v['boot-file'],
    bootFileUefi: v['boot-file-uefi'],
    bootFileIpxe: v['boot-file-ipxe'],
    options: v['dhcp-option'],
    reserve: v['dhcp-reserve'],
    allowMac: v['dhcp-allow-mac'],
    force: v['dhcp-force'],
    stopAfter: v['dhcp-stop-after'],
  };
  return {
    kind: 'serve',
    options: {
      settings,
      json: v.json ?? false,
      verbose: v.verbose ?? false,
      ui: v.ui ?? false,
      uiPort: num.uiPort,
      downloadThreads: num.threads < 0 ? undefined : num.threads,
      dhcp,
      syslogPort: v.syslog === undefined ? undefined : num.syslog,
      dataDir: v['data-dir'] === undefined ? undefined : resolve(cwd, v['data-dir']),
      mapFile: v.map === undefined ? undefined : resolve(cwd, v.map),
    },
  };
}
