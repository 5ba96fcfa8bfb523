// The child-process scripts of the DHCP tests (the service runner, the app runner and the raw UDP
// probe), bundled
// from the current sources with esbuild into one temporary folder per test process, so a child
// always runs exactly the code under test (no stale build).
import { build } from 'esbuild';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/cli-process.js';

export interface Bundles {
  runner: string;
  app: string;
  probe: string;
}

let bundles: Promise<Bundles> | undefined;
let folder: string | undefined;

export function supportBundles(): Promise<Bundles> {
  bundles ??= (async () => {
    folder = mkdtempSync(join(tmpdir(), 'tftp-desk-dhcp-'));
    chmodSync(folder, 0o755); // a runner started as an unprivileged user reads it too
    const support = join(REPO_ROOT, 'test/dhcp/support');
    await build({
      entryPoints: {
        runner: join(support, 'service-runner.ts'),
        app: join(support, 'app-runner.ts'),
        probe: join(support, 'udp-probe.ts'),
      },
      outdir: folder,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'warning',
      // some packages the app bundles are CommonJS and call require() for node builtins
      banner: {
        js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
      },
    });
    return {
      runner: join(folder, 'runner.mjs'),
      app: join(folder, 'app.mjs'),
      probe: join(folder, 'probe.mjs'),
    };
  })();
  return bundles;
}

/** Removes the bundles (afterAll). */
export function removeBundles(): void {
  if (folder) rmSync(folder, { recursive: true, force: true });
  folder = undefined;
  bundles = undefined;
}
