// The clock and timer the app's periodic work runs on; tests pass a manual one.

export interface Timer {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimer: Timer = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    // periodic UI work must never keep a CLI process alive on its own
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Paces a flush to at most once an interval: `schedule()` after new work runs the flush as soon as
 * the interval since the last delivered flush allows. A flush that runs directly (before a state
 * change, say) calls `cancel()` so the pending one does not run twice, and `flushed()` when it
 * delivered something, so the next waits a whole interval from then.
 */
export class FlushPacer {
  private handle: unknown = null;
  private last = -Infinity;
  private stopped = false;

  constructor(
    private readonly timer: Timer,
    private readonly intervalMs: number,
    private readonly flush: () => void,
  ) {}

  schedule(): void {
    if (this.handle !== null || this.stopped) return;
    const delay = Math.max(0, this.last + this.intervalMs - this.timer.now());
    this.handle = this.timer.setTimeout(() => {
      this.handle = null;
      this.flush();
    }, delay);
  }

  cancel(): void {
    if (this.handle === null) return;
    this.timer.clearTimeout(this.handle);
    this.handle = null;
  }

  flushed(): void {
    this.last = this.timer.now();
  }

  /** no flush is scheduled again */
  dispose(): void {
    this.stopped = true;
    this.cancel();
  }
}
