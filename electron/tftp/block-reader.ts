// Streams a file as ready-made DATA packets, with read-ahead, in constant memory whatever the
// file size. Two pages of blocks: while the session sends from one, the other is being filled.
// While few downloads run on a thread, their pages are roomy (fewer reads); past a per-thread
// budget, new sessions get small pages, so memory stays bounded however many clients come.
// Each page is one buffer laid out as packets (4-byte header + payload, back to back), so octet
// files are read straight into place with one readv() per page: no copy, no allocation per block.
// netascii is converted while streaming (a CR LF pair may straddle two blocks: the encoded stream
// is cut into blocks after conversion, so that is handled by construction).
//
// Reads come from one file handle opened at the start: a file replaced meanwhile is served as it
// was opened (D16); a file that shrinks ends the transfer with an error instead of short data.
import type { FileHandle } from 'node:fs/promises';
import { createHash, type Hash } from 'node:crypto';
import { encodeNetascii } from './netascii.js';
import { lentPageBytes, returnPage, takePage } from './page-pool.js';
import { writeDataHeader } from './packet.js';

/**
 * Pages are at least this size: big enough for few reads (each is a trip through the thread
 * pool), small enough for a hundred lock-step sessions at once (two pages each).
 */
const PAGE_BYTES = 32 * 1024;
/**
 * A windowed session reads this many windows per page, up to MAX_WINDOWED_PAGE_BYTES: one read
 * per window made the thread-pool trips (a hand-off and a wake-up each) about a seventh of the
 * server's CPU at 1468 x 32; four per read cut the server's CPU per MB by 10-20 %.
 */
const WINDOWS_PER_PAGE = 4;
const MAX_WINDOWED_PAGE_BYTES = 256 * 1024;
/** ...but at least this many blocks, so large blocks still come a few per read. */
const MIN_PAGE_BLOCKS = 8;
/** libuv caps readv at IOV_MAX (1024) buffers. */
const MAX_PAGE_BLOCKS = 1024;
/**
 * Roomy pages: each read is a trip through the thread pool, which costs ~45 us of CPU on a small
 * VM (a wake-up and a hand-off each way), more than copying 64 KiB: with 32 KiB pages, reads
 * cost ~1.4 ms/MB, a sixth of the server's CPU on a 1468 lock-step download, a third at 8192.
 * 256 KiB pages cut that to ~0.2 ms/MB.
 */
const ROOMY_PAGE_BYTES = 256 * 1024;
/**
 * Sessions on one thread get roomy pages while the pages lent there (page-pool.ts) stay within
 * this: about 8 downloads at once. The next ones get the small pages above until some end.
 */
export const ROOMY_BUDGET_BYTES = 4 * 1024 * 1024;

interface Page {
  buf: Buffer;
  /** first block in this page; 0 = empty */
  first: number;
  /** blocks loaded */
  count: number;
  payloads: Buffer[];
  packets: Buffer[];
  loading: boolean;
}

/**
 * Blocks per page: at least a window, PAGE_BYTES and MIN_PAGE_BLOCKS; a few windows if windowed;
 * ROOMY_PAGE_BYTES (or a window, if larger) when `roomy`.
 */
export function pageBlocks(blksize: number, windowsize: number, roomy = false): number {
  const windowBytes = windowsize * blksize;
  const target = roomy
    ? ROOMY_PAGE_BYTES
    : windowsize > 1
      ? Math.max(PAGE_BYTES, Math.min(WINDOWS_PER_PAGE * windowBytes, MAX_WINDOWED_PAGE_BYTES))
      : PAGE_BYTES;
  return Math.min(MAX_PAGE_BLOCKS, Math.max(windowsize, MIN_PAGE_BLOCKS, Math.ceil(target / blksize)));
}

/**
 * The page geometry for a new session on this thread: roomy while the thread's pages stay within
 * ROOMY_BUDGET_BYTES, small otherwise. A file that fits in two small pages keeps them (roomy
 * pages would only be more memory to clear).
 */
export function pageBlocksFor(blksize: number, windowsize: number, fileSize: number): number {
  const small = pageBlocks(blksize, windowsize);
  if (fileSize < 2 * small * blksize) return small;
  const roomy = pageBlocks(blksize, windowsize, true);
  const roomyBytes = 2 * roomy * (blksize + 4);
  return lentPageBytes() + roomyBytes <= ROOMY_BUDGET_BYTES ? roomy : small;
}

export class FileChangedError extends Error {
  constructor() {
    super('file changed during transfer');
  }
}

export class BlockReader {
  private readonly pages: [Page, Page];
  private readonly blocksPerPage: number;
  private nextToLoad = 1;
  private finalSeq: number | undefined;
  private finalPacket: Buffer | undefined;
  private closed = false;
  private loadInFlight = false;
  /** netascii: converted bytes not yet placed in a block */
  private carry: Buffer = Buffer.alloc(0);
  private fileOffset = 0;
  private fileEof = false;
  /**
   * The SHA-256 of the blocks as they are read, when nobody hashes the file itself: netascii (the
   * bytes sent are converted ones) and octet transfers without a file digest (file-digests.ts).
   */
  private readonly hash: Hash | undefined;

  constructor(
    private readonly handle: FileHandle,
    private readonly blksize: number,
    windowsize: number,
    /** file size from fstat; for netascii the converted size is discovered while reading */
    private readonly fileSize: number,
    private readonly netascii: boolean,
    private readonly onReady: () => void,
    private readonly onError: (err: unknown) => void,
    hashBlocks = true,
  ) {
    this.hash = hashBlocks ? createHash('sha256') : undefined;
    this.blocksPerPage = pageBlocksFor(blksize, windowsize, fileSize);
    this.pages = [this.makePage(), this.makePage()];
    if (!netascii) this.finalSeq = Math.floor(fileSize / blksize) + 1;
  }

