// The DHCP service in a child process inside the server's namespace (bundled and started by
// service-process.ts): every event goes to stdout as a JSON line; commands come in on stdin, one
// JSON line each, and are answered with their id. The end of stdin stops the service and exits.
// Given a TFTP root, the TFTP engine runs beside it on port 69, started before DHCP as
// `tftp-desk serve` does, so the boot files DHCP names are there; its events are `tftp` lines.
import { createInterface } from 'node:readline';
import type { DhcpServiceState } from '../../../shared/dhcp.js';
import { ENGINE_DEFAULTS } from '../../../shared/settings.js';
import { createDhcpService, type DhcpServiceOptions } from '../../../electron/dhcp/index.js';
import { createTftpEngine } from '../../../electron/tftp/index.js';

export type RunnerCommand = { id: number; cmd: 'start' | 'stop' | 'leases' | 'state' | 'memory' };
export type RunnerLine =
  | { t: 'event'; event: unknown }
  | { t: 'tftp'; event: unknown }
  | { t: 'reply'; id: number; value: unknown }
  | { t: 'fatal'; message: string };

function out(line: RunnerLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

export type RunnerConfig = DhcpServiceOptions & { tftpRoot?: string };

const { tftpRoot, ...options } = JSON.parse(process.argv[2] ?? '{}') as RunnerConfig;
const service = createDhcpService(options);
service.onEvent((event) => out({ t: 'event', event }));
// One thread: the download threads' script is not part of this bundle.
const tftp =
  tftpRoot === undefined
    ? undefined
    : createTftpEngine({ ...ENGINE_DEFAULTS, root: tftpRoot, port: 69 }, { downloadThreads: 0 });
tftp?.onEvent((event) => out({ t: 'tftp', event }));

async function start(): Promise<DhcpServiceState> {
  if (tftp) {
    const state = await tftp.start();
    if (state.state !== 'listening')
      return { status: 'error', mode: options.settings.mode, message: `TFTP: ${JSON.stringify(state)}` };
  }
  return service.start();
}

async function stopAll(): Promise<void> {
  await service.stop();
  await tftp?.stop();
}

async function answer(command: RunnerCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'start':
      return start();
    case 'stop':
      await service.stop();
      return service.state;
    case 'leases':
      return service.leases();
    case 'state':
      return service.state;
    case 'memory':
      return process.memoryUsage();
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const command = JSON.parse(line) as RunnerCommand;
  answer(command).then(
    (value) => out({ t: 'reply', id: command.id, value }),
    (err: unknown) => out({ t: 'fatal', message: String(err) }),
  );
});
lines.on('close', () => {
  void stopAll().then(() => process.exit(0));
});
process.on('uncaughtException', (err) => {
  out({ t: 'fatal', message: err.stack ?? err.message });
  process.exit(70);
});
