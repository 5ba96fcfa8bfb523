// The DHCP service in a child process inside the server's namespace (bundled and started by
// service-process.ts): every event goes to stdout as a JSON line; commands come in on stdin, one
// JSON line each, and are answered with their id. The end of stdin stops the service and exits.
import { createInterface } from 'node:readline';
import { createDhcpService, type DhcpServiceOptions } from '../../../electron/dhcp/index.js';

export type RunnerCommand = { id: number; cmd: 'start' | 'stop' | 'leases' | 'state' | 'memory' };
export type RunnerLine =
  | { t: 'event'; event: unknown }
  | { t: 'reply'; id: number; value: unknown }
  | { t: 'fatal'; message: string };

function out(line: RunnerLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

const options = JSON.parse(process.argv[2] ?? '{}') as DhcpServiceOptions;
const service = createDhcpService(options);
service.onEvent((event) => out({ t: 'event', event }));

async function answer(command: RunnerCommand): Promise<unknown> {
  switch (command.cmd) {
    case 'start':
      return service.start();
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
  void service.stop().then(() => process.exit(0));
});
process.on('uncaughtException', (err) => {
  out({ t: 'fatal', message: err.stack ?? err.message });
  process.exit(70);
});
