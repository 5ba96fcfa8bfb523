// `tftp-desk serve` as a child process: its output line by line, waiting for a line, and a stop
// that always ends the process (SIGTERM, then SIGKILL after a grace period).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killGroup, onLines, runProcess } from './run-process.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BUILT_CLI = join(REPO_ROOT, 'dist-electron/electron/cli/cli.js');

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliProcess {
  readonly child: ChildProcess;
  readonly stdout: string[];
  readonly stderr: string[];
  /** resolves with the first line (present or future) of the stream that matches */
  waitForLine(pattern: RegExp, stream?: 'stdout' | 'stderr', timeoutMs?: number): Promise<string>;
  readonly exited: Promise<Exit>;
  /** sends `signal`; SIGKILL if the process is still there after graceMs */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<Exit>;
}

export function spawnCli(args: readonly string[]): CliProcess {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin/tftp-desk.js'), ...args], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = { stdout: [] as string[], stderr: [] as string[] };
  const waiters: { stream: 'stdout' | 'stderr'; pattern: RegExp; resolve: (line: string) => void }[] = [];
  for (const stream of ['stdout', 'stderr'] as const) {
    onLines(child[stream], (line) => {
      lines[stream].push(line);
      for (const w of waiters.filter((x) => x.stream === stream && x.pattern.test(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    });
  }
  const exited = new Promise<Exit>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    stdout: lines.stdout,
    stderr: lines.stderr,
    exited,
    waitForLine(pattern, stream = 'stdout', timeoutMs = 10_000) {
      const seen = lines[stream].find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `no ${stream} line matching ${pattern} within ${timeoutMs} ms; got:\n${lines[stream].join('\n')}`,
            ),
          );
        }, timeoutMs);
        waiters.push({ stream, pattern, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        void exited.then(() => setTimeout(() => reject(new Error(`exited before printing ${pattern}`)), 50));
      });
    },
    async stop(signal = 'SIGTERM', graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      child.kill(signal);
      const timer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), graceMs);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(full));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/** Compiles the engine (`npm run build:engine`) when dist-electron is missing or older than the sources. */
export async function ensureEngineBuilt(): Promise<void> {
  const sources = Math.max(newestMtime(join(REPO_ROOT, 'electron')), newestMtime(join(REPO_ROOT, 'shared')));
  if (existsSync(BUILT_CLI) && statSync(BUILT_CLI).mtimeMs >= sources) return;
  const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  const r = await runProcess(process.execPath, [tsc, '-p', 'tsconfig.electron.json'], {
    cwd: REPO_ROOT,
    timeoutMs: 120_000,
  });
  // tsc still emits when some other file has a type error; only a missing output is fatal here.
  if (!existsSync(BUILT_CLI)) throw new Error(`could not build the engine:\n${r.stdout}${r.stderr}`);
}

/** A line of a JavaScript stack trace: what a user must never see from the CLI. */
export const STACK_LINE = /^\s+at .+[(:]\d+/m;

/**
 * The `tftp-desk serve` children of one test file. Call `stopAll` in `afterEach`: a test that fails
 * half-way still leaves no server running into the next one.
 */
export class ServeProcesses {
  private readonly live: CliProcess[] = [];

  serve(args: readonly string[]): CliProcess {
    const cli = spawnCli(['serve', ...args]);
    this.live.push(cli);
    return cli;
  }

  /** Serves `root` on 127.0.0.1:`port` with JSON events, plus `extra` flags; resolves once listening. */
  async serveJson(root: string, port: number, extra: readonly string[] = []): Promise<CliProcess> {
    const cli = this.serve([
      '--root',
      root,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--json',
      ...extra,
    ]);
    await cli.waitForLine(/"state":"listening"/);
    return cli;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.live.splice(0).map((cli) => cli.stop('SIGKILL', 1000)));
  }
}
