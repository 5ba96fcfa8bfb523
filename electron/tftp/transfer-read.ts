// Drives one download: a ReadSession (protocol) fed from a BlockReader (file) over the transfer's
// own socket. The hot path (an ACK in, DATA out) allocates nothing per block.
import type { Socket } from 'node:dgram';
import type { FileHandle } from 'node:fs/promises';
import { TftpErrorCode } from '../../shared/tftp-types.js';
import { BlockReader, FileChangedError } from './block-reader.js';
import { mapFsError } from './fs-errors.js';
import { decodePacket, encodeOack, type RequestOption } from './packet.js';
import { ReadSession } from './session-read.js';
import { Transfer, peerLabel, type Peer, type TransferHost } from './transfer.js';

export interface ReadTransferConfig {
  blksize: number;
  windowsize: number;
  timeoutMs: number;
  retries: number;
  oack: RequestOption[];
  netascii: boolean;
  size: number;
  /** the request looks like busybox's or atftp's, which take only the block they expect */
  checksOrder?: boolean;
}

export class ReadTransfer extends Transfer {
  private readonly session: ReadSession;
  private readonly reader: BlockReader;
  private readonly oackPacket: Buffer | undefined;
  private readonly blksize: number;
  private started = false;
  // Timer and file-read callbacks run outside the socket handler: guarded like it, so a throw
  // ends only this transfer.
  private readonly resumeSending = () => {
    if (!this.over) this.guard(() => this.session.resume(this.host.now()));
  };

  constructor(
    host: TransferHost,
    socket: Socket,
    peer: Peer,
    id: string,
    private readonly handle: FileHandle,
    cfg: ReadTransferConfig,
  ) {
    super(host, socket, peer, id, 'download');
    this.blksize = cfg.blksize;
    this.oackPacket = cfg.oack.length > 0 ? encodeOack(cfg.oack) : undefined;
    this.reader = new BlockReader(
      handle,
      cfg.blksize,
      cfg.windowsize,
      cfg.size,
      cfg.netascii,
      () => this.guard(() => this.onBlocksLoaded()),
      (err) => this.guard(() => this.onReadError(err)),
    );
    this.session = new ReadSession(
      {
        windowsize: cfg.windowsize,
        timeoutMs: cfg.timeoutMs,
        retries: cfg.retries,
        withOack: this.oackPacket !== undefined,
        checksOrder: cfg.checksOrder === true,
      },
      this.reader,
      {
        sendOack: () => this.send(this.oackPacket as Buffer),
        // A timer, not setImmediate: the pause must be long enough for the client to drain its
        // socket buffer (about a millisecond is, for a whole buffer on loopback or a LAN).
        resumeLater: () => setTimeout(this.resumeSending, 1),
        sendBlock: (seq) => this.send(this.reader.packet(seq)),
        released: (seq) => this.reader.release(seq),
        finished: () => this.end(() => this.finish(this.reader.hash.digest('hex'))),
        failed: (code, message, by) => this.end(() => this.fail(code, message, by)),
      },
    );
  }

  get bytes(): number {
    const acked = this.session.base - 1;
    const last = this.reader.lastSeq;
    if (last !== undefined && acked >= last) return this.totalBytes();
    return acked * this.blksize;
  }

  get retransmits(): number {
    return this.session.retransmits;
  }

  private totalBytes(): number {
    const last = this.reader.lastSeq as number;
    return (last - 1) * this.blksize + (this.reader.packet(last).length - 4);
  }

  /** With an OACK the session starts at once (DATA 1 waits for ACK 0); without, after the first page. */
  begin(): void {
    this.reader.start();
    if (this.oackPacket) {
      this.started = true;
      this.session.start(this.host.now());
    }
  }

  private onBlocksLoaded(): void {
    if (!this.started) {
      this.started = true;
      this.session.start(this.host.now());
    } else {
      this.session.dataReady(this.host.now());
    }
  }

  private onReadError(err: unknown): void {
    if (err instanceof FileChangedError) {
      this.host.log('warn', 'file changed during transfer (it shrank)', peerLabel(this.peer), this.id);
      this.session.localError(TftpErrorCode.NotDefined, 'File changed during transfer');
      return;
    }
    const mapped = mapFsError(err);
    this.host.log('error', `read failed: ${mapped.reason}`, peerLabel(this.peer), this.id);
    this.session.localError(mapped.code, mapped.clientMessage);
  }

  protected onPacket(msg: Buffer): void {
    // Fast path: an ACK.
    if (msg.length >= 4 && msg[0] === 0 && msg[1] === 4) {
      this.session.ack(msg.readUInt16BE(2), this.host.now());
      return;
    }
    const p = decodePacket(msg);
    if (p.kind === 'error') this.session.peerError(p.code, p.message);
    // Anything else on a read transfer (DATA, requests, short ACKs) is dropped (D4).
  }

  /**
   * A request came from the client's port. Before the client's first ACK, the same RRQ again is a
   * repeat (our OACK or DATA 1 was lost): answer again; another request means a new client
   * process got the port. After the first ACK, a request once the client has gone silent means
   * the same. Then end, telling the server first, which serves that request once this has ended.
   */
  requestRepeated(kind: 'rrq' | 'wrq', identical: boolean): void {
    if (this.over || !this.started) return;
    this.guard(() => {
      const now = this.host.now();
      const answered = this.session.clientAnswered;
      if (!answered && kind === 'rrq' && identical) this.session.requestRepeated(now);
      else if (!answered || this.session.mayHaveStartedOver(now)) {
        this.host.clientStartedOver(this);
        this.session.clientStartedOver();
      }
    });
  }

  tick(now: number): void {
    // Without an OACK the session starts once the first blocks are loaded; nothing to time before.
    if (this.started) this.session.tick(now);
  }

  protected internalFailure(): void {
    this.session.localError(TftpErrorCode.NotDefined, 'Server error');
    this.end(() => this.fail(TftpErrorCode.NotDefined, 'Server error', 'server'));
  }

  protected socketFailed(code: string): void {
    this.session.localError(TftpErrorCode.NotDefined, `Network error (${code})`);
  }

  async abort(): Promise<void> {
    this.end(() => this.fail(TftpErrorCode.NotDefined, 'Server shutting down', 'server'));
  }

  private end(report: () => void): void {
    if (this.over) return;
    report();
    this.reader.close();
    this.closeSocket();
    this.handle.close().catch(() => undefined);
    this.host.ended(this);
  }
}
