#!/usr/bin/env node
// Checks the GitHub Actions workflows against the workflow schema, offline, before anything else in
// `npm test`: they only ever run on GitHub, so a typo would otherwise surface after a push.
//   node scripts/validate-workflows.mjs [file.yml ...]   (default: every .github/workflows/*.yml)
// The schema check is @action-validator/core (the library behind @action-validator/cli). Without it,
// a developer's run says so and skips; under CI a missing validator is an error, never a skip.
import { readFile, readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const WORKFLOWS = path.join(root, '.github', 'workflows');

/** The validator, or the reason it cannot be loaded. */
async function loadValidator() {
  try {
    const mod = await import('@action-validator/core');
    const validateWorkflow = mod.validateWorkflow ?? mod.default?.validateWorkflow;
    if (typeof validateWorkflow !== 'function')
      return { reason: '@action-validator/core has no validateWorkflow' };
    return { validateWorkflow };
  } catch (error) {
    return {
      reason: `@action-validator/core is not installed (${error instanceof Error ? error.message : error})`,
    };
  }
}

/** One line per schema error, nested "one of" alternatives flattened to their details. */
function describe(errors, indent = '') {
  const lines = [];
  for (const e of errors) {
    const where = e.path ?? (e.location ? `line ${e.location.line}, column ${e.location.column}` : '');
    lines.push(`${indent}${where ? `${where}: ` : ''}${e.detail ?? e.title}`);
    for (const [i, state] of (e.states ?? []).entries()) {
      lines.push(`${indent}  alternative ${i + 1}:`);
      lines.push(...describe(state.errors ?? [], `${indent}    `));
    }
  }
  return lines;
}

/** Problems found in one workflow file; empty when it is valid. */
export async function validateWorkflowFile(validateWorkflow, file) {
  let source;
  try {
    source = await readFile(file, 'utf8');
  } catch (error) {
    return [`cannot read: ${error instanceof Error ? error.message : String(error)}`];
  }
  if (source.trim() === '') return ['the file is empty'];
  let result;
  try {
    result = validateWorkflow(source);
  } catch (error) {
    return [`the validator failed: ${error instanceof Error ? error.message : String(error)}`];
  }
  return describe(result.errors ?? []);
}

async function defaultFiles() {
  const names = await readdir(WORKFLOWS).catch(() => []);
  return names
    .filter((n) => n.endsWith('.yml') || n.endsWith('.yaml'))
    .sort()
    .map((n) => path.join(WORKFLOWS, n));
}

async function main(args) {
  const ci = Boolean(process.env.CI);
  const loaded = await loadValidator();
  if (!loaded.validateWorkflow) {
    if (ci) {
      console.error(`workflows: cannot validate under CI: ${loaded.reason}. Run npm ci.`);
      return 1;
    }
    console.log(`workflows: skipped: ${loaded.reason}`);
    return 0;
  }
  const files = args.length > 0 ? args.map((a) => path.resolve(a)) : await defaultFiles();
  if (files.length === 0) {
    console.error(`workflows: no workflow files in ${path.relative(process.cwd(), WORKFLOWS) || WORKFLOWS}`);
    return 1;
  }
  let failed = 0;
  for (const file of files) {
    const shown = path.relative(process.cwd(), file).startsWith('..')
      ? file
      : path.relative(process.cwd(), file);
    const problems = await validateWorkflowFile(loaded.validateWorkflow, file);
    if (problems.length === 0) {
      console.log(`workflows: ${shown} matches the workflow schema.`);
      continue;
    }
    failed += 1;
    console.error(`workflows: ${shown} is not a valid workflow:`);
    for (const line of problems) console.error(`  ${line}`);
  }
  return failed === 0 ? 0 : 1;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
