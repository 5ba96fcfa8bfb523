// Packaging: the electron-builder config is valid, the committed icons match their sources, and an
// offline build of the unpacked Linux app yields an app.asar with what the app needs and nothing else.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { checkAsar, findProblems, PRELOAD, RENDERER_INDEX } from '../../scripts/check-asar.mjs';
import { findStale, TRAY_STATES } from '../../scripts/render-icons.mjs';
import {
  findPolicyProblems,
  validateConfig,
  validateConfigFile,
} from '../../scripts/validate-builder-config.mjs';

const exec = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const configFile = path.join(repo, 'electron-builder.yml');
const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tftp-desk-packaging-'));
  tempDirs.push(dir);
  return dir;
}

async function loadConfig(): Promise<Record<string, unknown>> {
  return yaml.load(await readFile(configFile, 'utf8')) as Record<string, unknown>;
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('electron-builder.yml', () => {
  it('matches the schema that electron-builder ships', async () => {
    expect(await validateConfigFile(configFile)).toEqual([]);
  }, 30_000);

  it('fails validation for an unknown key', async () => {
    const config = await loadConfig();
    const bogus = { ...config, linux: { ...(config.linux as object), bogusKey: true } };
    expect(validateConfig(bogus).join('\n')).toContain('bogusKey');

    // The command CI runs must exit non-zero too.
    const file = path.join(await tempDir(), 'bogus.yml');
    await writeFile(file, yaml.dump(bogus));
    const run = exec(process.execPath, [path.join(repo, 'scripts/validate-builder-config.mjs'), file]);
    await expect(run).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining('bogusKey') });
  }, 30_000);

  it("keeps the first-run rules: macOS's local-network reason, minimal entitlements, the fuses", async () => {
    const config = await loadConfig();
    const read = (name: string) => readFile(path.join(repo, name), 'utf8');
    expect(await findPolicyProblems(config, read)).toEqual([]);
    const mac = config.mac as Record<string, unknown>;
    expect((mac.extendInfo as Record<string, string>).NSLocalNetworkUsageDescription).toMatch(
      /local network/,
    );
  });

  it("fails an installer that would elevate (the firewall rule is the app's to offer, not the installer's)", async () => {
    const config = await loadConfig();
    const read = (name: string) => readFile(path.join(repo, name), 'utf8');
    const nsis = config.nsis as Record<string, unknown>;
    for (const patch of [{ perMachine: true }, { allowElevation: true }]) {
      const elevating = { ...config, nsis: { ...nsis, ...patch } };
      expect((await findPolicyProblems(elevating, read)).join('\n')).toContain(
        'per-user installer never elevates',
      );
    }
  });

  it('fails a config without the local-network reason, or with broader entitlements', async () => {
    const config = await loadConfig();
    const mac = config.mac as Record<string, unknown>;
    const read = (name: string) => readFile(path.join(repo, name), 'utf8');
    const silent = { ...config, mac: { ...mac, extendInfo: {} } };
    expect((await findPolicyProblems(silent, read)).join('\n')).toContain('NSLocalNetworkUsageDescription');
    const unhardened = { ...config, mac: { ...mac, hardenedRuntime: false } };
    expect((await findPolicyProblems(unhardened, read)).join('\n')).toContain('hardenedRuntime');

    const dir = await tempDir();
    const plist = (await read('build/entitlements.mac.plist')).replace(
      '</dict>',
      '<key>com.apple.security.cs.disable-library-validation</key><true/></dict>',
    );
    await writeFile(path.join(dir, 'broad.plist'), plist);
    const broad = { ...config, mac: { ...mac, entitlementsInherit: path.join(dir, 'broad.plist') } };
    const problems = await findPolicyProblems(broad, (name) =>
      path.isAbsolute(name) ? readFile(name, 'utf8') : read(name),
    );
    expect(problems).toEqual([
      `${path.join(dir, 'broad.plist')} grants com.apple.security.cs.disable-library-validation, which is not among the minimal entitlements`,
    ]);

    // the command CI runs exits non-zero on a rule too, not only on the schema
    const file = path.join(dir, 'silent.yml');
    await writeFile(file, yaml.dump(silent));
    const run = exec(process.execPath, [path.join(repo, 'scripts/validate-builder-config.mjs'), file]);
    await expect(run).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('NSLocalNetworkUsageDescription'),
    });
  }, 30_000);

  it('packs only build outputs and never rebuilds native modules', async () => {
    const config = await loadConfig();
    expect(config.npmRebuild).toBe(false);
    const files = config.files as string[];
    for (const pattern of [
      'dist/**/*',
      'dist-electron/**/*',
      'bin/**/*',
      'assets/**/*',
      '!**/*.ts',
      '!**/*.map',
    ]) {
      expect(files).toContain(pattern);
    }
  });
});

