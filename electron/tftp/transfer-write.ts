// Drives one upload: a WriteSession (protocol) writing through an UploadTemp (a hidden temporary
// file renamed into place only when complete: nothing lost, no partial file). Payloads are
// batched into large writev() calls; when the disk falls behind, ACKs are held back so the client
// waits instead of memory growing.
import type { Socket } from 'node:dgram';
import { createHash } from 'node:crypto';
import { TftpErrorCode } from '../../shared/tftp-types.js';
import { mapFsError } from './fs-errors.js';
import { NetasciiDecoder } from './netascii.js';
import { decodePacket, encodeOack, writeAck, type RequestOption } from './packet.js';
import { WriteSession } from './session-write.js';
import { Transfer, peerLabel, type Peer, type TransferHost } from './transfer.js';
import { abortUpload, commitUpload, type UploadTemp } from './upload-file.js';

export interface WriteTransferConfig {
  blksize: number;
  windowsize: number;
  timeoutMs: number;
  retries: number;
  oack: RequestOption[];
  netascii: boolean;
  maxBytes: number;
  policy: 'create' | 'overwrite';
}

/** Write when this much is buffered; hold ACKs beyond twice this. */
const FLUSH_BYTES = 256 * 1024;

export class WriteTransfer extends Transfer {
  private readonly session: WriteSession;
  private readonly hash = createHash('sha256');
  private readonly decoder: NetasciiDecoder | undefined;
  private readonly ackBuf = Buffer.alloc(4);
  private readonly oackPacket: Buffer | undefined;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private position = 0;
  private writing: Promise<void> | undefined;
  private writeError: unknown;
  private cleanedUp = false;

  constructor(
    host: TransferHost,
    socket: Socket,
    peer: Peer,
    id: string,
    private readonly upload: UploadTemp,
    private readonly cfg: WriteTransferConfig,
  ) {
    super(host, socket, peer, id, 'upload');
    this.decoder = cfg.netascii ? new NetasciiDecoder() : undefined;
    this.oackPacket = cfg.oack.length > 0 ? encodeOack(cfg.oack) : undefined;
    this.session = new WriteSession(
      {
        blksize: cfg.blksize,
        windowsize: cfg.windowsize,
        timeoutMs: cfg.timeoutMs,
        retries: cfg.retries,
        withOack: this.oackPacket !== undefined,
        maxBytes: cfg.maxBytes,
      },
      {
        sendAck: (seq) => {
          // One reusable buffer: should a send still be queued when it is rewritten, the peer
          // gets a newer ACK, which acknowledges the older blocks too.
          writeAck(this.ackBuf, seq);
          this.send(this.ackBuf);
        },
        sendOack: () => this.send(this.oackPacket as Buffer),
        accept: (data, last) => this.accept(data, last),
        commit: () => void this.commit(),
        finished: () => this.finish(this.hash.digest('hex')),
        failed: (code, message, by) => {
          this.fail(code, message, by);
          void this.cleanup(true);
        },
      },
    );
  }

  get bytes(): number {
    return this.session.bytes;
  }

  get retransmits(): number {
    return this.session.retransmits;
  }

  begin(): void {
    this.session.start(this.host.now());
  }

  private accept(data: Buffer, last: boolean): void {
    this.hash.update(data);
    const bytes = this.decoder
      ? Buffer.concat([this.decoder.decode(data), last ? this.decoder.end() : Buffer.alloc(0)])
      : data;
    this.pending.push(bytes);
    this.pendingBytes += bytes.length;
    if (this.pendingBytes >= FLUSH_BYTES) this.flush();
    if (this.pendingBytes >= 2 * FLUSH_BYTES) this.session.holdAcks();
  }

