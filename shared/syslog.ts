// What the UI, the CLI and the logs know of the syslog receiver: received messages, its settings
// and its event stream. Pure data (JSON-safe): no Node, no DOM.
// RFC 5424 section 6.2.1 (facility and severity numbers and names), RFC 3164 section 4.1.1.
import type { ListenAddress } from './events.js';
import { isCidrOrAddress, isIpAddress } from './address-shape.js';

export type SyslogFormat = 'rfc5424' | 'rfc3164' | 'raw';

/**
 * One received datagram. Text fields are UTF-8; a byte that is not valid UTF-8, and any control
 * character other than tab, is shown as `\xNN`, so a message can be printed or rendered as is.
 */
export interface SyslogMessage {
  /** increasing per receiver, from 1 */
  id: number;
  /** Date.now() when the datagram arrived (the device's own clock is often wrong or unset) */
  receivedAt: number;
  peer: { address: string; port: number };
  /** 'raw': no valid PRI, kept verbatim in `message` and `raw` */
  format: SyslogFormat;
  /** 0-23, from PRI */
  facility?: number;
  /** 0-7, from PRI */
  severity?: number;
  /** the device's timestamp as it sent it (RFC 5424 ISO time, or RFC 3164 "Mmm dd hh:mm:ss" and kin) */
  timestamp?: string;
  hostname?: string;
  /** RFC 5424 APP-NAME, or the RFC 3164 tag ("sshd" of "sshd[42]:"), or a Cisco message's facility */
  appName?: string;
  procId?: string;
  /** RFC 5424 MSGID, or a Cisco message's code ("SYS-5-CONFIG_I") */
  msgId?: string;
  /** RFC 5424 STRUCTURED-DATA exactly as sent ("[id k=\"v\"]..."); absent for NILVALUE */
  structuredData?: string;
  message: string;
  /** the whole datagram (trailing NULs and newlines trimmed); a truncation marker ends it when cut */
  raw: string;
  /** the datagram's size in bytes when it was longer than the receiver keeps */
  truncatedFrom?: number;
}

/** RFC 5424 table 2, by number. */
export const SEVERITY_NAMES = [
  'emerg',
  'alert',
  'crit',
  'err',
  'warning',
  'notice',
  'info',
  'debug',
] as const;
export type SeverityName = (typeof SEVERITY_NAMES)[number];

/** RFC 5424 table 1, by number, as syslog.conf and `logger -p` spell them. */
export const FACILITY_NAMES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'solaris-cron',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
] as const;
export type FacilityName = (typeof FACILITY_NAMES)[number];

export function severityName(severity: number): SeverityName | undefined {
  return SEVERITY_NAMES[severity];
}

export function facilityName(facility: number): FacilityName | undefined {
  return FACILITY_NAMES[facility];
}

export interface SyslogSettings {
  /** start the receiver with the app */
  enabled: boolean;
  /** UDP port; devices send to 514 unless told otherwise */
  port: number;
  /** address to listen on; '' = every address, IPv4 and IPv6 */
  host: string;
  /** sender addresses or CIDR ranges whose messages are kept; empty = everyone */
  allowList: string[];
  /** messages kept in memory, newest last; older ones make room */
  maxMessages: number;
  /** messages a second one sender may send before the rest are dropped (and counted) */
  perSenderPerSecond: number;
}

export const SYSLOG_DEFAULTS: SyslogSettings = {
  enabled: false,
  port: 514,
  host: '',
  allowList: [],
  maxMessages: 5000,
  // A switch that boots prints a few hundred lines in a burst; a runaway loop prints thousands.
  perSenderPerSecond: 200,
};

export const SYSLOG_LIMITS = {
  maxMessagesMin: 10,
  maxMessagesMax: 100_000,
  perSenderPerSecondMin: 1,
  perSenderPerSecondMax: 100_000,
} as const;

export type SyslogSettingsErrors = Partial<Record<keyof SyslogSettings, string>>;

