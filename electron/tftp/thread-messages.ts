// The messages between the server and a download thread (worker_threads). Plain data only: they
// cross threads by structured clone; the open file travels as a transferred FileHandle.
import type { FileHandle } from 'node:fs/promises';
import type { EngineEvent } from '../../shared/events.js';
import type { FileIdentity } from './file-digests.js';
import type { LocalAddress } from './local-addresses.js';
import type { Peer } from './transfer.js';
import type { ReadTransferConfig } from './transfer-read.js';

export interface DownloadRequest {
  id: string;
  peer: Peer;
  /** the local address the request arrived on: the transfer answers from it */
  local: LocalAddress;
  portRange: { from: number; to: number } | null | undefined;
  cfg: ReadTransferConfig;
}

export type ToThread =
  /** `identity`: the file's digest comes later ('digest'); without it, the thread hashes blocks */
  | ({ kind: 'start'; handle: FileHandle; identity?: FileIdentity } & DownloadRequest)
  /** the file's digest for a download started with an identity (null: it could not be hashed) */
  | { kind: 'digest'; id: string; sha256: string | null }
  | { kind: 'abort'; id: string }
  /** a request came from the download's client port again (see ReadTransfer.requestRepeated) */
  | { kind: 'repeat'; id: string; request: 'rrq' | 'wrq'; identical: boolean };

export type FromThread =
  | { kind: 'ready' }
  /** the transfer socket is bound and the session begins: events for it follow */
  | { kind: 'started'; id: string }
  /** no transfer socket could be bound (the file is closed again) */
  | { kind: 'no-port'; id: string; code: string }
  | { kind: 'event'; event: EngineEvent }
  /** a new request came from the download's client port: it ends, and the server serves that request */
  | { kind: 'started-over'; id: string }
  | { kind: 'ended'; id: string };
