// The pre-flight check as the app controller offers it: the current settings, interfaces and
// server state go in; one check runs at a time (a second call waits for the first's report).
import { peerAddress } from '../../../shared/address-shape.js';
import type { ServerState } from '../../../shared/events.js';
import type { LiveSession, NetInterface } from '../../../shared/ipc-contract.js';
import {
  readPreflightRequest,
  type PreflightReport,
  type PreflightRequest,
} from '../../../shared/preflight.js';
import type { EngineSettings } from '../../../shared/settings.js';
import { runPreflight } from './runner.js';

export interface PreflightHostDeps {
  platform: string;
  settings(): Pick<EngineSettings, 'port' | 'hosts' | 'allow' | 'maxSessionsPerClient' | 'profiles'>;
  interfaces(): readonly NetInterface[];
  server(): ServerState;
  sessions(): readonly LiveSession[];
  now(): number;
}

export { peerAddress };

export function createPreflightHost(deps: PreflightHostDeps) {
  let running: Promise<PreflightReport> | undefined;
  async function run(request: PreflightRequest): Promise<PreflightReport> {
    const read = readPreflightRequest(request);
    if (!read.ok) throw new Error(read.error);
    while (running) await running.catch(() => undefined);
    const s = deps.settings();
    running = runPreflight(read.value, {
      platform: deps.platform,
      interfaces: deps.interfaces(),
      settings: s,
      serverListening: deps.server().state === 'listening',
      liveFrom: (address) => deps.sessions().filter((x) => peerAddress(x.started.peer) === address).length,
      program: process.execPath,
      pid: process.pid,
      now: deps.now,
    });
    try {
      return await running;
    } finally {
      running = undefined;
    }
  }
  return { run };
}
