// Words for a session's state and a finished transfer's result.
import type { HistoryEntry } from '../../shared/ipc-contract';
import { TFTP_ERROR_NAMES } from '../../shared/tftp-types';
import type { SessionView } from '../store/sessions-store';

export function sessionStateText(s: SessionView): string {
  if (s.retrying) return 'Retrying';
  if (s.bytes === 0) return 'Negotiating';
  return s.started.direction === 'download' ? 'Sending' : 'Receiving';
}

export function directionText(direction: 'download' | 'upload'): string {
  return direction === 'download' ? 'Download' : 'Upload';
}

const BY: Readonly<Record<'server' | 'client' | 'timeout', string>> = {
  server: 'refused by the server',
  client: 'aborted by the client',
  timeout: 'timed out',
};

/** "File not found (error 1, refused by the server): no such file" */
export function failureReason(entry: HistoryEntry): string | undefined {
  const end = entry.end;
  if (end.type !== 'session-failed') return undefined;
  const name = TFTP_ERROR_NAMES[end.code] ?? 'Error';
  const detail =
    end.message !== '' && end.message.toLowerCase() !== name.toLowerCase() ? `: ${end.message}` : '';
  return `${name} (error ${end.code}, ${BY[end.by]})${detail}`;
}

export interface HistoryNumbers {
  ok: boolean;
  bytes: number;
  durationMs: number;
  averageRate: number;
  /** the hash of what was sent; '' when not known */
  sha256?: string;
  /** the file changed while it was sent: there is no hash to show, and that is what to say */
  fileChanged?: boolean;
}

export function historyNumbers(entry: HistoryEntry): HistoryNumbers {
  const end = entry.end;
  if (end.type === 'session-finished') {
    return {
      ok: true,
      bytes: end.stats.bytes,
      durationMs: end.stats.durationMs,
      averageRate: end.stats.averageRate,
      sha256: end.stats.sha256,
      fileChanged: end.stats.fileChanged === true,
    };
  }
  const rate = end.durationMs > 0 ? (end.bytes / end.durationMs) * 1000 : 0;
  return { ok: false, bytes: end.bytes, durationMs: end.durationMs, averageRate: rate };
}
