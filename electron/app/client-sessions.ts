// A "Send to device" transfer as session events, so it goes through the same fold as the server's
// transfers: one live list and one history, with `role: 'client'` marking the ones we started.
// Pure (times are passed in): the host calls it at the start, on each progress report and at the end.
import type { ClientTransferRequest } from '../../shared/client-contract.js';
import {
  failedSessionEvent,
  type SessionFailedEvent,
  type SessionFinishedEvent,
  type SessionProgressEvent,
  type SessionStartedEvent,
} from '../../shared/events.js';
import type { ClientTransferResult, TftpClientErrorCode } from '../../shared/tftp-client.js';
import { TftpErrorCode } from '../../shared/tftp-types.js';

/** What the client engine uses when the request leaves an option out (RFC 1350 defaults). */
const DEFAULT_BLKSIZE = 512;
const DEFAULT_WINDOWSIZE = 1;
const DEFAULT_TIMEOUT = 1;

export interface ClientSessionEvents {
  readonly id: string;
  started(): SessionStartedEvent;
  progress(
    bytes: number,
    total: number | undefined,
    time: number,
    retransmits?: number,
  ): SessionProgressEvent;
  finished(result: ClientTransferResult, time: number): SessionFinishedEvent;
  /** `deviceCode` is the TFTP error the device sent, when it sent one */
  failed(
    code: TftpClientErrorCode | 'INTERNAL',
    message: string,
    deviceCode: number | undefined,
    time: number,
  ): SessionFailedEvent;
}

/** The device as a peer label, written like the server's peers: "192.0.2.7:69", "[2001:db8::7]:69". */
export function devicePeer(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Who ended a failed client transfer, in the words the history already has for it. */
function endedBy(code: TftpClientErrorCode | 'INTERNAL'): SessionFailedEvent['by'] {
  switch (code) {
    case 'REFUSED':
    case 'SERVER_ERROR':
      return 'server'; // the device is the server here
    case 'TIMEOUT':
    case 'NO_ANSWER':
      return 'timeout';
    default:
      return 'client';
  }
}

const isTftpCode = (n: number | undefined): n is TftpErrorCode =>
  n !== undefined && Number.isInteger(n) && n >= 0 && n <= 8;

export function clientSessionEvents(fields: {
  id: string;
  request: ClientTransferRequest;
  host: string;
  port: number;
  localPath: string;
  time: number;
  /** the local file's size for a put */
  size?: number;
}): ClientSessionEvents {
  const { id, request, time: startedAt } = fields;
  let lastBytes = 0;
  let lastTime = startedAt;
  let rate = 0;

  const started: SessionStartedEvent = {
    type: 'session-started',
    time: startedAt,
    id,
    peer: devicePeer(fields.host, fields.port),
    file: request.remoteName,
    direction: request.direction === 'put' ? 'download' : 'upload',
    mode: request.mode ?? 'octet',
    options: {
      blksize: request.blksize ?? DEFAULT_BLKSIZE,
      windowsize: request.windowsize ?? DEFAULT_WINDOWSIZE,
      timeout: request.timeoutSeconds ?? DEFAULT_TIMEOUT,
    },
    role: 'client',
    localPath: fields.localPath,
  };
  if (fields.size !== undefined) started.size = fields.size;

  return {
    id,
    started: () => started,
    progress(bytes, total, time, retransmits = 0) {
      const dt = time - lastTime;
      if (dt > 0) {
        rate = (Math.max(0, bytes - lastBytes) / dt) * 1000;
        lastTime = time;
        lastBytes = bytes;
      }
      const event: SessionProgressEvent = { type: 'session-progress', time, id, bytes, rate, retransmits };
      if (total !== undefined) event.total = total;
      return event;
    },
    finished(result, time) {
      return {
        type: 'session-finished',
        time,
        id,
        stats: {
          bytes: result.bytes,
          durationMs: result.durationMs,
          averageRate: result.durationMs > 0 ? (result.bytes / result.durationMs) * 1000 : 0,
          retransmits: result.retransmits,
          sha256: result.sha256,
        },
      };
    },
    failed(code, message, deviceCode, time) {
      return failedSessionEvent({
        time,
        id,
        code: isTftpCode(deviceCode) ? deviceCode : TftpErrorCode.NotDefined,
        message,
        by: endedBy(code),
        bytes: lastBytes,
        durationMs: time - startedAt,
      });
    },
  };
}
