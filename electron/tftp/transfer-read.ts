// Drives one download: a ReadSession (protocol) fed from a BlockReader (file) over the transfer's
// own socket. The hot path (an ACK in, DATA out) allocates nothing per block.
//
// The record's SHA-256: for an octet download with a digest plan, the file's digest (computed once
// per file, off this path: file-digests.ts), given only if the file's size and modification time
// at the end are those it had at the start; otherwise the record says the file changed and gives
// no hash (the client may hold a mix of old and new bytes, which no hash of ours describes).
// netascii downloads, and octet ones without a plan, hash their blocks as they are read.
import type { Socket } from 'node:dgram';
import type { FileHandle } from 'node:fs/promises';
import { TftpErrorCode } from '../../shared/tftp-types.js';
import { BlockReader, FileChangedError } from './block-reader.js';
import type { DigestPlan } from './file-digests.js';
import { identityOf } from './file-hash.mjs';
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
  /** the request could be atftp's, which aborts on a second OACK */
  refusesRepeatedOack?: boolean;
}

export class ReadTransfer extends Transfer {
  private readonly session: ReadSession;
  private readonly reader: BlockReader;
  private readonly oackPacket: Buffer | undefined;
  private readonly blksize: number;
  private started = false;
  /** when the last block was acknowledged, while the record waits for the file's digest */
  private settling: number | undefined;
  private readonly digest: DigestPlan | undefined;
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
    digest?: DigestPlan,
  ) {
    super(host, socket, peer, id, 'download');
    this.blksize = cfg.blksize;
    this.digest = cfg.netascii ? undefined : digest;
    this.oackPacket = cfg.oack.length > 0 ? encodeOack(cfg.oack) : undefined;
    this.reader = new BlockReader(
      handle,
      cfg.blksize,
      cfg.windowsize,
      cfg.size,
      cfg.netascii,
      () => this.guard(() => this.onBlocksLoaded()),
      (err) => this.guard(() => this.onReadError(err)),
      this.digest === undefined,
    );
    this.session = new ReadSession(
      {
        windowsize: cfg.windowsize,
        timeoutMs: cfg.timeoutMs,
        retries: cfg.retries,
        withOack: this.oackPacket !== undefined,
        checksOrder: cfg.checksOrder === true,
        refusesRepeatedOack: cfg.refusesRepeatedOack === true,
      },
      this.reader,
      {
        sendOack: () => this.send(this.oackPacket as Buffer),
        // A timer, not setImmediate: the pause must be long enough for the client to drain its
        // socket buffer (about a millisecond is, for a whole buffer on loopback or a LAN).
        resumeLater: () => setTimeout(this.resumeSending, 1),
        sendBlock: (seq) => this.send(this.reader.packet(seq)),
        released: (seq) => this.reader.release(seq),
        finished: () => this.onFinished(),
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

  private onFinished(): void {
    const plan = this.digest;
    if (!plan) {
      this.end(() => this.finish(this.reader.blocksDigest()));
      return;
    }
    // Normally the digest is long done (hashing runs at ~1 GB/s, TFTP far slower); until it is,
    // the session is over for the client and nothing it sends changes the outcome.
    const endedAt = this.host.now();
    this.settling = endedAt;
    this.reader.close();
    void Promise.all([plan.result, this.handle.stat({ bigint: true }).catch(() => undefined)]).then(
      ([sha256, st]) =>
        this.guard(() => {
          // Without an fstat at the end nothing says the bytes sent are the ones hashed: no hash.
          const now = st && identityOf(st);
          const changed =
            now !== undefined && (now.size !== plan.identity.size || now.mtimeNs !== plan.identity.mtimeNs);
          const given = now && !changed ? (sha256 ?? '') : '';
          this.end(() => this.finish(given, endedAt, changed));
        }),
    );
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
    if (this.settling !== undefined) return;
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
    if (this.over || !this.started || this.settling !== undefined) return;
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
    if (this.started && this.settling === undefined) this.session.tick(now);
  }

  protected internalFailure(): void {
    this.session.localError(TftpErrorCode.NotDefined, 'Server error');
    this.end(() => this.fail(TftpErrorCode.NotDefined, 'Server error', 'server'));
  }

  protected socketFailed(code: string): void {
    this.session.localError(TftpErrorCode.NotDefined, `Network error (${code})`);
  }

  async abort(): Promise<void> {
    // Sent in full: it finished, only its digest is missing (and on a stop, no longer awaited).
    const settledAt = this.settling;
    if (settledAt !== undefined) this.end(() => this.finish('', settledAt));
    else this.end(() => this.fail(TftpErrorCode.NotDefined, 'Server shutting down', 'server'));
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
