// Server-side cost read from /proc: CPU time and resident memory of a server process plus the
// processes it forks. tftpd-hpa handles each transfer in a forked child and ignores SIGCHLD with
// SA_NOCLDWAIT, so its children are reaped by the kernel and never show up in the parent's
// cutime/cstime. The only honest view of them is to watch each child while it lives: CpuMeter polls
// the children every 10 ms and keeps the last utime+stime it saw, which undercounts a child by the
// CPU it spends after the last poll (at most one poll interval, well under 1% of a 32 MiB transfer).
// Threads (atftpd, Node's worker pool) are included by /proc/<pid>/stat itself, exited ones too.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();
export const TICK_MS = 1000 / CLK_TCK;

function read(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** utime + stime of one process in clock ticks (exited threads included), or undefined if gone. */
export function cpuTicks(pid) {
  const stat = read(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  // comm may contain spaces and parentheses: the fields start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Direct children of a process (of its main thread: none of our servers forks from another thread). */
export function childrenOf(pid) {
  const text = read(`/proc/${pid}/task/${pid}/children`) ?? '';
  return text.split(' ').filter(Boolean).map(Number);
}

/** The process and its descendants, two levels deep (server -> transfer child -> anything it runs). */
export function processTree(pid) {
  const kids = childrenOf(pid);
  return [pid, ...kids, ...kids.flatMap(childrenOf)];
}

export function rssKiB(pid) {
  const match = /^VmRSS:\s+(\d+) kB/m.exec(read(`/proc/${pid}/status`) ?? '');
  return match ? Number(match[1]) : 0;
}

/** Summed VmRSS of the tree: for forking servers this counts shared pages once per process. */
export function treeRssKiB(pid) {
  return processTree(pid).reduce((sum, p) => sum + rssKiB(p), 0);
}

export class CpuMeter {
  constructor(pid, intervalMs = 10) {
    this.pid = pid;
    this.startTicks = cpuTicks(pid) ?? 0;
    this.seen = new Map();
    // Children that already exist (a lingering transfer) only count from now on.
    for (const child of processTree(pid).slice(1)) {
      const ticks = cpuTicks(child) ?? 0;
      this.seen.set(child, { base: ticks, last: ticks });
    }
    this.timer = setInterval(() => this.poll(), intervalMs);
  }

  poll() {
    for (const child of processTree(this.pid).slice(1)) {
      const ticks = cpuTicks(child);
      if (ticks === undefined) continue;
      const entry = this.seen.get(child);
      if (entry) entry.last = ticks;
      else this.seen.set(child, { base: 0, last: ticks });
    }
  }

  /** Waits (bounded) for transfer children to exit, then returns server CPU ms over the interval. */
  async stop(maxWaitMs = 2000) {
    const until = Date.now() + maxWaitMs;
    while (processTree(this.pid).length > 1 && Date.now() < until) {
      this.poll();
      await sleep(5);
    }
    this.poll();
    clearInterval(this.timer);
    const own = (cpuTicks(this.pid) ?? this.startTicks) - this.startTicks;
    let kids = 0;
    for (const { base, last } of this.seen.values()) kids += last - base;
    return (own + kids) * TICK_MS;
  }
}

/** Samples the tree's summed VmRSS every `intervalMs` and keeps the peak. */
export class RssSampler {
  constructor(pid, intervalMs = 50) {
    this.pid = pid;
    this.idleKiB = treeRssKiB(pid);
    this.peakKiB = this.idleKiB;
    this.samples = 1;
    this.timer = setInterval(() => {
      this.peakKiB = Math.max(this.peakKiB, treeRssKiB(pid));
      this.samples++;
    }, intervalMs);
  }

  stop() {
    clearInterval(this.timer);
    this.peakKiB = Math.max(this.peakKiB, treeRssKiB(this.pid));
    return { idleKiB: this.idleKiB, peakKiB: this.peakKiB, samples: this.samples };
  }
}