function pngSize(bytes: Buffer): [number, number] {
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

describe('icons', () => {
  it('are rendered from their current SVG sources', async () => {
    expect(await findStale()).toEqual([]);
  }, 30_000);

  it('come in the sizes each platform expects', async () => {
    const read = (rel: string) => readFile(path.join(repo, rel));
    expect(pngSize(await read('build/icon.png'))).toEqual([1024, 1024]);
    for (const state of Object.keys(TRAY_STATES)) {
      for (const kind of [`${state}Template`, state]) {
        expect(pngSize(await read(`assets/tray/${kind}.png`))).toEqual([16, 16]);
        expect(pngSize(await read(`assets/tray/${kind}@2x.png`))).toEqual([32, 32]);
      }
    }
    const ico = await read('build/icon.ico');
    const count = ico.readUInt16LE(4);
    // Each directory entry is 16 bytes after the 6-byte header; a width byte of 0 means 256.
    const widths = Array.from({ length: count }, (_, i) => ico.readUInt8(6 + 16 * i) || 256);
    expect(widths).toEqual([16, 24, 32, 48, 64, 128, 256]);
  });
});

describe('asar check', () => {
  it('reports missing entry points and development files', () => {
    const problems = findProblems(
      ['/package.json', '/dist/index.html', '/dist/assets/app.js.map', '/test/unit/x.test.ts'].concat([
        '/node_modules/.bin',
        '/node_modules/.bin/vite',
        '/node_modules/vite',
        '/node_modules/react',
      ]),
      { main: 'dist-electron/electron/shell/main.js' },
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'missing /dist-electron/electron/shell/main.js',
        `missing ${PRELOAD}`,
        'source map /dist/assets/app.js.map',
        'TypeScript source /test/unit/x.test.ts',
        'npm bin links /node_modules/.bin/vite',
        'development path /test',
        'development package node_modules/vite',
        'development package node_modules/react',
      ]),
    );
  });
});

// `npm test` builds first; a bare `vitest run` on a fresh checkout has nothing to package.
const built = ['dist/index.html', 'dist-electron/electron/shell/main.js'].every((p) =>
  existsSync(path.join(repo, p)),
);
if (!built)
  console.warn('packaging smoke test skipped: run `npm run build` first (dist/ or dist-electron/ missing)');

describe.skipIf(!built)('offline packaging smoke (electron-builder --dir --linux)', () => {
  it('produces an app.asar with main, preload and renderer and no sources or dev tools', async () => {
    const dir = await tempDir();
    // A stub in place of the Electron binary lets electron-builder run without downloading one.
    const electronDist = path.join(dir, 'electron-dist');
    await mkdir(electronDist);
    await writeFile(path.join(electronDist, 'electron'), '#!/bin/sh\n', { mode: 0o755 });

    const config = await loadConfig();
    const ciConfig: Record<string, unknown> = {
      ...config,
      electronDist,
      npmRebuild: false,
      directories: { ...(config.directories as object), output: path.join(dir, 'out') },
    };
    // The stub has no fuse wire to flip; fuses are exercised by real release builds.
    delete ciConfig.electronFuses;
    expect(validateConfig(ciConfig)).toEqual([]);
    const ciFile = path.join(dir, 'electron-builder.ci.yml');
    await writeFile(ciFile, yaml.dump(ciConfig));

    const cli = path.join(repo, 'node_modules/electron-builder/cli.js');
    await exec(process.execPath, [cli, '--dir', '--linux', '--config', ciFile], {
      cwd: repo,
      env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', CSC_IDENTITY_AUTO_DISCOVERY: 'false' },
      maxBuffer: 16 * 1024 * 1024,
    });

    const { entries, main, problems } = checkAsar(path.join(dir, 'out/linux-unpacked/resources/app.asar'));
    expect(main).toBe('dist-electron/electron/shell/main.js');
    expect(entries).toEqual(expect.arrayContaining([`/${main}`, PRELOAD, RENDERER_INDEX, '/package.json']));
    expect(entries.filter((e) => /\.tsx?$|\.map$/.test(e))).toEqual([]);
    expect(entries.filter((e) => e.startsWith('/test/') || e.includes('/node_modules/.bin'))).toEqual([]);
    expect(problems).toEqual([]);
    // A download thread (worker_threads) loads its one bundled script from beside the archive: it
    // must start from there on its own (no imports left to find in the archive).
    const unpacked = path.join(
      dir,
      'out/linux-unpacked/resources/app.asar.unpacked/dist-electron/electron/tftp/download-thread.bundle.mjs',
    );
    expect(existsSync(unpacked)).toBe(true);
    const worker = new Worker(pathToFileURL(unpacked));
    const first = await new Promise<unknown>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(first).toEqual({ kind: 'ready' });
    // So does the hashing thread (file-digests.ts): a job for a file that is not there answers null.
    const hashScript = path.join(
      dir,
      'out/linux-unpacked/resources/app.asar.unpacked/dist-electron/electron/tftp/file-hash.mjs',
    );
    const hasher = new Worker(pathToFileURL(hashScript), { workerData: { role: 'file-hash' } });
    const identity = { dev: '0', ino: '0', size: '0', mtimeNs: '0' };
    hasher.postMessage({ id: 1, path: path.join(dir, 'missing.bin'), identity });
    const answer = await new Promise<unknown>((resolve, reject) => {
      hasher.once('message', resolve);
      hasher.once('error', reject);
    });
    await hasher.terminate();
    expect(answer).toEqual({ id: 1, sha256: null });
  }, 180_000);
});
