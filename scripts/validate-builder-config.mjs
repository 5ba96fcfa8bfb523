#!/usr/bin/env node
// Checks electron-builder.yml against the JSON schema electron-builder itself ships, offline and in
// under a second, so a typo fails CI here instead of on a release tag.
//   node scripts/validate-builder-config.mjs [path/to/electron-builder.yml]
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import Ajv from 'ajv';
import yaml from 'js-yaml';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

let validator;
function getValidator() {
  // strict: false because the schema uses keywords ajv does not know (e.g. "deprecated").
  validator ??= new Ajv({ allErrors: true, strict: false, allowUnionTypes: true }).compile(
    require('app-builder-lib/scheme.json'),
  );
  return validator;
}

/** Human-readable problems with a parsed configuration object; empty when it is valid. */
export function validateConfig(config) {
  const validate = getValidator();
  if (validate(config)) return [];
  return (validate.errors ?? []).map((e) => {
    const where = e.instancePath || '(top level)';
    const detail = Object.keys(e.params ?? {}).length > 0 ? ` ${JSON.stringify(e.params)}` : '';
    return `${where} ${e.message}${detail}`;
  });
}

/** Reads, parses and validates a YAML config file. */
export async function validateConfigFile(file) {
  let config;
  try {
    config = yaml.load(await readFile(file, 'utf8'));
  } catch (error) {
    return [`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`];
  }
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    return [`${file} does not contain a YAML mapping`];
  }
  return validateConfig(config);
}

async function main(args) {
  const file = path.resolve(args[0] ?? path.join(root, 'electron-builder.yml'));
  const relative = path.relative(process.cwd(), file);
  const shown = relative.startsWith('..') ? file : relative;
  const errors = await validateConfigFile(file);
  if (errors.length > 0) {
    console.error(`${shown} is not a valid electron-builder configuration:`);
    for (const error of errors) console.error(`  ${error}`);
    return 1;
  }
  console.log(`${shown} matches the electron-builder schema.`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
