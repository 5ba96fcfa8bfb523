// The GitHub Actions workflows can only run on GitHub, so here they are checked against the workflow
// schema (scripts/validate-workflows.mjs, the first step of `npm test`) and for what the README's
// status section promises: every push runs on Windows, macOS and Linux.
import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import yaml from 'js-yaml';
import { afterAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const script = path.join(repo, 'scripts/validate-workflows.mjs');
const workflow = (name: string) => path.join(repo, '.github/workflows', name);
const tempDirs: string[] = [];

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tftp-desk-workflows-'));
  tempDirs.push(dir);
  return dir;
}

function run(scriptPath: string, args: string[], env: Record<string, string | undefined>) {
  const clean = { ...process.env, CI: undefined, NODE_PATH: undefined, ...env };
  return exec(process.execPath, [scriptPath, ...args], { cwd: repo, env: clean });
}

afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('scripts/validate-workflows.mjs', () => {
  it('passes every workflow in .github/workflows', async () => {
    const { stdout } = await run(script, [], { CI: '1' });
    expect(stdout).toContain('ci.yml matches the workflow schema');
    expect(stdout).toContain('release.yml matches the workflow schema');
  }, 30_000);

  it('fails a workflow with a misspelt key, naming the file and the key', async () => {
    const broken = path.join(await tempDir(), 'ci.yml');
    const source = await readFile(workflow('ci.yml'), 'utf8');
    await writeFile(broken, source.replace('runs-on:', 'runs_on:'));
    const result = run(script, [workflow('release.yml'), broken], { CI: '1' });
    await expect(result).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringMatching(/ci\.yml is not a valid workflow:[\s\S]*'runs_on' is not allowed/),
    });
  }, 30_000);

  it('fails an empty workflow and one that is not YAML', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, 'empty.yml'), '\n');
    await writeFile(path.join(dir, 'tabs.yml'), 'name: x\non: push\njobs:\n\t- [\n');
    for (const name of ['empty.yml', 'tabs.yml']) {
      const result = run(script, [path.join(dir, name)], {});
      await expect(result).rejects.toMatchObject({ code: 1, stderr: expect.stringContaining(name) });
    }
  }, 30_000);

  it('is an error under CI, and a skip elsewhere, when the validator is not installed', async () => {
    // A copy outside the repository cannot resolve @action-validator/core from any node_modules.
    const lonely = path.join(await tempDir(), 'validate-workflows.mjs');
    await copyFile(script, lonely);
    await expect(run(lonely, [], { CI: '1' })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('cannot validate under CI: @action-validator/core is not installed'),
    });
    const { stdout } = await run(lonely, [], {});
    expect(stdout).toContain('workflows: skipped: @action-validator/core is not installed');
  }, 30_000);
});

interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { 'runs-on': string; strategy?: { matrix: Record<string, unknown> }; steps: Step[] }>;
}
interface Step {
  name?: string;
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}

async function load(name: string): Promise<Workflow> {
  return yaml.load(await readFile(workflow(name), 'utf8')) as Workflow;
}

describe('.github/workflows/ci.yml', () => {
  it('runs on every push and pull request on Windows, macOS and Linux with Node 20 and the npm cache', async () => {
    const ci = await load('ci.yml');
    expect(Object.keys(ci.on).sort()).toEqual(['pull_request', 'push']);
    const job = ci.jobs.app!;
    expect(job.strategy?.matrix.os).toEqual(['ubuntu-latest', 'macos-latest', 'windows-latest']);
    const node = job.steps.find((s) => s.uses?.startsWith('actions/setup-node'));
    expect(node?.with).toEqual({ 'node-version': 20, cache: 'npm' });
  });

  it('runs each check the README says it proves', async () => {
    const runs = (await load('ci.yml')).jobs.app!.steps.map((s) => s.run ?? '').join('\n');
    for (const command of [
      'npm ci',
      'node scripts/validate-workflows.mjs',
      'node scripts/validate-builder-config.mjs',
      'npm run typecheck',
      'npm run lint',
      'vitest run --project unit',
      'vitest run --project interop',
      'xvfb-run --auto-servernum npx playwright test --project electron',
      'npx electron-builder --dir',
      'npx playwright test --project electron-packaged',
    ]) {
      expect(runs).toContain(command);
    }
    // The Electron binary must be downloaded there: nothing in the app job may skip it.
    expect(JSON.stringify((await load('ci.yml')).jobs.app)).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
  });

  it('also runs the engine tests on the Node that Electron bundles', async () => {
    const job = (await load('ci.yml')).jobs['node-of-electron']!;
    const node = job.steps.find((s) => s.uses?.startsWith('actions/setup-node'));
    expect(node?.with).toEqual({ 'node-version': 24, cache: 'npm' });
    expect(job.steps.map((s) => s.run ?? '').join('\n')).toContain(
      'vitest run --project unit --project interop',
    );
  });
});
