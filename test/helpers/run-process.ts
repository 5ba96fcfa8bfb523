// Runs a command with a deadline. Every client run in the test suites goes through here, so no
// client can hang a test run: on timeout the whole process group is killed.
import { spawn, spawnSync } from 'node:child_process';

export interface ProcessResult {
  /** exit code, or null when killed by a signal */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  durationMs: number;
}

export interface RunOptions {
  timeoutMs?: number;
  cwd?: string;
  /** written to stdin, which is then closed */
  input?: string;
}

const OUTPUT_LIMIT = 64 * 1024;

export function runProcess(
  command: string,
  args: readonly string[],
  options: RunOptions = {},
): Promise<ProcessResult> {
  const { timeoutMs = 20_000, cwd, input } = options;
  const started = Date.now();
  return new Promise((resolve) => {
    // detached: the child leads its own process group, so a timeout can kill it with its children.
    const child = spawn(command, args, { cwd, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (stdout = (stdout + d.toString('latin1')).slice(-OUTPUT_LIMIT)));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString('latin1')).slice(-OUTPUT_LIMIT)));
    child.stdin.on('error', () => undefined); // the client may exit before reading stdin
    child.stdin.end(input ?? '');
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGKILL');
    }, timeoutMs);
    const done = (code: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut, durationMs: Date.now() - started });
    };
    child.once('error', (err) => {
      stderr += `\n${err.message}`;
      done(127, null);
    });
    child.once('close', done);
  });
}

/** Sends `signal` to the process group led by `pid` (falls back to the process alone). */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

const installed = new Map<string, boolean>();

/** Whether `command` is on the PATH (cached). */
export function isInstalled(command: string): boolean {
  let found = installed.get(command);
  if (found === undefined) {
    found =
      process.platform === 'win32'
        ? spawnSync('where', [command], { stdio: 'ignore' }).status === 0
        : spawnSync('sh', ['-c', `command -v "$1"`, 'sh', command], { stdio: 'ignore' }).status === 0;
    installed.set(command, found);
  }
  return found;
}

/** Calls `fn` with each whole line a child's output stream writes (a partial line waits for its end). */
export function onLines(stream: NodeJS.ReadableStream | null | undefined, fn: (line: string) => void): void {
  let partial = '';
  stream?.on('data', (d: Buffer) => {
    const parts = (partial + d.toString('utf8')).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) fn(line);
  });
}
