// Runs one probe command: execFile (no shell, arguments as given), a deadline, bounded output.
// Never throws: a missing command, a timeout or a non-zero exit come back as data, because several
// probes exit non-zero in ordinary cases (lsof finds nothing: 1; firewalld not running: 252).
import { execFile } from 'node:child_process';

export type ExecResult =
  | { kind: 'ran'; code: number; stdout: string; stderr: string }
  | { kind: 'missing'; command: string }
  | { kind: 'timeout'; command: string }
  | { kind: 'failed'; command: string; message: string };

export type Exec = (file: string, args: readonly string[]) => Promise<ExecResult>;

const MAX_OUTPUT = 4 * 1024 * 1024;

export function commandLine(file: string, args: readonly string[]): string {
  return [file, ...args].map((a) => (/[\s"]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

export function createExec(timeoutMs = 5000): Exec {
  return (file, args) =>
    new Promise((resolve) => {
      const command = commandLine(file, args);
      execFile(
        file,
        [...args],
        {
          timeout: timeoutMs,
          maxBuffer: MAX_OUTPUT,
          windowsHide: true,
          encoding: 'utf8',
          env: { ...process.env, LC_ALL: 'C' },
        },
        (error, stdout, stderr) => {
          if (!error) return resolve({ kind: 'ran', code: 0, stdout, stderr });
          const e = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
          if (e.code === 'ENOENT') return resolve({ kind: 'missing', command: file });
          if (e.killed === true || e.code === 'ETIMEDOUT') return resolve({ kind: 'timeout', command });
          if (typeof e.code === 'number') return resolve({ kind: 'ran', code: e.code, stdout, stderr });
          resolve({ kind: 'failed', command, message: e.message.split('\n')[0] ?? 'failed' });
        },
      );
    });
}

/** Why a probe's output cannot be used, in words; undefined when it ran. */
export function whyNot(r: ExecResult): string | undefined {
  switch (r.kind) {
    case 'ran':
      return undefined;
    case 'missing':
      return `${r.command} is not installed here`;
    case 'timeout':
      return `${r.command} did not answer in time`;
    case 'failed':
      return `${r.command} could not run (${r.message})`;
  }
}
