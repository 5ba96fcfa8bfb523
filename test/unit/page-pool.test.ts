import { describe, expect, it } from 'vitest';
import { idlePageBytes, lentPageBytes, returnPage, takePage } from '../../electron/tftp/page-pool.js';

describe('page pool', () => {
  it('hands a returned page to the next session that needs that size, and only that size', () => {
    const a = takePage(40_000);
    expect(a.length).toBe(40_000);
    const before = idlePageBytes();
    returnPage(a);
    expect(idlePageBytes()).toBe(before + 40_000);
    const other = takePage(30_000);
    expect(other).not.toBe(a);
    expect(takePage(40_000)).toBe(a);
    expect(idlePageBytes()).toBe(before);
  });

  it('keeps at most 16 MiB idle: past that a returned page is left to the collector', () => {
    const pages = Array.from({ length: 20 }, () => takePage(1024 * 1024));
    for (const p of pages) returnPage(p);
    expect(idlePageBytes()).toBeLessThanOrEqual(16 * 1024 * 1024);
    expect(idlePageBytes()).toBeGreaterThan(15 * 1024 * 1024);
    for (let i = 0; i < 20; i++) takePage(1024 * 1024);
    expect(idlePageBytes()).toBeLessThan(1024 * 1024);
  });

  it('counts the bytes lent to live sessions, whether a returned page is kept idle or not', () => {
    const before = lentPageBytes();
    const a = takePage(50_000);
    const b = takePage(70_000);
    expect(lentPageBytes()).toBe(before + 120_000);
    returnPage(a);
    expect(lentPageBytes()).toBe(before + 70_000);
    const held = Array.from({ length: 17 }, () => takePage(1024 * 1024));
    for (const p of held) returnPage(p); // some of them past the idle limit: dropped, still counted back
    returnPage(b);
    expect(lentPageBytes()).toBe(before);
  });
});
