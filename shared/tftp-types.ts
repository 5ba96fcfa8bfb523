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
