// The app controller (what the desktop app and `serve --ui` run) in a child process inside the
// lab's server namespace (bundled and started by app-process.ts): every pushed event goes to stdout
// as a JSON line; contract calls come in on stdin, one JSON line each, answered with their id. The
// settings live in a real settings file in the data folder, as in the desktop app. The end of stdin
// disposes of the controller and exits.
import { createInterface } from 'node:readline';
import { EVENT_CHANNELS, type TftpInvoke } from '../../../shared/ipc-contract.js';
import { createAppController, type AppController } from '../../../electron/app/controller.js';
import { createConfSettingsStore } from '../../../electron/app/settings-store.js';

export type AppCall = { id: number; method: keyof TftpInvoke; args: unknown[] };
export type AppLine =
  | { t: 'event'; channel: string; payload: unknown }
  | { t: 'reply'; id: number; value?: unknown; error?: string }
  | { t: 'fatal'; message: string };

function out(line: AppLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

const config = JSON.parse(process.argv[2] ?? '{}') as { dataDir: string; rivalCheckMs: number };
const controller: AppController = createAppController({
  settings: createConfSettingsStore({ cwd: config.dataDir }),
  dataDir: config.dataDir,
  dhcpRivalCheckMs: config.rivalCheckMs,
  // these tests never start TFTP
  createEngine: () => {
    throw new Error('no TFTP engine in this test');
  },
  platform: process.platform,
});
for (const channel of EVENT_CHANNELS)
  controller.on(channel, (payload: unknown) => out({ t: 'event', channel, payload }));

const input = createInterface({ input: process.stdin });
input.on('line', (text) => {
  let call: AppCall;
  try {
    call = JSON.parse(text) as AppCall;
  } catch {
    out({ t: 'fatal', message: `not JSON: ${text}` });
    return;
  }
  const method = controller[call.method] as (...args: unknown[]) => Promise<unknown>;
  method(...call.args).then(
    (value) => out({ t: 'reply', id: call.id, value }),
    (error: unknown) => out({ t: 'reply', id: call.id, error: String(error) }),
  );
});
input.on('close', () => {
  void controller.dispose().then(() => process.exit(0));
});
