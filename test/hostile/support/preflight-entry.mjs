// Runs the pre-flight checks (the built app layer, dist-electron) in this process's network
// namespace and prints the report as one JSON line. Started by the namespace test through
// `ip netns exec NS node preflight-entry.mjs '<json>'`, where <json> holds the request, the
// settings and whether a server is listening there.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = join(import.meta.dirname, '..', '..', '..');
const load = (p) => import(pathToFileURL(join(root, 'dist-electron', p)).href);
const { runPreflight } = await load('electron/app/preflight/runner.js');
const { listInterfaces } = await load('electron/app/interfaces.js');

const input = JSON.parse(process.argv[2] ?? '{}');
const report = await runPreflight(input.request ?? {}, {
  platform: process.platform,
  interfaces: listInterfaces(),
  settings: { port: 69, hosts: [], allow: [], maxSessionsPerClient: 32, ...input.settings },
  serverListening: input.serverListening === true,
  liveFrom: () => 0,
  program: process.execPath,
  pid: process.pid,
  now: () => Date.now(),
});
process.stdout.write(`${JSON.stringify(report)}\n`);
