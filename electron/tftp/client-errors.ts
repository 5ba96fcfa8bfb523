// The client's local error family (CONTRIBUTING "two error families"): a stable code a script or
// the UI acts on, a sentence for people, and, when the server refused or stopped the transfer, the
// server's own TFTP error code and message. The message from the server is untrusted bytes: hosts
// escape it before printing.
import type { TftpClientErrorCode } from '../../shared/tftp-client.js';
import { fsErrorCode } from './fs-errors.js';

export class TftpClientError extends Error {
  override readonly name = 'TftpClientError';

  constructor(
    readonly code: TftpClientErrorCode,
    message: string,
    /** the TFTP error the server sent (REFUSED, SERVER_ERROR) */
    readonly server?: { code: number; message: string },
  ) {
    super(message);
  }
}

export function isTftpClientError(err: unknown): err is TftpClientError {
  return err instanceof TftpClientError;
}

/**
 * A local file-system error as a client error. The path is the caller's own (it chose it), so it
 * may appear in the sentence; Node's err.message is not used, for a steady wording.
 */
export function localFileError(err: unknown, what: string): TftpClientError {
  switch (fsErrorCode(err)) {
    case 'ENOENT':
    case 'ENOTDIR':
      return new TftpClientError('LOCAL_NOT_FOUND', `${what}: no such file or folder`);
    case 'EACCES':
    case 'EPERM':
    case 'EROFS':
      return new TftpClientError('LOCAL_PERMISSION', `${what}: permission denied`);
    case 'EISDIR':
      return new TftpClientError('LOCAL_FILE', `${what}: is a folder`);
    case 'ENOSPC':
    case 'EDQUOT':
      return new TftpClientError('LOCAL_FILE', `${what}: disk full`);
    default: {
      const errno = fsErrorCode(err);
      return new TftpClientError('LOCAL_FILE', `${what}: ${errno ?? 'unexpected error'}`);
    }
  }
}
