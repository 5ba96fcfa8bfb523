// The page's own work, from a Chromium trace: each task on the renderer's main thread with its
// wall time and its thread (CPU) time. A long task by the clock alone (the Long Tasks API) also
// counts the time the thread waited for a CPU, which on a two-core machine serving 100 clients is
// most of it (a task of 6 ms of work measured 84 ms): the CPU time is what the page itself costs.
import type { Browser, Page } from '@playwright/test';

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

export interface RendererTasks {
  /** tasks run on the renderer's main thread while tracing */
  count: number;
  /** tasks that carried a thread time */
  timed: number;
  /** the longest task's CPU time, ms */
  longestCpuMs: number;
  /** the longest task's wall time, ms */
  longestWallMs: number;
}

/** Runs `work` with the page traced and returns what its main thread's tasks cost. */
export async function measureRendererTasks(
  browser: Browser,
  page: Page,
  work: () => Promise<void>,
): Promise<RendererTasks> {
  await browser.startTracing(page, { categories: ['toplevel'] });
  const error: unknown = await work().then(
    () => undefined,
    (err: unknown) => err ?? new Error('work failed'),
  );
  const trace = await browser.stopTracing();
  if (error !== undefined) throw error;
  const events = (JSON.parse(trace.toString()) as { traceEvents: TraceEvent[] }).traceEvents;
  const mainThreads = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map((e) => `${e.pid}:${e.tid}`),
  );
  // Top-level tasks only: everything else on the thread runs inside one of them.
  const tasks = events.filter(
    (e) => e.ph === 'X' && e.name === 'ThreadControllerImpl::RunTask' && mainThreads.has(`${e.pid}:${e.tid}`),
  );
  const ms = (us: number | undefined) => (us ?? 0) / 1000;
  return {
    count: tasks.length,
    timed: tasks.filter((e) => e.tdur !== undefined).length,
    longestCpuMs: Math.max(0, ...tasks.map((e) => ms(e.tdur))),
    longestWallMs: Math.max(0, ...tasks.map((e) => ms(e.dur))),
  };
}