function isInt(v: unknown, min: number, max: number): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
}

/** Validates a partial update; returns a message per bad field (empty when valid). Never throws. */
export function validateSyslogSettings(s: Partial<SyslogSettings>): SyslogSettingsErrors {
  const e: SyslogSettingsErrors = {};
  if (s.enabled !== undefined && typeof s.enabled !== 'boolean') e.enabled = 'Must be on or off.';
  if (s.port !== undefined && !isInt(s.port, 1, 65535))
    e.port = 'Port must be a whole number from 1 to 65535.';
  if (s.host !== undefined && (typeof s.host !== 'string' || (s.host !== '' && !isIpAddress(s.host))))
    e.host = 'The listen address must be an IPv4 or IPv6 address, or empty for all addresses.';
  if (s.allowList !== undefined) {
    const bad = Array.isArray(s.allowList)
      ? s.allowList.find((a) => typeof a !== 'string' || !isCidrOrAddress(a))
      : '?';
    if (bad !== undefined)
      e.allowList = `"${String(bad)}" is not an address or CIDR range (e.g. 192.168.1.0/24).`;
  }
  const { maxMessagesMin, maxMessagesMax, perSenderPerSecondMin, perSenderPerSecondMax } = SYSLOG_LIMITS;
  if (s.maxMessages !== undefined && !isInt(s.maxMessages, maxMessagesMin, maxMessagesMax))
    e.maxMessages = `Messages kept must be from ${maxMessagesMin} to ${maxMessagesMax}.`;
  if (
    s.perSenderPerSecond !== undefined &&
    !isInt(s.perSenderPerSecond, perSenderPerSecondMin, perSenderPerSecondMax)
  )
    e.perSenderPerSecond = `Messages a second per sender must be from ${perSenderPerSecondMin} to ${perSenderPerSecondMax}.`;
  return e;
}

/** Local error codes: stable strings for logs and the UI. */
export type SyslogErrorCode = 'EADDRINUSE' | 'EACCES' | 'EADDRNOTAVAIL' | 'INVALID_SETTINGS' | 'INTERNAL';

export type SyslogState =
  | { state: 'stopped' }
  | { state: 'starting' }
  | { state: 'listening'; addresses: ListenAddress[] }
  | { state: 'stopping' }
  | { state: 'error'; code: SyslogErrorCode; message: string; hint?: string };

/** Why a datagram was not kept. */
export type SyslogDropReason = 'rateLimited' | 'notAllowed';

export type SyslogDropCounts = Record<SyslogDropReason, number>;

export interface SyslogStateEvent {
  type: 'syslog-state';
  service: 'syslog';
  time: number;
  state: SyslogState;
}

/** Messages that arrived together (one turn of the event loop), oldest first. */
export interface SyslogMessagesEvent {
  type: 'syslog-messages';
  service: 'syslog';
  time: number;
  messages: SyslogMessage[];
}

/**
 * What was dropped since the previous summary (at most one a second while drops go on, and one
 * when the receiver stops): nothing is lost without being counted here.
 */
export interface SyslogDroppedEvent {
  type: 'syslog-dropped';
  service: 'syslog';
  time: number;
  /** Date.now() when this period began */
  since: number;
  dropped: SyslogDropCounts;
  /** the senders that lost most, most first (at most 20) */
  senders: Array<{ address: string } & SyslogDropCounts>;
  /**
   * senders that also lost messages but are not listed (past 10,000 senders in one period, more
   * are counted in `dropped` but not told apart)
   */
  otherSenders: number;
  /** every drop since the receiver was created */
  total: SyslogDropCounts;
}

export type SyslogEvent = SyslogStateEvent | SyslogMessagesEvent | SyslogDroppedEvent;

/** Counters since the receiver was created. */
export interface SyslogStats {
  /** datagrams read from the sockets */
  received: number;
  /** kept (emitted and put in the ring) */
  accepted: number;
  dropped: SyslogDropCounts;
}
