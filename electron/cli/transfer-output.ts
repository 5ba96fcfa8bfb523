// How `tftp-desk put|get` reports: a progress line on a terminal (stderr, redrawn in place), one
// summary line on success, one error line with a hint on failure, or one JSON object (--json). The
// server's error message is untrusted bytes and is escaped before it reaches a terminal.
import type { ClientProgress, ClientTransferResult, TftpClientErrorCode } from '../../shared/tftp-client.js';
import { TFTP_ERROR_NAMES, type TftpErrorCode } from '../../shared/tftp-types.js';
import type { TftpClientError } from '../tftp/index.js';
import { formatBytes, printable } from './cli-output.js';

export const EXIT = {
  ok: 0,
  internal: 1,
  usage: 2,
  noAnswer: 3,
  refused: 4,
  localFile: 5,
  failed: 6,
  cancelled: 130,
} as const;

export function exitCodeFor(code: TftpClientErrorCode): number {
  switch (code) {
    case 'INVALID_ARGUMENT':
      return EXIT.usage;
    case 'NO_ANSWER':
      return EXIT.noAnswer;
    case 'REFUSED':
    case 'SERVER_ERROR':
      return EXIT.refused;
    case 'LOCAL_NOT_FOUND':
    case 'LOCAL_PERMISSION':
    case 'LOCAL_FILE':
      return EXIT.localFile;
    case 'ABORTED':
      return EXIT.cancelled;
    case 'TIMEOUT':
    case 'PROTOCOL':
    case 'NETWORK':
      return EXIT.failed;
  }
}

const HINTS: Partial<Record<TftpClientErrorCode, string>> = {
  NO_ANSWER:
    'Is the device on this network and its TFTP server running? A device booting into recovery mode answers only after a while: --wait 60 keeps asking.',
  TIMEOUT:
    'The server went silent mid-transfer. Try again; --blksize 512 helps on links that drop large packets.',
  PROTOCOL: 'Try --no-options: some devices mishandle option negotiation.',
};

export function hostPortText(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function formatSummary(r: ClientTransferResult): string {
  const seconds = r.durationMs / 1000;
  const rate = seconds > 0 ? `${formatBytes(Math.round(r.bytes / seconds))}/s` : 'instant';
  const where = hostPortText(r.host, r.port);
  const route =
    r.direction === 'put'
      ? `${printable(r.localPath)} -> ${where} ${printable(r.remoteName)}`
      : `${where} ${printable(r.remoteName)} -> ${printable(r.localPath)}`;
  const o = r.options;
  const opts = `${r.mode}, blksize ${o.blksize}, window ${o.windowsize}${o.acknowledged ? '' : ', options ignored'}`;
  return `${r.direction} ${route}: ${formatBytes(r.bytes)} in ${seconds.toFixed(2)} s (${rate}, ${opts}, ${r.retransmits} resent) sha256 ${r.sha256}`;
}

export function formatError(direction: 'get' | 'put', err: TftpClientError): string {
  let line = `tftp-desk: ${direction} failed: ${printable(err.message)}`;
  if (err.server) {
    const name = TFTP_ERROR_NAMES[err.server.code as TftpErrorCode] ?? 'unknown code';
    const message = err.server.message.length > 0 ? ` "${printable(err.server.message)}"` : '';
    line += `: ERROR ${err.server.code} (${name})${message}`;
  }
  const hint = HINTS[err.code];
  return hint ? `${line}\n  ${hint}` : line;
}

export function errorJson(direction: 'get' | 'put', err: TftpClientError): string {
  return JSON.stringify({
    ok: false,
    direction,
    exitCode: exitCodeFor(err.code),
    error: { code: err.code, message: err.message, ...(err.server ? { server: err.server } : {}) },
  });
}

export function resultJson(r: ClientTransferResult): string {
  return JSON.stringify({ ok: true, ...r, durationMs: Math.round(r.durationMs) });
}

/** The progress line's text: bytes, the share of the total when known, the rate. */
export function formatProgress(p: ClientProgress, elapsedMs: number): string {
  const rate = elapsedMs > 0 ? `${formatBytes(Math.round((p.bytes * 1000) / elapsedMs))}/s` : '';
  if (p.total !== undefined && p.total > 0) {
    const pct = Math.min(100, Math.floor((p.bytes * 100) / p.total));
    return `${String(pct).padStart(3)}%  ${formatBytes(p.bytes)} of ${formatBytes(p.total)}  ${rate}`;
  }
  return `${formatBytes(p.bytes)}  ${rate}`;
}
