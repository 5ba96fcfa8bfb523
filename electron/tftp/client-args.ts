// The client's arguments, checked before anything is opened or sent (INVALID_ARGUMENT), and the
// defaults: blksize 1468 (one Ethernet frame: far faster than 512 and granted by nearly every
// server; a server that ignores options still gets a plain transfer), tsize, no window.
import type { ClientProgress } from '../../shared/tftp-client.js';
import { RFC_LIMITS, type TransferMode } from '../../shared/tftp-types.js';
import { TftpClientError } from './client-errors.js';

export interface ClientTransferOptions {
  /** host name or address (IPv6 without brackets) */
  host: string;
  /** default 69 */
  port?: number;
  /** the file's name on the server */
  remoteName: string;
  /** the local file: read by a put, written by a get */
  localPath: string;
  blksize?: number;
  windowsize?: number;
  mode?: TransferMode;
  /** seconds (1-255): the resend timer's ceiling, and the timeout option when given */
  timeoutSeconds?: number;
  /** resends before giving up; a transfer ends after (retries + 1) timeouts of silence */
  retries?: number;
  /** keep asking quietly this long for the server to appear (a device booting into recovery) */
  waitSeconds?: number;
  /** a plain RFC 1350 request: no options at all */
  noOptions?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: ClientProgress) => void;
}

export const CLIENT_DEFAULTS = {
  port: 69,
  blksize: 1468,
  windowsize: 1,
  mode: 'octet' as TransferMode,
  timeoutSeconds: 3,
  retries: 5,
  waitSeconds: 0,
};
export const MAX_RETRIES = 100;
export const MAX_WAIT_SECONDS = 3600;
/** RFC 1350 names are NUL-terminated; RFC 2347 wants the whole request within 512 bytes. */
export const MAX_REMOTE_NAME_BYTES = 400;

export interface CheckedOptions {
  port: number;
  blksize: number;
  windowsize: number;
  mode: TransferMode;
  timeoutSeconds: number;
  /** whether the caller asked for a timeout (only then is the timeout option sent) */
  timeoutAsked: boolean;
  retries: number;
  waitMs: number;
  noOptions: boolean;
}

function check(name: string, value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max)
    throw new TftpClientError('INVALID_ARGUMENT', `${name} must be a whole number from ${min} to ${max}`);
  return value;
}

export function checkOptions(o: ClientTransferOptions): CheckedOptions {
  if (o.host.length === 0) throw new TftpClientError('INVALID_ARGUMENT', 'the host is missing');
  if (o.remoteName.length === 0)
    throw new TftpClientError('INVALID_ARGUMENT', 'the remote file name is empty');
  if (o.remoteName.includes('\0') || Buffer.byteLength(o.remoteName) > MAX_REMOTE_NAME_BYTES)
    throw new TftpClientError(
      'INVALID_ARGUMENT',
      `the remote file name must be at most ${MAX_REMOTE_NAME_BYTES} bytes, without NUL`,
    );
  if (o.localPath.length === 0) throw new TftpClientError('INVALID_ARGUMENT', 'the local file name is empty');
  const mode = o.mode ?? CLIENT_DEFAULTS.mode;
  if (mode !== 'octet' && mode !== 'netascii')
    throw new TftpClientError('INVALID_ARGUMENT', 'the mode must be octet or netascii');
  return {
    port: check('port', o.port, 1, 65535, CLIENT_DEFAULTS.port),
    blksize: check(
      'blksize',
      o.blksize,
      RFC_LIMITS.blksizeMin,
      RFC_LIMITS.blksizeMax,
      CLIENT_DEFAULTS.blksize,
    ),
    windowsize: check(
      'windowsize',
      o.windowsize,
      RFC_LIMITS.windowsizeMin,
      RFC_LIMITS.windowsizeMax,
      CLIENT_DEFAULTS.windowsize,
    ),
    mode,
    timeoutSeconds: check(
      'timeout',
      o.timeoutSeconds,
      RFC_LIMITS.timeoutMin,
      RFC_LIMITS.timeoutMax,
      CLIENT_DEFAULTS.timeoutSeconds,
    ),
    timeoutAsked: o.timeoutSeconds !== undefined,
    retries: check('retries', o.retries, 0, MAX_RETRIES, CLIENT_DEFAULTS.retries),
    waitMs: check('wait', o.waitSeconds, 0, MAX_WAIT_SECONDS, CLIENT_DEFAULTS.waitSeconds) * 1000,
    noOptions: o.noOptions ?? false,
  };
}
