// `tftp-desk put|get`: runs one client transfer and returns the exit status (transfer-output.ts
// lists them). Ctrl-C cancels cleanly: the server is told, and a get leaves no partial file.
import { performance } from 'node:perf_hooks';
import type { ClientTransferResult } from '../../shared/tftp-client.js';
import { isTftpClientError, tftpGet, tftpPut } from '../tftp/index.js';
import { printable } from './cli-output.js';
import type { TransferCommand } from './transfer-args.js';
import {
  errorJson,
  EXIT,
  exitCodeFor,
  formatError,
  formatProgress,
  formatSummary,
  hostPortText,
  resultJson,
} from './transfer-output.js';

export interface TransferIo {
  out(line: string): void;
  err(line: string): void;
  /** a terminal on stderr: the progress line is drawn there */
  progress?: { write(text: string): void };
}

export async function runTransfer(cmd: TransferCommand, io: TransferIo): Promise<number> {
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.on('SIGINT', onSigint);
  const started = performance.now();
  let drawn = false;
  const progress = cmd.json ? undefined : io.progress;
  const clearLine = () => {
    if (drawn) progress?.write('\r\x1b[2K');
    drawn = false;
  };
  const { options } = cmd;
  if (options.waitSeconds !== undefined && options.waitSeconds > 0 && !cmd.json) {
    io.err(
      `waiting up to ${options.waitSeconds} s for ${hostPortText(options.host, options.port ?? 69)} to answer...`,
    );
  }
  try {
    const run = cmd.direction === 'put' ? tftpPut : tftpGet;
    const result: ClientTransferResult = await run({
      ...options,
      signal: controller.signal,
      onProgress: progress
        ? (p) => {
            progress.write(`\r\x1b[2K${formatProgress(p, performance.now() - started)}`);
            drawn = true;
          }
        : undefined,
    });
    clearLine();
    io.out(cmd.json ? resultJson(result) : formatSummary(result));
    return EXIT.ok;
  } catch (err) {
    clearLine();
    if (!isTftpClientError(err)) {
      io.err(
        `tftp-desk: ${cmd.direction} failed unexpectedly: ${printable(String((err as Error)?.message ?? err))}`,
      );
      return EXIT.internal;
    }
    const e = err;
    if (cmd.json) io.out(errorJson(cmd.direction, e));
    else io.err(formatError(cmd.direction, e));
    return exitCodeFor(e.code);
  } finally {
    process.off('SIGINT', onSigint);
  }
}
