// Words for a session's state and a finished transfer's result.
import type { SessionStartedEvent } from '../../shared/events';
import type { HistoryEntry } from '../../shared/ipc-contract';
import { TFTP_ERROR_NAMES } from '../../shared/tftp-types';
import type { SessionView } from '../store/sessions-store';

export function sessionStateText(s: SessionView): string {
  if (s.retrying) return 'Retrying';
  // a device in recovery may take a while to answer: "Negotiating" would suggest it already did
  if (s.bytes === 0) return s.started.role === 'client' ? 'Contacting' : 'Negotiating';
  return s.started.direction === 'download' ? 'Sending' : 'Receiving';
}

type Which = Pick<SessionStartedEvent, 'direction' | 'role'>;

/** Which way a transfer went and who asked for it: the server's downloads and uploads, or ours. */
export function directionText({ direction, role }: Which): string {
  if (role === 'client') return direction === 'download' ? 'Sent to device' : 'Fetched from device';
  return direction === 'download' ? 'Download (served)' : 'Upload (received)';
}

/** The short tag a row shows for a transfer we started ourselves; undefined for the server's. */
export function clientTag({ direction, role }: Which): string | undefined {
  if (role !== 'client') return undefined;
  return direction === 'download' ? 'to device' : 'from device';
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
  // our own transfer's message is already a sentence naming the device's error (client-host.ts)
  if (entry.started.role === 'client') return end.message;
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

/** Why a finished download shows no SHA-256 (file-digests.ts: the bytes sent match no one hash). */
export const FILE_CHANGED_TITLE =
  'The file was modified while it was being sent: the client may hold a mix of old and new bytes, so no hash is shown.';

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