  private makePage(): Page {
    const slot = this.blksize + 4;
    const buf = takePage(this.blocksPerPage * slot);
    const payloads: Buffer[] = [];
    const packets: Buffer[] = [];
    for (let i = 0; i < this.blocksPerPage; i++) {
      packets.push(buf.subarray(i * slot, (i + 1) * slot));
      payloads.push(buf.subarray(i * slot + 4, (i + 1) * slot));
    }
    return { buf, first: 0, count: 0, payloads, packets, loading: false };
  }

  /** The hash of the blocks read (call once, after the last block); '' when blocks are not hashed. */
  blocksDigest(): string {
    return this.hash ? this.hash.digest('hex') : '';
  }

  get lastSeq(): number | undefined {
    return this.finalSeq;
  }

  has(seq: number): boolean {
    return this.pageOf(seq) !== undefined;
  }

  /** The DATA packet of a loaded block (header included). */
  packet(seq: number): Buffer {
    if (seq === this.finalSeq && this.finalPacket) return this.finalPacket;
    const page = this.pageOf(seq) as Page;
    return page.packets[seq - page.first] as Buffer;
  }

  private pageOf(seq: number): Page | undefined {
    for (const p of this.pages) if (p.count > 0 && seq >= p.first && seq < p.first + p.count) return p;
    return undefined;
  }

  /** Starts loading; onReady fires each time new blocks are available. */
  start(): void {
    this.fill();
  }

  /** Blocks up to seq are acknowledged: pages wholly below seq are refilled with what comes next. */
  release(seq: number): void {
    for (const p of this.pages) {
      if (p.count > 0 && !p.loading && p.first + p.count - 1 <= seq && p.count === this.blocksPerPage)
        p.count = 0;
    }
    this.fill();
  }

  /** No more reads; the pages go back to the pool once no read is filling one. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (!this.loadInFlight) this.returnPages();
  }

  private returnPages(): void {
    for (const p of this.pages) returnPage(p.buf);
  }

  /** Loads the next page into a free one. One load at a time: pages fill (and hash) in order. */
  private fill(): void {
    if (this.closed || this.loadInFlight || (this.finalSeq !== undefined && this.nextToLoad > this.finalSeq))
      return;
    const page = this.pages.find((p) => p.count === 0 && !p.loading);
    if (!page) return;
    this.loadInFlight = true;
    page.loading = true;
    page.first = this.nextToLoad;
    const load = this.netascii ? this.loadNetascii(page) : this.loadOctet(page);
    load.then(
      (count) => {
        page.loading = false;
        this.loadInFlight = false;
        if (this.closed) return this.returnPages();
        page.count = count;
        this.nextToLoad = page.first + count;
        this.onReady();
        this.fill();
      },
      (err: unknown) => {
        page.loading = false;
        this.loadInFlight = false;
        if (this.closed) this.returnPages();
        else this.onError(err);
      },
    );
  }

  private async loadOctet(page: Page): Promise<number> {
    const bs = this.blksize;
    const startOffset = (page.first - 1) * bs;
    const final = this.finalSeq as number;
    const blocks = Math.min(this.blocksPerPage, final - page.first + 1);
    const want = Math.min(blocks * bs, this.fileSize - startOffset);
    let got = 0;
    while (got < want) {
      const firstBlock = Math.floor(got / bs);
      const views = page.payloads.slice(firstBlock, blocks);
      if (got % bs !== 0) views[0] = (views[0] as Buffer).subarray(got % bs);
      const { bytesRead } = await this.handle.readv(views, startOffset + got);
      if (bytesRead === 0) throw new FileChangedError();
      got += Math.min(bytesRead, want - got);
    }
    for (let i = 0; i < blocks; i++) writeDataHeader(page.packets[i] as Buffer, page.first + i);
    const lastInPage = page.first + blocks - 1;
    const finalLen = this.fileSize - (final - 1) * bs;
    if (lastInPage === final)
      this.finalPacket = (page.packets[blocks - 1] as Buffer).subarray(0, 4 + finalLen);
    if (this.hash) {
      for (let i = 0; i < blocks; i++) {
        const payload = page.payloads[i] as Buffer;
        this.hash.update(page.first + i === final ? payload.subarray(0, finalLen) : payload);
      }
    }
    return blocks;
  }

  private async loadNetascii(page: Page): Promise<number> {
    const bs = this.blksize;
    let count = 0;
    while (count < this.blocksPerPage) {
      while (this.carry.length < bs && !this.fileEof) {
        const chunk = Buffer.allocUnsafe(PAGE_BYTES);
        const { bytesRead } = await this.handle.read(chunk, 0, chunk.length, this.fileOffset);
        if (bytesRead === 0) this.fileEof = true;
        this.fileOffset += bytesRead;
        this.carry = Buffer.concat([this.carry, encodeNetascii(chunk.subarray(0, bytesRead))]);
      }
      const len = Math.min(bs, this.carry.length);
      const seq = page.first + count;
      const packet = page.packets[count] as Buffer;
      writeDataHeader(packet, seq);
      this.carry.copy(packet, 4, 0, len);
      this.carry = this.carry.subarray(len);
      this.hash?.update(packet.subarray(4, 4 + len));
      count++;
      if (len < bs) {
        this.finalSeq = seq;
        this.finalPacket = packet.subarray(0, 4 + len);
        break;
      }
    }
    return count;
  }
}
