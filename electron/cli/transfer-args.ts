// `tftp-desk put|get` flags -> a client transfer. Pure: tested without sending anything.
import { parseArgs } from 'node:util';
import { statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { isIPv6 } from 'node:net';
import type { ClientTransferOptions } from '../tftp/index.js';

export const TRANSFER_USAGE = `Usage: tftp-desk put HOST[:PORT] FILE [--remote NAME] [options]
       tftp-desk get HOST[:PORT] NAME [-o FILE] [options]

Sends FILE to a TFTP server (put), or fetches NAME from one (get). HOST is a name or an
address; an IPv6 address with a port goes in brackets: [fe80::1%eth0]:69. PORT defaults to 69.

Options:
  --remote NAME            put: the name on the server (default: FILE's own name)
  -o, --output FILE        get: where to save (default: NAME's own name, here); a folder keeps
                           the name; written to a temporary file first, so a failed transfer
                           leaves no partial file and an existing one untouched
  --blksize N              block size to ask for, 8-65464 (default 1468)
  --windowsize N           blocks per acknowledgement, RFC 7440 (default 1)
  --mode MODE              octet (default) | netascii (text, line ends converted)
  --timeout SECONDS        resend after this long without an answer, 1-255 (default 3); also
                           asked of the server as the timeout option
  --retries N              resends before giving up (default 5): a transfer ends after
                           (N + 1) x the timeout without a word from the server
  --wait SECONDS           keep asking quietly for up to SECONDS until the server answers, then
                           start at once: for a device that is still booting into recovery
  --no-options             a plain RFC 1350 request: for servers that choke on options
  --json                   print the result (or the error) as one JSON object

Exit status:
  0  the transfer completed
  1  an unexpected internal error
  2  usage error (a flag or a value is wrong)
  3  no answer from the server
  4  the server refused the request or stopped the transfer (its message is shown)
  5  local file error (missing, not readable or writable, a folder, disk full)
  6  the transfer failed (the server went silent, broke the protocol, or the network failed)
  130 cancelled (Ctrl-C)
`;

export interface TransferCommand {
  direction: 'get' | 'put';
  options: Omit<ClientTransferOptions, 'signal' | 'onProgress'>;
  json: boolean;
}

export type ParsedTransfer =
  { kind: 'transfer'; command: TransferCommand } | { kind: 'help' } | { kind: 'error'; message: string };

/** HOST, HOST:PORT, [IPV6], [IPV6]:PORT, or a bare IPv6 address (no port). */
export function parseHostPort(text: string): { host: string; port?: number } | string {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(text);
  const plain = /^([^:[\]]+)(?::(\d{1,5}))?$/.exec(text);
  let host: string | undefined;
  let port: string | undefined;
  if (bracketed) [, host, port] = bracketed;
  else if (plain) [, host, port] = plain;
  else if (isIPv6(text.split('%')[0] ?? '')) host = text;
  if (host === undefined || host.length === 0) return `"${text}" is not HOST, HOST:PORT or [IPv6]:PORT`;
  if (bracketed && !isIPv6(host.split('%')[0] ?? '')) return `"${host}" in brackets is not an IPv6 address`;
  if (port === undefined) return { host };
  const n = Number(port);
  if (n < 1 || n > 65535) return `the port must be from 1 to 65535, not ${port}`;
  return { host, port: n };
}

function int(name: string, v: string | undefined): number | undefined | string {
  if (v === undefined) return undefined;
  if (!/^\d{1,9}$/.test(v)) return `--${name} must be a whole number, not "${v}".`;
  return Number(v);
}

/** The last part of a remote name, which may use / or \ (a Windows server's path). */
function remoteBasename(name: string): string {
  return (
    name
      .split(/[\\/]/)
      .filter((p) => p.length > 0)
      .pop() ?? ''
  );
}

export function parseTransferCommand(argv: readonly string[], cwd = process.cwd()): ParsedTransfer {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        remote: { type: 'string' },
        output: { type: 'string', short: 'o' },
        blksize: { type: 'string' },
        windowsize: { type: 'string' },
        mode: { type: 'string' },
        timeout: { type: 'string' },
        retries: { type: 'string' },
        wait: { type: 'string' },
        'no-options': { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    return { kind: 'error', message: (err as Error).message.replace(/^TypeError \[\w+\]: /, '') };
  }
  const { values: v, positionals } = parsed;
  if (v.help) return { kind: 'help' };
  const [direction, target, name, ...extra] = positionals;
  if (direction !== 'put' && direction !== 'get')
    return { kind: 'error', message: 'The command is put or get.' };
  const what = direction === 'put' ? 'FILE' : 'NAME';
  if (target === undefined || name === undefined)
    return { kind: 'error', message: `Usage: tftp-desk ${direction} HOST[:PORT] ${what}` };
  if (extra.length > 0) return { kind: 'error', message: `Unexpected argument "${extra[0]}".` };
  if (direction === 'put' && v.output !== undefined)
    return { kind: 'error', message: '-o is for get; put takes --remote.' };
  if (direction === 'get' && v.remote !== undefined)
    return { kind: 'error', message: '--remote is for put; get takes -o.' };
  const where = parseHostPort(target);
  if (typeof where === 'string') return { kind: 'error', message: `${where}.` };
  const numbers = {
    blksize: int('blksize', v.blksize),
    windowsize: int('windowsize', v.windowsize),
    timeout: int('timeout', v.timeout),
    retries: int('retries', v.retries),
    wait: int('wait', v.wait),
  };
  for (const n of Object.values(numbers)) if (typeof n === 'string') return { kind: 'error', message: n };
  const num = numbers as Record<keyof typeof numbers, number | undefined>;
  if (v.mode !== undefined && v.mode !== 'octet' && v.mode !== 'netascii')
    return { kind: 'error', message: `--mode must be octet or netascii, not "${v.mode}".` };

  let remoteName: string;
  let localPath: string;
  if (direction === 'put') {
    localPath = resolve(cwd, name);
    remoteName = v.remote ?? basename(name);
  } else {
    remoteName = name;
    const own = remoteBasename(name);
    if (v.output === undefined) {
      if (own.length === 0 || own === '.' || own === '..')
        return { kind: 'error', message: `Cannot save "${name}" under its own name: give -o FILE.` };
      localPath = resolve(cwd, own);
    } else {
      localPath = resolve(cwd, v.output);
      const isFolder = statSync(localPath, { throwIfNoEntry: false })?.isDirectory() ?? false;
      if (isFolder) localPath = join(localPath, own);
    }
  }
  return {
    kind: 'transfer',
    command: {
      direction,
      json: v.json ?? false,
      options: {
        host: where.host,
        port: where.port,
        remoteName,
        localPath,
        blksize: num.blksize,
        windowsize: num.windowsize,
        mode: v.mode as 'octet' | 'netascii' | undefined,
        timeoutSeconds: num.timeout,
        retries: num.retries,
        waitSeconds: num.wait,
        noOptions: v['no-options'] ?? false,
      },
    },
  };
}
