// Every process the bench starts runs in its own process group (detached) and is tracked here, so a
// timeout, an error or Ctrl-C can end the whole group (tftpd-hpa forks one child per transfer)
// and no server or client is left running after the bench exits.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

const live = new Set();
let stopping = false;

function signalGroup(child, signal) {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/** Starts `cmd args` in a new process group, pinned with taskset when `cpus` is given ("0", "1"). */
export function spawnTracked(cmd, args, { cpus, stdio = 'ignore', env } = {}) {
  // Once cleanup has begun, nothing new may start (a restart racing Ctrl-C would outlive the bench).
  if (stopping) throw new Error('bench is stopping');
  const [file, argv] = cpus === undefined ? [cmd, args] : ['taskset', ['-c', cpus, cmd, ...args]];
  const child = spawn(file, argv, { detached: true, stdio, env });
  child.exited = new Promise((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal, error: undefined }));
  });
  if (child.pid !== undefined) {
    live.add(child);
    void child.exited.then(() => live.delete(child));
  }
  return child;
}

/** SIGTERM the group, then SIGKILL whatever is still there after `graceMs`. */
export async function stopGroup(child, graceMs = 2000) {
  if (child.pid === undefined) return;
  signalGroup(child, 'SIGTERM');
  const done = await Promise.race([child.exited.then(() => true), sleep(graceMs).then(() => false)]);
  // Children of a forking server outlive their parent's SIGTERM handling: always sweep the group.
  signalGroup(child, 'SIGKILL');
  if (!done) await child.exited;
}

/**
 * Runs a client to completion or until `timeoutMs`, then kills its group; also kills it at once when
 * `serverGone` settles (a client of a dead server would only wait for its timeout).
 * Wall time covers spawn to exit of the client process: MB/s is what a user of that client sees.
 */
export async function runClient(cmd, args, { cpus, timeoutMs, countPattern, serverGone }) {
  const started = performance.now();
  const child = spawnTracked(cmd, args, { cpus, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let counted = 0;
  let partial = '';
  child.stderr?.on('data', (chunk) => {
    const text = chunk.toString();
    stderr = (stderr + text).slice(-2000);
    if (!countPattern) return;
    const lines = (partial + text).split('\n');
    partial = lines.pop() ?? '';
    counted += lines.filter((line) => countPattern.test(line)).length;
  });
  let timedOut = false;
  let serverDied = false;
  const timer = setTimeout(() => {
    timedOut = true;
    signalGroup(child, 'SIGKILL');
  }, timeoutMs);
  void serverGone?.then(() => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    serverDied = true;
    signalGroup(child, 'SIGKILL');
  });
  const { code, signal, error } = await child.exited;
  clearTimeout(timer);
  const wallMs = performance.now() - started;
  if (countPattern?.test(partial)) counted++;
  return { code, signal, error, timedOut, serverDied, wallMs, stderr: stderr.trim(), counted };
}

/** Synchronous last resort for 'exit': SIGKILL every group still tracked. */
export function killAllSync() {
  stopping = true;
  for (const child of live) signalGroup(child, 'SIGKILL');
  live.clear();
}

/** Graceful cleanup for Ctrl-C and errors. */
export async function stopAll() {
  stopping = true;
  await Promise.all([...live].map((child) => stopGroup(child, 1000)));
}
