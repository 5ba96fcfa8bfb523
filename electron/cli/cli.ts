// `tftp-desk`: the command line. Parses the command and runs it (serve.ts for `serve`).
import { readFileSync } from 'node:fs';
import { parseCommand, USAGE } from './cli-args.js';
import { serve } from './serve.js';

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

/** Runs the command; resolves with the exit code once the server has stopped. */
export async function main(argv: readonly string[]): Promise<number> {
  const cmd = parseCommand(argv);
  switch (cmd.kind) {
    case 'help':
      stdout(USAGE);
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
