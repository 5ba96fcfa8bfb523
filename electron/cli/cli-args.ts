// `tftp-desk serve` flags -> engine settings. Pure: tested without starting anything.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { ENGINE_DEFAULTS, validateSettings, type EngineSettings } from '../../shared/settings.js';
import type { UploadPolicy } from '../../shared/tftp-types.js';

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
  --threads N              extra threads for downloads, 0-8 (default: one per spare core, at
                           most 3, one core fewer with --ui); 0 runs everything on one thread
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

export function parseCommand(argv: readonly string[], cwd = process.cwd()): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
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
        json: { type: 'boolean' },
        verbose: { type: 'boolean' },
        ui: { type: 'boolean' },
        'ui-port': { type: 'string' },
        threads: { type: 'string' },
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
      message: `Unknown command "${positionals.join(' ')}". The command is: tftp-desk serve --root DIR`,
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
  };
  const errors = Object.values(validateSettings(settings));
  if (errors.length > 0) return { kind: 'error', message: errors.join('\n') };
  if (num.uiPort > 65535) return { kind: 'error', message: '--ui-port must be from 1 to 65535.' };
  if (num.threads > 8) return { kind: 'error', message: '--threads must be from 0 to 8.' };
  return {
    kind: 'serve',
    options: {
      settings,
      json: v.json ?? false,
      verbose: v.verbose ?? false,
      ui: v.ui ?? false,
      uiPort: num.uiPort,
      downloadThreads: num.threads < 0 ? undefined : num.threads,
    },
  };
}
