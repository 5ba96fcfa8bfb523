// The blocks of a file being sent (tftpPut), read in order and kept only until acknowledged: at
// most one window of blocks is in memory, whatever the file's size. netascii is encoded as the
// file is read (encodeNetascii is stateless per byte, so any chunking gives the same bytes), and
// the SHA-256 is of the local bytes as read, each byte once.
//
// Reads are synchronous for the reason writes are in client-get.ts: in order, small, bounded.
import { createHash } from 'node:crypto';
import { readSync } from 'node:fs';
import { localFileError } from './client-errors.js';
import type { PutSource } from './client-put-session.js';
import type { LocalFailure } from './client-session.js';
import { TftpErrorCode } from '../../shared/tftp-types.js';
import { encodeNetascii } from './netascii.js';

const CHUNK_BYTES = 64 * 1024;
const READ_FAILED = { code: TftpErrorCode.NotDefined, message: 'Client cannot read the file' };
const EMPTY = Buffer.alloc(0);

export class FileBlockSource implements PutSource {
  lastSeq: number | undefined;
  /** local bytes read so far */
  bytesRead = 0;
  /** wire bytes acknowledged so far */
  bytesAcked = 0;
  private readonly hash = createHash('sha256');
  private readonly blocks = new Map<number, Buffer>();
  private readonly chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  private pending: Buffer = EMPTY;
  private eof = false;
  private released = 0;

  constructor(
    private readonly fd: number,
    private readonly path: string,
    private readonly netascii: boolean,
    /** the negotiated block size, known once the server has answered */
    private readonly blksize: () => number,
  ) {}

  load(seq: number): LocalFailure | undefined {
    const size = this.blksize();
    try {
      while (this.pending.length < size && !this.eof) this.readChunk();
    } catch (err) {
      const local = localFileError(err, this.path);
      return { code: local.code, message: local.message, wire: READ_FAILED };
    }
    if (this.pending.length >= size) {
      this.blocks.set(seq, this.pending.subarray(0, size));
      this.pending = this.pending.subarray(size);
    } else {
      // The final block is short, and empty when the size is a multiple of blksize (RFC 1350).
      this.blocks.set(seq, this.pending);
      this.pending = EMPTY;
      this.lastSeq = seq;
    }
    return undefined;
  }

  block(seq: number): Buffer {
    return this.blocks.get(seq) ?? EMPTY;
  }

  release(seq: number): void {
    for (let s = this.released + 1; s <= seq; s++) {
      this.bytesAcked += this.blocks.get(s)?.length ?? 0;
      this.blocks.delete(s);
    }
    this.released = Math.max(this.released, seq);
  }

  sha256(): string {
    return this.hash.digest('hex');
  }

  private readChunk(): void {
    const n = readSync(this.fd, this.chunk, 0, CHUNK_BYTES, null);
    if (n === 0) {
      this.eof = true;
      return;
    }
    const raw = this.chunk.subarray(0, n);
    this.hash.update(raw);
    this.bytesRead += n;
    const wire = this.netascii ? encodeNetascii(raw) : Buffer.from(raw);
    this.pending = this.pending.length === 0 ? wire : Buffer.concat([this.pending, wire]);
  }
}
