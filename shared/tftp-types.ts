// What the UI, the CLI and the logs know of the protocol. Pure data: no Node, no DOM.

/** RFC 1350 appendix + RFC 2347: the error codes that go on the wire. */
export const TftpErrorCode = {
  NotDefined: 0,
  FileNotFound: 1,
  AccessViolation: 2,
  DiskFull: 3,
  IllegalOperation: 4,
  UnknownTransferId: 5,
  FileExists: 6,
  NoSuchUser: 7,
  OptionRefused: 8,
} as const;
export type TftpErrorCode = (typeof TftpErrorCode)[keyof typeof TftpErrorCode];

export const TFTP_ERROR_NAMES: Readonly<Record<TftpErrorCode, string>> = {
  0: 'Not defined',
  1: 'File not found',
  2: 'Access violation',
  3: 'Disk full or allocation exceeded',
  4: 'Illegal TFTP operation',
  5: 'Unknown transfer ID',
  6: 'File already exists',
  7: 'No such user',
  8: 'Option negotiation refused',
};

export type TransferMode = 'octet' | 'netascii';
/** From the server's point of view: a download is a client's RRQ, an upload a client's WRQ. */
export type Direction = 'download' | 'upload';
export type UploadPolicy = 'off' | 'create' | 'overwrite';

/** The options a session ended up using, after RFC 2347 negotiation. */
export interface NegotiatedOptions {
  blksize: number;
  windowsize: number;
  /** seconds */
  timeout: number;
  /** bytes, when known (tsize for uploads, file size for downloads) */
  tsize?: number;
}

export const RFC_LIMITS = {
  blksizeMin: 8,
  blksizeMax: 65464,
  timeoutMin: 1,
  timeoutMax: 255,
  windowsizeMin: 1,
  windowsizeMax: 65535,
} as const;

/** One option of a request exactly as the client sent it: name spelling, order and value kept. */
export interface OptionAsSent {
  name: string;
  value: string;
}

/** The clients a request can be recognised as (electron/tftp/fingerprint.ts has the table). */
export type TftpClientKind =
  | 'u-boot'
  | 'ipxe'
  | 'pxelinux'
  | 'grub'
  | 'windows-bootmgr'
  | 'pxe-rom'
  | 'curl'
  | 'tftp-hpa'
  | 'atftp'
  | 'busybox'
  | 'cisco'
  | 'unknown';

export const TFTP_CLIENT_NAMES: Readonly<Record<TftpClientKind, string>> = {
  'u-boot': 'U-Boot',
  ipxe: 'iPXE',
  pxelinux: 'pxelinux/syslinux',
  grub: 'GRUB',
  'windows-bootmgr': 'Windows Boot Manager',
  'pxe-rom': 'PXE firmware',
  curl: 'curl',
  'tftp-hpa': 'tftp-hpa',
  atftp: 'atftp',
  busybox: 'BusyBox tftp',
  cisco: 'Cisco',
  unknown: 'unknown client',
};

/** Which client a request looks like: `likely` when its shape is that client's alone, else a guess. */
export interface ClientFingerprint {
  client: TftpClientKind;
  confidence: 'likely' | 'guess';
  /** short phrases saying what gave it away (or why nothing did) */
  reasons: string[];
}

/** A request as it arrived, for the inspector: what the client asked for, before any mapping. */
export interface RequestAsSent {
  /** the name exactly as sent (display only; escape before showing) */
  name: string;
  /** the transfer mode as spelled by the client */
  mode: string;
  options: OptionAsSent[];
  client: ClientFingerprint;
  /** the name a mapping rule turned it into, and the rule */
  mapped?: { to: string; rule: string };
}

/** A file in the served folder that a not-found name probably meant. */
export interface NameSuggestion {
  /** path inside the root, forward slashes */
  file: string;
  /** case: differs only in case; extension: same name, another extension; folder: same name in
   * another folder; near: a few characters apart */
  reason: 'case' | 'extension' | 'folder' | 'near';
}
