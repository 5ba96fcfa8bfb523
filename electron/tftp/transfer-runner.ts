// Where an admitted transfer runs: on the server's own thread (LocalRunner, below) or on a download
// thread (download-threads.ts). Both take the same job and answer through the same callbacks, so
// the server has one way to launch a transfer whichever runs it.
import type { FileHandle } from 'node:fs/promises';
import type { EngineSettings } from '../../shared/settings.js';
import type { DigestPlan } from './file-digests.js';
import type { LocalAddress } from './local-addresses.js';
import type { SessionTicker } from './session-ticker.js';
import { ReadTransfer, type ReadTransferConfig } from './transfer-read.js';
import { openTransferSocket } from './transfer-socket.js';
import { WriteTransfer, type WriteTransferConfig } from './transfer-write.js';
import type { Peer, Session, TransferHost } from './transfer.js';
import { abortUpload, type UploadTemp } from './upload-file.js';

interface JobBase {
  id: string;
  peer: Peer;
  /** the local address the request arrived on: the transfer answers from it */
  local: LocalAddress;
  portRange: EngineSettings['portRange'];
}

export type DownloadJob = JobBase & {
  kind: 'read';
  handle: FileHandle;
  cfg: ReadTransferConfig;
  /** octet: the file's digest, computed once per file (file-digests.ts); unset, blocks are hashed */
  digest?: DigestPlan;
};
export type UploadJob = JobBase & { kind: 'write'; upload: UploadTemp; cfg: WriteTransferConfig };
export type TransferJob = DownloadJob | UploadJob;

export interface LaunchCallbacks {
  /** the transfer runs now: hold `session` for it (called before it sends anything) */
  started(session: Session): void;
  /** no transfer socket could be bound (`code` says why) */
  noPort(code: string): void;
  /** the server stopped before the transfer could start */
  cancelled(): void;
}

export interface TransferRunner<J extends TransferJob = TransferJob> {
  /**
   * Runs the job; exactly one of the callbacks follows. A transfer that does not start has let go
   * of its file: the download's handle closed, the upload's temporary file removed.
   */
  run(job: J, callbacks: LaunchCallbacks): void;
}

/** Runs transfers on this thread, their timers driven by this thread's ticker. */
export class LocalRunner implements TransferRunner {
  constructor(
    private readonly host: TransferHost,
    private readonly ticker: SessionTicker,
  ) {}

  run(job: TransferJob, callbacks: LaunchCallbacks): void {
    void this.start(job, callbacks);
  }

  private async start(job: TransferJob, callbacks: LaunchCallbacks): Promise<void> {
    let socket;
    try {
      socket = await openTransferSocket(job.local, job.portRange, job.cfg.windowsize > 1);
    } catch (err) {
      if (job.kind === 'read') await job.handle.close().catch(() => undefined);
      else await abortUpload(job.upload);
      callbacks.noPort((err as NodeJS.ErrnoException).code ?? 'error');
      return;
    }
    const transfer =
      job.kind === 'read'
        ? new ReadTransfer(this.host, socket, job.peer, job.id, job.handle, job.cfg, job.digest)
        : new WriteTransfer(this.host, socket, job.peer, job.id, job.upload, job.cfg);
    callbacks.started(transfer);
    this.ticker.start();
    transfer.begin();
  }
}
