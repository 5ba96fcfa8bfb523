// The download read-ahead: page geometry, and a real file read through pages of each geometry,
// every DATA packet checked against the file (headers, payloads, the short last block, the hash).
import { open } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BlockReader,
  ROOMY_BUDGET_BYTES,
  pageBlocks,
  pageBlocksFor,
} from '../../electron/tftp/block-reader.js';
import { lentPageBytes, returnPage, takePage } from '../../electron/tftp/page-pool.js';
import { makeTempRoot, randomData, removeTempDirs, sha256 } from '../helpers/files.js';

afterAll(() => removeTempDirs());

describe('page geometry', () => {
  it.each([
    // blksize, windowsize, blocks per page
    [512, 1, 64], // lock-step: 32 KiB
    [1468, 1, 23],
    [8192, 1, 8], // at least 8 blocks
    [65464, 1, 8],
    [1468, 8, 32], // windowed: four windows (47 KB) ...
    [1468, 32, 128],
    [8192, 8, 32],
    [8192, 32, 32], // ... up to 256 KiB, but never less than a window
    [65464, 64, 64],
    [512, 4, 64], // never under the lock-step 32 KiB
    [8, 65535, 1024], // libuv's readv limit
  ])('blksize %i, window %i: %i blocks', (blksize, windowsize, blocks) => {
    expect(pageBlocks(blksize, windowsize)).toBe(blocks);
  });
});

describe('roomy pages while few sessions run', () => {
  it.each([
    // blksize, windowsize, blocks per roomy page (256 KiB, at least a window, at most 1024)
    [512, 1, 512],
    [1468, 1, 179],
    [8192, 1, 32],
    [65464, 1, 8],
    [1468, 8, 179],
    [8192, 64, 64],
    [8, 1, 1024],
  ])('blksize %i, window %i: %i blocks', (blksize, windowsize, blocks) => {
    expect(pageBlocks(blksize, windowsize, true)).toBe(blocks);
  });

  it('a new session gets roomy pages within the thread budget, small ones past it', () => {
    const big = 64 * 1024 * 1024;
    expect(pageBlocksFor(8192, 1, big)).toBe(pageBlocks(8192, 1, true));
    // Other sessions hold nearly the whole budget: two roomy pages no longer fit.
    const held = takePage(ROOMY_BUDGET_BYTES - 256 * 1024);
    try {
      expect(pageBlocksFor(8192, 1, big)).toBe(pageBlocks(8192, 1));
      expect(pageBlocksFor(1468, 8, big)).toBe(pageBlocks(1468, 8));
    } finally {
      returnPage(held);
    }
    expect(pageBlocksFor(8192, 1, big)).toBe(pageBlocks(8192, 1, true));
  });

  it('a file that fits in two small pages keeps the small ones', () => {
    expect(pageBlocksFor(1468, 1, 2 * 23 * 1468 - 1)).toBe(23);
    expect(pageBlocksFor(1468, 1, 2 * 23 * 1468)).toBe(179);
  });
});

describe('BlockReader on a real file', () => {
  const data = randomData(1468 * 300 + 77);
  const root = makeTempRoot({ 'f.bin': data });

  /** Reads f.bin as a session would: takes what is loaded, then acknowledges it. */
  async function readAll(
    bs: number,
    w: number,
    hashBlocks = true,
  ): Promise<{ payloads: Buffer[]; hash: string }> {
    const handle = await open(root.file('f.bin'));
    const last = Math.floor(data.length / bs) + 1;
    const payloads: Buffer[] = [];
    try {
      const reader = await new Promise<BlockReader>((resolve, reject) => {
        let next = 1;
        const r: BlockReader = new BlockReader(
          handle,
          bs,
          w,
          data.length,
          false,
          () => {
            while (next <= last && r.has(next)) {
              const p = Buffer.from(r.packet(next));
              if (p.readUInt16BE(0) !== 3 || p.readUInt16BE(2) !== (next & 0xffff)) {
                reject(new Error(`block ${next}: bad header ${p.subarray(0, 4).toString('hex')}`));
              }
              payloads.push(p.subarray(4));
              next++;
            }
            if (next > last) resolve(r);
            else r.release(next - 1);
          },
          reject,
          hashBlocks,
        );
        r.start();
      });
      reader.close();
      return { payloads, hash: reader.blocksDigest() };
    } finally {
      await handle.close();
    }
  }

  it.each([
    [1468, 1],
    [1468, 32],
    [512, 8],
  ])('blksize %i, window %i: every packet is the file, in order; the hash is the file', async (bs, w) => {
    const { payloads, hash } = await readAll(bs, w);
    expect(Buffer.concat(payloads).equals(data)).toBe(true);
    expect(payloads.at(-1)?.length).toBe(data.length % bs);
    expect(hash).toBe(sha256(data));
  });

  it('past the roomy budget (small pages): the same packets; closed, its pages go back', async () => {
    const lent = lentPageBytes();
    const held = takePage(ROOMY_BUDGET_BYTES);
    try {
      const { payloads, hash } = await readAll(1468, 1);
      expect(Buffer.concat(payloads).equals(data)).toBe(true);
      expect(hash).toBe(sha256(data));
    } finally {
      returnPage(held);
    }
    expect(lentPageBytes()).toBe(lent);
  });

  it('with the file hashed elsewhere (file-digests.ts): the same packets, no hash of its own', async () => {
    const { payloads, hash } = await readAll(1468, 8, false);
    expect(Buffer.concat(payloads).equals(data)).toBe(true);
    expect(hash).toBe('');
  });
});
