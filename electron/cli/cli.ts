// `tftp-desk serve`: the engine, headless. Prints `listening on ADDR:PORT` once ready, a line per
// transfer start and end (or NDJSON events with --json), and stops cleanly on SIGINT/SIGTERM:
// transfers aborted with ERROR 0, upload temporary files removed, ports released.
import { readFileSync } from 'node:fs';
import type { EngineEvent } from '../../shared/events.js';
import { createTftpEngine, type TftpEngine } from '../tftp/index.js';
import { parseCommand, USAGE, type ServeOptions } from './cli-args.js';
import { HumanPrinter } from './cli-output.js';

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
      return serve(cmd.options);
  }
}

async function serve(opts: ServeOptions): Promise<number> {
  // Last resort: a bug in one code path is reported and the server keeps serving the others.
  process.on('uncaughtException', (err) => stderr(`tftp-desk: internal error: ${err.message}`));
  process.on('unhandledRejection', (err) =>
    stderr(`tftp-desk: internal error: ${(err as Error)?.message ?? String(err)}`),
  );
  const engine = createTftpEngine(
    opts.settings,
    opts.downloadThreads === undefined ? { withUi: opts.ui } : { downloadThreads: opts.downloadThreads },
  );
  const printer = new HumanPrinter(stdout, stderr, opts.verbose);
  const onEvent = opts.json
    ? (e: EngineEvent) => {
        if (e.type !== 'log' || e.level !== 'debug' || opts.verbose) stdout(JSON.stringify(e));
      }
    : (e: EngineEvent) => printer.print(e);
  engine.onEvent(onEvent);
  let ui: { url: string; close(): Promise<void> } | undefined;
  if (opts.ui) {
    // The app controller starts the engine, as the desktop app does.
    try {
      ui = await startBrowserUi(engine, opts);
    } catch (err) {
      stderr(`tftp-desk: could not start the browser UI: ${(err as Error).message}`);
      await engine.stop();
      return 1;
    }
  } else {
    await engine.start();
  }
  // Without a UI a failed start ends the process. With one, the error (printed above) stays on
  // the page, where the user can pick another port or folder and start again.
  if (!ui && engine.state.state === 'error') return 1;
  if (ui) stdout(`UI: ${ui.url}`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      if (!opts.json)
        stderr(
          `${signal}: stopping (aborting ${engine.activeSessions} transfer${engine.activeSessions === 1 ? '' : 's'})`,
        );
      void (async () => {
        await ui?.close();
        await engine.stop();
        resolve(0);
      })();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

/**
 * --ui: the same app controller the desktop app uses, bridged to a browser over a WebSocket.
 * Loaded on demand so the plain server starts without it.
 */
async function startBrowserUi(engine: TftpEngine, opts: ServeOptions) {
  const { startHeadlessUi } = await import('./headless.js');
  return startHeadlessUi({ engine, settings: opts.settings, uiPort: opts.uiPort });
}
