// Desktop notifications for finished and failed transfers. Batches can hold hundreds of ends
// (a PXE rack booting): more than a few become one summary instead of a notification storm.
import type { EngineEvent, SessionStartedEvent } from '../../shared/events.js';
import { TFTP_ERROR_NAMES } from '../../shared/tftp-types.js';

export interface Notice {
  title: string;
  body: string;
}

export const MAX_NOTICES_PER_BATCH = 3;
/** started events kept to name the file when its end arrives; bounded like the engine's sessions */
const MAX_TRACKED = 10_000;

function human(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = bytes / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

/** Control characters (and bidi overrides) have no place in a notification. */
function clean(text: string, max = 120): string {
  let plain = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    const unsafe =
      c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    plain += unsafe ? '?' : ch;
  }
  return plain.length > max ? plain.slice(0, max - 1) + '…' : plain;
}

/** What ended: the server's download or upload, or a transfer we started ("Send to device"). */
function kind(s: SessionStartedEvent | undefined): string {
  if (s?.role === 'client') return s.direction === 'download' ? 'Send to device' : 'Fetch from device';
  return s?.direction === 'upload' ? 'Upload' : 'Download';
}

export interface TransferNotifier {
  notices(batch: readonly EngineEvent[]): Notice[];
}

export function createTransferNotifier(): TransferNotifier {
  const started = new Map<string, SessionStartedEvent>();
  return {
    notices(batch) {
      const out: Notice[] = [];
      for (const e of batch) {
        if (e.type === 'session-started') {
          if (started.size >= MAX_TRACKED) started.delete(started.keys().next().value as string);
          started.set(e.id, e);
          continue;
        }
        if (e.type !== 'session-finished' && e.type !== 'session-failed') continue;
        const s = started.get(e.id);
        started.delete(e.id);
        const file = clean(s?.file ?? 'a file');
        const peer = s ? ` ${s.direction === 'upload' ? 'from' : 'to'} ${clean(s.peer, 60)}` : '';
        if (e.type === 'session-finished') {
          out.push({
            title: `${kind(s)} finished`,
            body: `${file}${peer}: ${human(e.stats.bytes)}`,
          });
        } else {
          out.push({
            title: `${kind(s)} failed`,
            body: `${file}${peer}: ${clean(e.message || TFTP_ERROR_NAMES[e.code])}`,
          });
        }
      }
      if (out.length <= MAX_NOTICES_PER_BATCH) return out;
      const failed = out.filter((n) => n.title.endsWith('failed')).length;
      return [
        {
          title: 'Transfers ended',
          body: `${out.length - failed} finished, ${failed} failed.`,
        },
      ];
    },
  };
}
