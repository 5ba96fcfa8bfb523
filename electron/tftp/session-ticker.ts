// One interval drives the retransmission timers and progress reports of every session on a
// thread: a timer per session per packet would cost more than the packets themselves.
import type { Transfer } from './transfer.js';

/** How often session timers are checked: the floor of retransmission timing. */
export const TICK_MS = 4;
/** Progress events per session at most every this often (~10 per second, never per packet). */
export const PROGRESS_MS = 100;

export class SessionTicker {
  private timer: NodeJS.Timeout | undefined;
  private lastProgress = 0;

  constructor(
    private readonly sessions: () => Iterable<Transfer>,
    private readonly now: () => number,
  ) {}

  start(): void {
    if (!this.timer) this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private tick(): void {
    const now = this.now();
    const progress = now - this.lastProgress >= PROGRESS_MS;
    if (progress) this.lastProgress = now;
    for (const s of this.sessions()) {
      s.guard(() => {
        s.tick(now);
        if (progress) s.reportProgress(now);
      });
    }
  }
}