  /** Starts a writev of what is pending unless one is running; chains itself while data waits. */
  private flush(): void {
    if (this.writing || this.pending.length === 0 || this.writeError) return;
    const chunk = this.pending;
    const size = this.pendingBytes;
    this.pending = [];
    this.pendingBytes = 0;
    const at = this.position;
    this.position += size;
    this.writing = this.writeAll(chunk, at).then(
      () => {
        this.writing = undefined;
        if (this.pendingBytes >= FLUSH_BYTES) this.flush();
        if (this.pendingBytes < 2 * FLUSH_BYTES) this.session.resume(this.host.now());
      },
      (err: unknown) => {
        this.writing = undefined;
        this.writeError = err;
        const mapped = mapFsError(err);
        this.host.log('error', `write failed: ${mapped.reason}`, peerLabel(this.peer), this.id);
        this.session.localError(mapped.code, mapped.clientMessage);
      },
    );
  }

  private async writeAll(chunk: Buffer[], at: number): Promise<void> {
    let views = chunk;
    let offset = at;
    for (;;) {
      const { bytesWritten } = await this.upload.handle.writev(views, offset);
      offset += bytesWritten;
      let skip = bytesWritten;
      while (views.length > 0 && skip >= (views[0] as Buffer).length)
        skip -= (views.shift() as Buffer).length;
      if (views.length === 0) return;
      views = [(views[0] as Buffer).subarray(skip), ...views.slice(1)];
    }
  }

  private async commit(): Promise<void> {
    try {
      while (this.writing || this.pending.length > 0) {
        this.flush();
        await this.writing;
        if (this.writeError) return; // already reported
      }
      await commitUpload(this.upload, this.cfg.policy);
      this.cleanedUp = true;
      this.host.uploadSaved(this);
      this.session.committed(this.host.now());
    } catch (err) {
      const mapped = mapFsError(err);
      this.host.log('error', `could not save the upload: ${mapped.reason}`, peerLabel(this.peer), this.id);
      this.session.localError(mapped.code, mapped.clientMessage);
    }
  }

  protected onPacket(msg: Buffer): void {
    if (msg.length >= 4 && msg[0] === 0 && msg[1] === 3) {
      this.session.data(msg.readUInt16BE(2), msg.subarray(4), this.host.now());
      return;
    }
    const p = decodePacket(msg);
    if (p.kind === 'error') this.session.peerError(p.code, p.message);
  }

  tick(now: number): void {
    this.session.tick(now);
    if (this.session.state === 'done') void this.cleanup(false);
  }

  protected internalFailure(): void {
    this.session.localError(TftpErrorCode.NotDefined, 'Server error');
    this.fail(TftpErrorCode.NotDefined, 'Server error', 'server');
    void this.cleanup(true);
  }

  /**
   * A request came from the client's port. The same WRQ again before any DATA: our first answer
   * was lost, answer it again. Any request while the saved upload only dallies: a new client
   * process got the port; end the dally (nothing is lost) and let the server serve it.
   */
  requestRepeated(kind: 'rrq' | 'wrq', identical: boolean): void {
    this.guard(() => {
      if (this.session.state === 'dallying') {
        this.host.clientStartedOver(this);
        void this.cleanup(false);
      } else if (kind === 'wrq' && identical) this.session.requestRepeated(this.host.now());
    });
  }

  protected socketFailed(code: string): void {
    this.session.localError(TftpErrorCode.NotDefined, `Network error (${code})`);
  }

  async abort(): Promise<void> {
    if (this.session.state === 'dallying' || this.session.state === 'done') {
      await this.cleanup(false);
      return;
    }
    this.fail(TftpErrorCode.NotDefined, 'Server shutting down', 'server');
    await this.cleanup(true);
  }

  /** Closes the socket; when the upload did not complete, removes the temporary file. */
  private async cleanup(discard: boolean): Promise<void> {
    if (this.socketClosed) return;
    this.socketClosed = true;
    this.closeSocket();
    this.host.ended(this);
    if (discard && !this.cleanedUp) {
      this.cleanedUp = true;
      await this.writing?.catch(() => undefined);
      await abortUpload(this.upload);
    }
  }

  private socketClosed = false;
}
