// File-system errors -> TFTP ERROR packets, RFC 1350 §5 + appendix (codes 0-7).
//
// Rules implemented:
// - The client gets a fixed, short message per code; the log gets a fixed phrase per errno.
//   Neither ever contains a path or the client's file name (Node puts the path into err.message,
//   so err.message is never used): no path disclosure, no log or format-string injection.
// - Node's permission code is EACCES. (npm `tftp` tests "EACCESS", so permission errors there
//   go out as code 0; here they are 2 Access violation.)
// - A locked file on Windows (EBUSY, EPERM) is an access violation, not a server fault.
// - Anything unrecognised is code 0 "server error", logged with its errno name when it has one.
import { TftpErrorCode } from '../../shared/tftp-types.js';

export interface MappedFsError {
  code: TftpErrorCode;
  /** fixed short text for the ERROR packet (<= 128 bytes) */
  clientMessage: string;
  /** fixed phrase for the log */
  reason: string;
}

const NOT_FOUND = 'File not found';
const ACCESS = 'Access violation';
const DISK_FULL = 'Disk full or allocation exceeded';

const TABLE: Readonly<Record<string, MappedFsError>> = {
  ENOENT: { code: TftpErrorCode.FileNotFound, clientMessage: NOT_FOUND, reason: 'file not found' },
  ENOTDIR: {
    code: TftpErrorCode.FileNotFound,
    clientMessage: NOT_FOUND,
    reason: 'a folder in the path is a file',
  },
  // A folder is not a file the client can fetch; "not found" is what tftp-hpa says too.
  EISDIR: { code: TftpErrorCode.FileNotFound, clientMessage: NOT_FOUND, reason: 'is a folder' },
  EACCES: { code: TftpErrorCode.AccessViolation, clientMessage: ACCESS, reason: 'permission denied' },
  EPERM: { code: TftpErrorCode.AccessViolation, clientMessage: ACCESS, reason: 'operation not permitted' },
  EBUSY: { code: TftpErrorCode.AccessViolation, clientMessage: ACCESS, reason: 'file busy or locked' },
  ELOOP: { code: TftpErrorCode.AccessViolation, clientMessage: ACCESS, reason: 'symbolic link refused' },
  EROFS: { code: TftpErrorCode.AccessViolation, clientMessage: ACCESS, reason: 'read-only file system' },
  ENAMETOOLONG: {
    code: TftpErrorCode.AccessViolation,
    clientMessage: 'Name too long',
    reason: 'name too long',
  },
  ENOSPC: { code: TftpErrorCode.DiskFull, clientMessage: DISK_FULL, reason: 'disk full' },
  EDQUOT: { code: TftpErrorCode.DiskFull, clientMessage: DISK_FULL, reason: 'disk quota exceeded' },
  EFBIG: { code: TftpErrorCode.DiskFull, clientMessage: DISK_FULL, reason: 'file too large' },
  EEXIST: {
    code: TftpErrorCode.FileExists,
    clientMessage: 'File already exists',
    reason: 'file already exists',
  },
  EIO: { code: TftpErrorCode.NotDefined, clientMessage: 'I/O error', reason: 'I/O error (disk or medium)' },
  EMFILE: { code: TftpErrorCode.NotDefined, clientMessage: 'Server busy', reason: 'too many open files' },
  ENFILE: { code: TftpErrorCode.NotDefined, clientMessage: 'Server busy', reason: 'too many open files' },
};

/** The errno name of a Node error (`code`), when it looks like one. */
export function fsErrorCode(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null || !('code' in err)) return undefined;
  const code = (err as { code: unknown }).code;
  // Only a plain errno name is trusted into a log line.
  return typeof code === 'string' && /^E[A-Z0-9]{1,20}$/.test(code) ? code : undefined;
}

/** Maps a Node fs error to the TFTP error for the peer and a fixed log phrase. Never includes paths. */
export function mapFsError(err: unknown): MappedFsError {
  const code = fsErrorCode(err);
  const known = code === undefined ? undefined : TABLE[code];
  if (known) return { ...known };
  return {
    code: TftpErrorCode.NotDefined,
    clientMessage: 'Server error',
    reason: code === undefined ? 'unexpected error' : `unexpected file system error ${code}`,
  };
}
