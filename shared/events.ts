// One stream of events for the UI, the CLI and the logs. Events are plain data (JSON-safe):
// the CLI prints them as NDJSON, the main process batches them over IPC, the browser bridge
// sends them over a WebSocket.
import type {
  Direction,
  NameSuggestion,
  NegotiatedOptions,
  OptionAsSent,
  RequestAsSent,
  TftpErrorCode,
  TransferMode,
} from './tftp-types.js';

/** Local error codes: stable strings for logs and the UI, never shown as a stack trace. */
export type ServerErrorCode =
  | 'EADDRINUSE'
  | 'EACCES'
  | 'EADDRNOTAVAIL'
  | 'ROOT_MISSING'
  | 'ROOT_NOT_DIRECTORY'
  | 'INVALID_SETTINGS'
  | 'INTERNAL';

export interface ListenAddress {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
  /** OS interface name when known (eth0, en0, "Ethernet 2") */
  interface?: string;
}

export type ServerState =
  | { state: 'stopped' }
  | { state: 'starting' }
  | { state: 'listening'; addresses: ListenAddress[]; root: string }
  | { state: 'stopping' }
  | { state: 'error'; code: ServerErrorCode; message: string; hint?: string };

export interface ServerStateEvent {
  type: 'server';
  time: number;
  server: ServerState;
}

export interface SessionStartedEvent {
  type: 'session-started';
  time: number;
  id: string;
  peer: string;
  /** the name exactly as the client asked for it (display only; escape before showing) */
  file: string;
  direction: Direction;
  mode: TransferMode;
  options: NegotiatedOptions;
  /** total bytes when known: file size for downloads, declared tsize for uploads */
  size?: number;
  /** the request as the client sent it (name, mode, options), its client and any mapping */
  request?: RequestAsSent;
  /** the options our OACK put on the wire, in its order and spelling; absent when no OACK was sent */
  oack?: OptionAsSent[];
  /** the id of the device profile that shaped this transfer's negotiation (shared/device-profiles.ts) */
  profile?: string;
  /**
   * Who started it: absent for a request a device sent to our server; 'client' for a transfer we
   * started ourselves ("Send to device"). Then `peer` is the device's TFTP server, `file` the name
   * on the device, and `direction` still says which way the bytes go as seen from here: a put
   * (sent to device) is a 'download' (we send), a get (fetched from device) an 'upload' (we receive).
   */
  role?: 'client';
  /** for a client transfer: the local file it reads (put) or writes (get) */
  localPath?: string;
}

export interface SessionProgressEvent {
  type: 'session-progress';
  time: number;
  id: string;
  bytes: number;
  /** bytes per second over the last interval */
  rate: number;
  retransmits: number;
  /** total bytes when they became known after the start (a device's tsize, for a client get) */
  total?: number;
}

export interface TransferStats {
  bytes: number;
  durationMs: number;
  /** bytes per second over the whole transfer */
  averageRate: number;
  retransmits: number;
  /**
   * hex SHA-256 of the bytes that crossed the wire (after netascii conversion for downloads); ''
   * when it is not known (the file could not be hashed, or changed during the transfer)
   */
  sha256: string;
  /**
   * a download whose file was written to while it was sent: the client may hold a mix of old and
   * new bytes, so no hash is given (sha256 is '')
   */
  fileChanged?: true;
}

export interface SessionFinishedEvent {
  type: 'session-finished';
  time: number;
  id: string;
  stats: TransferStats;
}

export interface SessionFailedEvent {
  type: 'session-failed';
  time: number;
  id: string;
  /** the TFTP error code sent to (or received from) the peer */
  code: TftpErrorCode;
  message: string;
  /** who ended it */
  by: 'server' | 'client' | 'timeout';
  bytes: number;
  durationMs: number;
  /** for a name that was not found: served files it probably meant, best first */
  suggestions?: NameSuggestion[];
  /** a request refused before any transfer: why, as a fixed phrase (never the raw file name) */
  reason?: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface LogEvent {
  type: 'log';
  time: number;
  level: LogLevel;
  message: string;
  peer?: string;
  sessionId?: string;
}

/**
 * A transfer ended in failure. Every producer (a transfer, a refused request, a lost download thread,
 * an engine gone with sessions still open) builds it here, so the fields mean the same everywhere:
 * `by` defaults to the server, `bytes` to none, and a duration is never negative (clocks step back).
 */
export function failedSessionEvent(fields: {
  time: number;
  id: string;
  code: TftpErrorCode;
  message: string;
  by?: SessionFailedEvent['by'];
  bytes?: number;
  durationMs?: number;
  reason?: string;
}): SessionFailedEvent {
  const event: SessionFailedEvent = {
    type: 'session-failed',
    time: fields.time,
    id: fields.id,
    code: fields.code,
    message: fields.message,
    by: fields.by ?? 'server',
    bytes: fields.bytes ?? 0,
    durationMs: Math.max(0, fields.durationMs ?? 0),
  };
  if (fields.reason !== undefined) event.reason = fields.reason;
  return event;
}

export type SessionEvent =
  SessionStartedEvent | SessionProgressEvent | SessionFinishedEvent | SessionFailedEvent;
export type EngineEvent = ServerStateEvent | SessionEvent | LogEvent;
