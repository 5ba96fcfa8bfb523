// `tftp-desk`: the command line. Parses the command and runs it (serve.ts for `serve`, transfer.ts
// for `put` and `get`).
import { readFileSync } from 'node:fs';
import { parseCommand, USAGE } from './cli-args.js';
import { serve } from './serve.js';
import { runTransfer } from './transfer.js';
import { parseTransferCommand, TRANSFER_USAGE } from './transfer-args.js';

function version(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
      version: string;
    };
    return pkg.version;
  } catch {
    return 'unknown';
  }
}

const stdout = (line: string) => process.stdout.write(`${line}\n`);
const stderr = (line: string) => process.stderr.write(`${line}\n`);

/** `put` and `get`: one transfer, its own flags and exit codes. */
async function transfer(argv: readonly string[]): Promise<number> {
  const parsed = parseTransferCommand(argv);
  switch (parsed.kind) {
    case 'help':
      stdout(TRANSFER_USAGE);
      return 0;
    case 'error':
      stderr(`tftp-desk: ${parsed.message}\n\nRun "tftp-desk ${argv[0]} --help" for the options.`);
      return 2;
    case 'transfer':
      return runTransfer(parsed.command, {
        out: stdout,
        err: stderr,
        progress: process.stderr.isTTY ? { write: (text) => process.stderr.write(text) } : undefined,
      });
  }
}

/** Runs the command; resolves with the exit code once the server has stopped or the transfer ended. */
export async function main(argv: readonly string[]): Promise<number> {
  if (argv[0] === 'put' || argv[0] === 'get') return transfer(argv);
  const cmd = parseCommand(argv);
  switch (cmd.kind) {
    case 'help':
      stdout(`${USAGE}\n${TRANSFER_USAGE}`);
      return 0;
    case 'version':
      stdout(version());
      return 0;
    case 'error':
      stderr(`tftp-desk: ${cmd.message}\n\nRun "tftp-desk --help" for the options.`);
      return 2;
    case 'serve':
      return serve(cmd.options, { out: stdout, err: stderr });
  }
}
