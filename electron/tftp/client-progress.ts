// Progress reports for a client transfer, at most ten a second (a transfer moves thousands of
// blocks a second; a terminal or a UI needs a few updates), and always the final one.
import { performance } from 'node:perf_hooks';
import type { ClientProgress } from '../../shared/tftp-client.js';

const INTERVAL_MS = 100;

export function progressThrottle(
  listener: ((p: ClientProgress) => void) | undefined,
): (p: ClientProgress, final?: boolean) => void {
  let last = -Infinity;
  return (p, final = false) => {
    if (listener === undefined) return;
    const now = performance.now();
    if (!final && now - last < INTERVAL_MS) return;
    last = now;
    listener(p);
  };
}
