// `tftp-desk serve --json` as a child process run through a prefix command: `ip netns exec NS`
// (inside a network namespace) or `setpriv --reuid ...` (as an unprivileged user). The shared
// cli-process helper starts the CLI directly; these cases need the process wrapped.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/cli-process.js';
import { killGroup, onLines } from '../../helpers/run-process.js';

export interface ServerProcess {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** resolves with the exit code once the process has ended */
  readonly exited: Promise<number | null>;
  /** waits for the listening state (rejects when the process exits first or after timeoutMs) */
  listening(timeoutMs?: number): Promise<void>;
  /** SIGTERM, then SIGKILL after graceMs */
  stop(graceMs?: number): Promise<number | null>;
  kill(): Promise<number | null>;
}

export function spawnServer(prefix: readonly string[], args: readonly string[]): ServerProcess {
  const cli = [process.execPath, join(REPO_ROOT, 'bin/tftp-desk.js'), 'serve', '--json', ...args];
  const [command, ...rest] = [...prefix, ...cli] as [string, ...string[]];
  const child = spawn(command, rest, { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout: string[] = [];
  const stderr: string[] = [];
  onLines(child.stdout, (line) => stdout.push(line));
  onLines(child.stderr, (line) => stderr.push(line));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let done = false;
  void exited.then(() => (done = true));
  const server: ServerProcess = {
    child,
    stdout,
    stderr,
    exited,
    async listening(timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      while (!stdout.some((l) => l.includes('"state":"listening"'))) {
        if (done) throw new Error(`the server exited: ${stderr.join('\n')}`);
        if (Date.now() > end) throw new Error(`the server did not start: ${stderr.join('\n')}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    async stop(graceMs = 5000) {
      if (done) return exited;
      killGroup(child.pid, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
    async kill() {
      if (!done) killGroup(child.pid, 'SIGKILL');
      return exited;
    },
  };
  return server;
}
