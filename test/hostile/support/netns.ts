// A throw-away network namespace with real packet loss: its own loopback, and an nftables rule on
// the input hook that drops `loss` percent of UDP packets at random (each packet on loopback
// passes the input hook once, so both directions lose), plus any extra rules (a targeted drop).
// Needs root, `ip` and `nft`.
//
// Clients run inside it through a folder of shims (`curl` -> `ip netns exec NS /usr/bin/curl`)
// put first on PATH, so the shared client runners work unchanged.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInstalled } from '../../helpers/run-process.js';

export interface LossyNamespace {
  readonly name: string;
  /** prefix that runs a command inside the namespace */
  readonly prefix: string[];
  /** folder of client shims to put first on PATH */
  readonly shims: string;
  remove(): void;
}

/** Why namespaces cannot be used here, or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'needs root (ip netns, nftables)';
  for (const tool of ['ip', 'nft']) if (!isInstalled(tool)) return `${tool} is not installed`;
  return undefined;
}

function run(args: string[], input?: string): void {
  const r = spawnSync(args[0] as string, args.slice(1), { input, timeout: 10_000 });
  if (r.status !== 0)
    throw new Error(`${args.join(' ')} failed: ${r.stderr?.toString() ?? r.error?.message}`);
}

/**
 * `clients`: command name -> extra arguments the shim adds (atftp gets --verbose, so that a
 * failure says what the client saw).
 */
export function createLossyNamespace(
  lossPercent: number,
  clients: Readonly<Record<string, readonly string[]>>,
  extraRules: readonly string[] = [],
): LossyNamespace {
  const name = `tftpdesk-${randomBytes(4).toString('hex')}`;
  const shims = mkdtempSync(join(tmpdir(), 'tftp-desk-shims-'));
  run(['ip', 'netns', 'add', name]);
  const ns: LossyNamespace = {
    name,
    prefix: ['ip', 'netns', 'exec', name],
    shims,
    remove() {
      spawnSync('ip', ['netns', 'del', name], { timeout: 10_000 });
      rmSync(shims, { recursive: true, force: true });
    },
  };
  try {
    run([...ns.prefix, 'ip', 'link', 'set', 'lo', 'up']);
    const rules = [
      'table inet tftpdesk_loss {',
      '  chain input {',
      '    type filter hook input priority 0; policy accept;',
      `    meta l4proto udp numgen random mod 100 < ${lossPercent} drop`,
      ...extraRules.map((r) => `    ${r}`),
      '  }',
      '}',
    ].join('\n');
    run([...ns.prefix, 'nft', '-f', '-'], rules);
    for (const [client, extra] of Object.entries(clients)) {
      const real = spawnSync('sh', ['-c', 'command -v "$1"', 'sh', client]).stdout.toString().trim();
      const shim = join(shims, client);
      writeFileSync(shim, `#!/bin/sh\nexec ip netns exec ${name} ${[real, ...extra].join(' ')} "$@"\n`);
      chmodSync(shim, 0o755);
    }
  } catch (err) {
    ns.remove();
    throw err;
  }
  return ns;
}
