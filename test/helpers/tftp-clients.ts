// The four real TFTP clients the interop suite runs (Debian packages curl, tftp-hpa, atftp,
// busybox), behind one interface: get/put a file, with the options each client can ask for.
// `ok` means the client says the transfer worked; tests still compare bytes themselves.
import { isIPv6 } from 'node:net';
import { isInstalled, runProcess, type ProcessResult } from './run-process.js';

export type ClientName = 'curl' | 'tftp-hpa' | 'atftp' | 'busybox';

export interface ClientTransfer {
  host: string;
  port: number;
  remote: string;
  local: string;
  mode?: 'octet' | 'netascii';
  blksize?: number;
  windowsize?: number;
  /** ask for tsize (get: 0, the server fills in the size; put: the local size must be given here) */
  tsize?: number;
  timeoutMs?: number;
}

export interface ClientResult extends ProcessResult {
  ok: boolean;
  /** the command line */
  command: string;
  /** command line, exit status and output, for assertion messages */
  summary: string;
}

export interface TftpClient {
  readonly name: ClientName;
  /** the executable that must be installed */
  readonly command: string;
  /** what the client can request; a test skips a client that cannot express its case */
  readonly can: { netascii: boolean; blksize: boolean; windowsize: boolean; tsize: boolean };
  get(t: ClientTransfer): Promise<ClientResult>;
  put(t: ClientTransfer): Promise<ClientResult>;
}

const DEFAULT_TIMEOUT_MS = 20_000;

async function run(command: string, args: string[], t: ClientTransfer, ok: (r: ProcessResult) => boolean) {
  const r = await runProcess(command, args, { timeoutMs: t.timeoutMs ?? DEFAULT_TIMEOUT_MS });
  const line = [command, ...args].join(' ');
  const status = r.timedOut
    ? `killed after ${r.durationMs} ms`
    : `exit ${r.code ?? r.signal} after ${r.durationMs} ms`;
  const summary = `${line}\n${status}\n${r.stdout}${r.stderr}`.trimEnd();
  return { ...r, ok: !r.timedOut && ok(r), command: line, summary };
}

const exitedZero = (r: ProcessResult) => r.code === 0;

function url(t: ClientTransfer): string {
  const host = isIPv6(t.host) ? `[${t.host}]` : t.host;
  return `tftp://${host}:${t.port}/${encodeURIComponent(t.remote)}`;
}

const curl: TftpClient = {
  name: 'curl',
  command: 'curl',
  // curl sends mode netascii on request (;mode=netascii) but converts nothing on Unix.
  can: { netascii: false, blksize: true, windowsize: false, tsize: false },
  get: (t) => run('curl', ['-sS', '-g', ...curlOptions(t), '-o', t.local, url(t)], t, exitedZero),
  put: (t) => run('curl', ['-sS', '-g', ...curlOptions(t), '-T', t.local, url(t)], t, exitedZero),
};

function curlOptions(t: ClientTransfer): string[] {
  return t.blksize !== undefined ? ['--tftp-blksize', String(t.blksize)] : [];
}

// tftp-hpa 5.2 exits 0 even when the transfer failed; it prints "Error code N: ..." or
// "Transfer timed out." on stdout instead.
const hpaOk = (r: ProcessResult) => r.code === 0 && !/error|timed out/i.test(r.stdout + r.stderr);

const tftpHpa: TftpClient = {
  name: 'tftp-hpa',
  command: 'tftp',
  can: { netascii: true, blksize: false, windowsize: false, tsize: false },
  get: (t) => run('tftp', hpaArgs(t, ['get', t.remote, t.local]), t, hpaOk),
  put: (t) => run('tftp', hpaArgs(t, ['put', t.local, t.remote]), t, hpaOk),
};

function hpaArgs(t: ClientTransfer, command: string[]): string[] {
  // -l: literal mode, so a ':' in a name is not read as host:file.
  const family = isIPv6(t.host) ? '-6' : '-4';
  return [family, '-l', '-m', t.mode ?? 'octet', t.host, String(t.port), '-c', ...command];
}

const atftp: TftpClient = {
  name: 'atftp',
  command: 'atftp',
  can: { netascii: true, blksize: true, windowsize: true, tsize: true },
  get: (t) =>
    run(
      'atftp',
      [...atftpOptions(t), '-g', '-r', t.remote, '-l', t.local, t.host, String(t.port)],
      t,
      exitedZero,
    ),
  put: (t) =>
    run(
      'atftp',
      [...atftpOptions(t), '-p', '-r', t.remote, '-l', t.local, t.host, String(t.port)],
      t,
      exitedZero,
    ),
};

function atftpOptions(t: ClientTransfer): string[] {
  const args: string[] = [];
  if (t.mode === 'netascii') args.push('--mode', 'netascii');
  if (t.blksize !== undefined) args.push('--option', `blksize ${t.blksize}`);
  if (t.windowsize !== undefined) args.push('--option', `windowsize ${t.windowsize}`);
  if (t.tsize !== undefined) args.push('--option', `tsize ${t.tsize}`);
  return args;
}

const busybox: TftpClient = {
  name: 'busybox',
  command: 'busybox',
  can: { netascii: false, blksize: true, windowsize: false, tsize: false },
  get: (t) =>
    run(
      'busybox',
      ['tftp', ...busyboxOptions(t), '-g', '-r', t.remote, '-l', t.local, t.host, String(t.port)],
      t,
      exitedZero,
    ),
  put: (t) =>
    run(
      'busybox',
      ['tftp', ...busyboxOptions(t), '-p', '-r', t.remote, '-l', t.local, t.host, String(t.port)],
      t,
      exitedZero,
    ),
};

function busyboxOptions(t: ClientTransfer): string[] {
  return t.blksize !== undefined ? ['-b', String(t.blksize)] : [];
}

export const CLIENTS: Readonly<Record<ClientName, TftpClient>> = {
  curl,
  'tftp-hpa': tftpHpa,
  atftp,
  busybox,
};

/**
 * The clients whose cases run on this OS. Linux CI installs all four (a missing one fails its cases
 * loudly); elsewhere only curl, which ships with macOS and Windows. The others are Debian's builds:
 * a `tftp` found on macOS or Windows is that system's own client, with other flags, so it never counts.
 */
export const REQUIRED_CLIENTS: readonly TftpClient[] =
  process.platform === 'linux' ? Object.values(CLIENTS) : [curl];

export function clientInstalled(client: TftpClient): boolean {
  return isInstalled(client.command);
}

/** Whether a client's cases run here (on Linux every client's do; elsewhere curl's). */
export function clientRunsHere(client: TftpClient): boolean {
  return REQUIRED_CLIENTS.includes(client);
}

/** Every client whose cases run on this machine. */
export const ALL_CLIENTS: readonly TftpClient[] = REQUIRED_CLIENTS;

/** The clients able to run a case (`c => c.can.netascii`); missing executables make the run fail. */
export function clientsThat(filter: (c: TftpClient) => boolean): TftpClient[] {
  return ALL_CLIENTS.filter(filter);
}
