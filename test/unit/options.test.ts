import { describe, expect, it } from 'vitest';
import { MAX_WINDOW_BYTES, negotiate, parseDecimal, requestedOptions } from '../../electron/tftp/options.js';

const limits = { maxBlksize: 1468, maxWindowsize: 64, defaultTimeout: 3 };
const opts = (...pairs: [string, string][]) => pairs.map(([name, value]) => ({ name, value }));

describe('negotiate (RFC 2347/2348/2349/7440)', () => {
  it('grants nothing and sends no OACK without options', () => {
    expect(negotiate({ kind: 'rrq', options: [], readSize: 10 }, limits)).toEqual({
      blksize: 512,
      windowsize: 1,
      timeout: 3,
      oack: [],
    });
  });

  it('sends no OACK when every option is refused', () => {
    const n = negotiate(
      { kind: 'rrq', options: opts(['blksize', '7'], ['foo', '1'], ['timeout', '0']), readSize: 10 },
      limits,
    );
    expect(n.oack).toEqual([]);
    expect(n.blksize).toBe(512);
  });

  it.each([
    ['7', undefined],
    ['0', undefined],
    ['-1', undefined],
    ['8', '8'],
    ['512', '512'],
    ['1468', '1468'],
    ['9000', '1468'], // clamped to the server cap
    ['65464', '1468'],
    ['65465', undefined],
    ['99999999999', undefined],
    ['abc', undefined],
    ['1e3', undefined],
    ['0x200', undefined],
    [' 512', undefined],
    ['512abc', undefined],
  ])('blksize %s -> %s (C1, C2, C4)', (value, granted) => {
    const n = negotiate({ kind: 'rrq', options: opts(['blksize', value]), readSize: 1 }, limits);
    expect(n.oack.find((o) => o.name === 'blksize')?.value).toBe(granted);
  });

  it('uses the first of duplicate options and never lists one twice (C5)', () => {
    const n = negotiate(
      { kind: 'rrq', options: opts(['blksize', '1024'], ['blksize', '8']), readSize: 1 },
      limits,
    );
    expect(n.blksize).toBe(1024);
    expect(n.oack).toEqual(opts(['blksize', '1024']));
  });

  it('reports the real size in tsize for a read, whatever the client sent (C10)', () => {
    const n = negotiate({ kind: 'rrq', options: opts(['tsize', '12345']), readSize: 777 }, limits);
    expect(n.oack).toEqual(opts(['tsize', '777']));
  });

  it('omits tsize for a read whose size is unknown (netascii)', () => {
    expect(negotiate({ kind: 'rrq', options: opts(['tsize', '0']) }, limits).oack).toEqual([]);
  });

  it('echoes the declared size of a write and refuses sizes past 2^53 (C12)', () => {
    expect(negotiate({ kind: 'wrq', options: opts(['tsize', '5000']) }, limits)).toMatchObject({
      tsize: 5000,
      oack: opts(['tsize', '5000']),
    });
    for (const bad of ['99999999999999999999', '-1', '9007199254740993', '']) {
      expect(negotiate({ kind: 'wrq', options: opts(['tsize', bad]) }, limits).tsize).toBeUndefined();
    }
  });

  it('accepts timeout 1..255 only (C9)', () => {
    const t = (v: string) =>
      negotiate({ kind: 'rrq', options: opts(['timeout', v]), readSize: 1 }, limits).oack;
    expect(t('1')).toEqual(opts(['timeout', '1']));
    expect(t('255')).toEqual(opts(['timeout', '255']));
    expect(t('0')).toEqual([]);
    expect(t('256')).toEqual([]);
    expect(t('-5')).toEqual([]);
  });

  it('clamps windowsize to the cap and to the window byte budget (C13, E7)', () => {
    const w = (v: string, blk = '512', lim = limits) =>
      negotiate({ kind: 'rrq', options: opts(['blksize', blk], ['windowsize', v]), readSize: 1 }, lim);
    expect(w('0').oack.find((o) => o.name === 'windowsize')).toBeUndefined();
    expect(w('65536').oack.find((o) => o.name === 'windowsize')).toBeUndefined();
    expect(w('8').windowsize).toBe(8);
    expect(w('1000').windowsize).toBe(64);
    const big = w('65535', '65464', { ...limits, maxBlksize: 65464, maxWindowsize: 65535 });
    expect(big.windowsize).toBe(Math.floor(MAX_WINDOW_BYTES / 65464));
    expect(big.oack.find((o) => o.name === 'windowsize')?.value).toBe(String(big.windowsize));
  });

  it('ignores unknown options and accepts any case of names (C7, C8)', () => {
    const n = negotiate(
      { kind: 'rrq', options: opts(['foo', '1'], ['blksizex', '123'], ['blksize', '1000']), readSize: 1 },
      limits,
    );
    expect(n.oack).toEqual(opts(['blksize', '1000']));
  });

  it('handles the CVE-2021-41054 combination', () => {
    const n = negotiate(
      {
        kind: 'rrq',
        options: opts(['blksize', '8'], ['timeout', '1'], ['tsize', '0'], ['windowsize', '4']),
        readSize: 100,
      },
      limits,
    );
    expect(n).toMatchObject({ blksize: 8, timeout: 1, tsize: 100, windowsize: 4 });
    expect(n.oack.map((o) => o.name)).toEqual(['blksize', 'timeout', 'tsize', 'windowsize']);
  });
});

describe('parseDecimal', () => {
  it('is strict and exact', () => {
    expect(parseDecimal('0')).toBe(0);
    expect(parseDecimal('9007199254740991')).toBe(9007199254740991);
    expect(parseDecimal('9007199254740992')).toBeUndefined();
    expect(parseDecimal('+1')).toBeUndefined();
    expect(parseDecimal('1.0')).toBeUndefined();
  });
});

describe('requestedOptions (what a refused request asked for)', () => {
  it('reports the values asked, past the server limits and the window byte cap', () => {
    const asked = opts(['blksize', '65464'], ['windowsize', '512'], ['timeout', '9'], ['tsize', '0']);
    expect(requestedOptions({ kind: 'rrq', options: asked }, 3)).toEqual({
      blksize: 65464,
      windowsize: 512,
      timeout: 9,
    });
  });

  it("reports an upload's declared size, and the defaults for what was not asked", () => {
    expect(requestedOptions({ kind: 'wrq', options: opts(['tsize', '4096']) }, 5)).toEqual({
      blksize: 512,
      windowsize: 1,
      timeout: 5,
      tsize: 4096,
    });
  });

  it('reads the options as negotiation does: first value wins, invalid ones are left out', () => {
    const asked = opts(['blksize', '7'], ['windowsize', '0x10'], ['timeout', '2'], ['timeout', '30']);
    expect(requestedOptions({ kind: 'rrq', options: asked }, 3)).toEqual({
      blksize: 512,
      windowsize: 1,
      timeout: 2,
    });
  });
});
