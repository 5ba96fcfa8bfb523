// What a TFTP client transfer (`tftp-desk put|get`, and later the app's "send to device") reports:
// the outcome of one push or pull, and the stable error codes a script or the UI can act on.
// Pure data: no Node, no DOM.
import type { TransferMode } from './tftp-types.js';

/**
 * Why a client transfer failed. Stable strings: scripts, exit codes and the UI branch on them.
 * - NO_ANSWER: the request went unanswered (nothing listens, a firewall, the device not up yet)
 * - REFUSED: the server answered the request with an ERROR (file not found, access violation...)
 * - SERVER_ERROR: the server stopped a started transfer with an ERROR
 * - TIMEOUT: the server went silent during the transfer
 * - PROTOCOL: the server broke the protocol (an OACK we cannot accept, a block too large...)
 * - LOCAL_NOT_FOUND / LOCAL_PERMISSION / LOCAL_FILE: the local file or folder
 * - NETWORK: the host cannot be resolved or reached, or the socket failed
 * - INVALID_ARGUMENT: a value the caller gave is out of range
 * - ABORTED: the caller cancelled
 */
export type TftpClientErrorCode =
  | 'NO_ANSWER'
  | 'REFUSED'
  | 'TIMEOUT'
  | 'SERVER_ERROR'
  | 'PROTOCOL'
  | 'LOCAL_NOT_FOUND'
  | 'LOCAL_PERMISSION'
  | 'LOCAL_FILE'
  | 'NETWORK'
  | 'INVALID_ARGUMENT'
  | 'ABORTED';

/** The options a client transfer ran with, and whether the server acknowledged any (OACK). */
export interface ClientNegotiated {
  blksize: number;
  windowsize: number;
  /** seconds: the retransmission timeout in use */
  timeout: number;
  /** bytes the server announced (get) or accepted (put), when it acknowledged tsize */
  tsize?: number;
  /** true when the server answered with an OACK; false when it ignored the options */
  acknowledged: boolean;
}

export interface ClientTransferResult {
  direction: 'get' | 'put';
  host: string;
  port: number;
  remoteName: string;
  localPath: string;
  mode: TransferMode;
  /** bytes of the local file (after netascii conversion, for a get) */
  bytes: number;
  durationMs: number;
  /** SHA-256 of the local file's bytes, hex */
  sha256: string;
  options: ClientNegotiated;
  /** packets sent more than once */
  retransmits: number;
}

export interface ClientProgress {
  /** bytes moved so far (on the wire, payload only) */
  bytes: number;
  /** the size the server announced (get) or the local file's size (put), when known */
  total?: number;
  /** packets sent more than once so far */
  retransmits: number;
}
