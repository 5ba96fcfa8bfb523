// The pre-flight checks inside a network namespace this test creates (root, ip, nft): they find a
// missing address (with the exact command for the namespace's interface), a port held by another
// process (named, with its pid), and an nftables drop rule for UDP on the port in a table inside
// the namespace, which also stops the test request to a real server there; without the rule, the
// same server answers. The checks run in the namespace through a small node entry script over the
// built app layer (npm run build:engine).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreflightCheck, PreflightReport, PreflightRequest } from '../../shared/preflight.js';
import { REPO_ROOT } from '../helpers/cli-process.js';
import { makeTempRoot, removeTempDirs } from '../helpers/files.js';
import { squatUdp, type Squatter } from '../helpers/udp-squatter.js';
import { randomBytes } from 'node:crypto';
import { netnsUnavailable } from './support/netns.js';
import { spawnServer, type ServerProcess } from './support/server-process.js';

const ENTRY = join(import.meta.dirname, 'support', 'preflight-entry.mjs');
const BUILT = join(REPO_ROOT, 'dist-electron', 'electron', 'app', 'preflight', 'runner.js');
const unavailable = netnsUnavailable() ?? (existsSync(BUILT) ? undefined : 'run npm run build:engine first');
if (unavailable !== undefined) console.warn(`skipping the pre-flight namespace test: ${unavailable}`);

// ports inside the namespace: nothing else lives there
const HELD = 6901;
const DROPPED = 6902;
const IFACE = 'pfdev0';
const ADDRESS = '10.66.0.1';

const TABLE = 'tftpdesk_preflight';
let ns: { name: string; prefix: string[] } | undefined;
let squatter: Squatter | undefined;
let server: ServerProcess | undefined;

function run(args: string[], input?: string): void {
  const r = spawnSync(args[0] as string, args.slice(1), { timeout: 10_000, input });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: ${r.stderr.toString()}`);
}

function inNs(args: string[], input?: string): void {
  run([...(ns?.prefix ?? []), ...args], input);
}

function preflight(request: PreflightRequest, serverListening = false): PreflightReport {
  const input = JSON.stringify({ request, serverListening });
  const prefix = ns?.prefix ?? [];
  const r = spawnSync(prefix[0] as string, [...prefix.slice(1), process.execPath, ENTRY, input], {
    timeout: 30_000,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`preflight entry failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as PreflightReport;
}

function check(report: PreflightReport, id: PreflightCheck['id']): PreflightCheck {
  const c = report.checks.find((x) => x.id === id);
  if (!c) throw new Error(`no ${id} check in ${JSON.stringify(report)}`);
  return c;
}

describe.skipIf(unavailable !== undefined)('pre-flight inside a network namespace', () => {
  beforeAll(async () => {
    const name = `tftpdesk-pf-${randomBytes(4).toString('hex')}`;
    run(['ip', 'netns', 'add', name]);
    ns = { name, prefix: ['ip', 'netns', 'exec', name] };
    inNs(['ip', 'link', 'set', 'lo', 'up']);
    const rules = [
      `table inet ${TABLE} {`,
      '  chain input {',
      '    type filter hook input priority 0; policy accept;',
      `    udp dport ${DROPPED} drop`,
      '  }',
      '}',
    ].join('\n');
    inNs(['nft', '-f', '-'], rules);
    // a veth pair (no dummy module needed): the device would sit on the far end
    inNs(['ip', 'link', 'add', IFACE, 'type', 'veth', 'peer', 'name', `${IFACE}p`]);
    inNs(['ip', 'addr', 'add', `${ADDRESS}/24`, 'dev', IFACE]);
    inNs(['ip', 'link', 'set', IFACE, 'up']);
    inNs(['ip', 'link', 'set', `${IFACE}p`, 'up']);
  });

  afterAll(async () => {
    await squatter?.stop();
    await server?.stop();
    if (ns) spawnSync('ip', ['netns', 'del', ns.name], { timeout: 10_000 });
    removeTempDirs();
  });

  it('finds that the recovery address is missing, with the command for the namespace interface', () => {
    const report = preflight({ serverAddress: '192.168.0.66', interface: IFACE, port: HELD });
    const address = check(report, 'address');
    expect(address.status).toBe('problem');
    expect(address.fix?.command).toBe(`sudo ip addr add 192.168.0.66/24 dev ${IFACE}`);
    // the same request for the address the namespace has is fine
    expect(check(preflight({ serverAddress: ADDRESS, interface: IFACE, port: HELD }), 'address').status).toBe(
      'ok',
    );
  });

  it('names the other process that holds the port', async () => {
    expect(check(preflight({ port: HELD }), 'port-holder').status).toBe('ok');
    squatter = await squatUdp(HELD, '0.0.0.0', ns?.prefix);
    const held = check(preflight({ port: HELD }), 'port-holder');
    expect(held.status).toBe('problem');
    expect(held.summary).toContain(`node (pid ${squatter.pid}) on 0.0.0.0`);
    expect(held.evidence).toBe('ss -ulpn');
    await squatter.stop();
    squatter = undefined;
  });

  it('finds the nftables drop rule, and the test request to a real server goes unanswered', async () => {
    const root = makeTempRoot({ 'fw.bin': 'x' });
    server = spawnServer(ns?.prefix ?? [], [
      '--root',
      root.path,
      '--host',
      ADDRESS,
      '--port',
      String(DROPPED),
    ]);
    await server.listening();

    const blocked = preflight({ serverAddress: ADDRESS, interface: IFACE, port: DROPPED }, true);
    const firewall = check(blocked, 'firewall');
    expect(firewall.status).toBe('problem');
    expect(firewall.summary).toContain(`inet ${TABLE} input`);
    expect(firewall.summary).toContain(`udp dport ${DROPPED} drop`);
    expect(firewall.fix?.command).toMatch(
      new RegExp(`^sudo nft delete rule inet ${TABLE} input handle \\d+$`),
    );
    expect(check(blocked, 'self-request').status).toBe('problem');

    // run the fix the check gave (without sudo: we are root), then check again
    inNs((firewall.fix?.command as string).replace(/^sudo /, '').split(' '));
    const open = preflight({ serverAddress: ADDRESS, interface: IFACE, port: DROPPED }, true);
    expect(check(open, 'firewall').status).toBe('ok');
    expect(check(open, 'self-request').status).toBe('ok');
  });
});
