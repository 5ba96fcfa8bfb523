#!/usr/bin/env node
// Checks electron-builder.yml against the JSON schema electron-builder itself ships, offline and in
// under a second, so a typo fails CI here instead of on a release tag; then the project's own rules
// (findPolicyProblems): the macOS local-network reason, minimal entitlements, the fuses.
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

// What the macOS app may ask of the hardened runtime: V8's JIT, and (for a sandboxed build) the
// network. Anything broader (unsigned executable memory, disabled library validation, debugging)
// weakens every user's copy, so adding one must be a deliberate edit here.
export const ALLOWED_ENTITLEMENTS = [
  'com.apple.security.cs.allow-jit',
  'com.apple.security.network.server',
  'com.apple.security.network.client',
];

/** The keys of a plist's top-level dict that are set to <true/>, and any that are not. */
export function entitlementKeys(plist) {
  const granted = [];
  const other = [];
  for (const match of plist.matchAll(/<key>\s*([^<]+?)\s*<\/key>\s*<(\w+)\s*\/?>/g)) {
    (match[2] === 'true' ? granted : other).push(match[1]);
  }
  return { granted, other };
}

/**
 * The project's own rules for the first run on each OS, beyond the schema: macOS says why it uses
 * the local network, keeps the hardened runtime and minimal entitlements; the fuses stay flipped.
 * `readText(relativePath)` reads a file named by the config (the entitlements).
 */
export async function findPolicyProblems(config, readText) {
  const problems = [];
  const mac = config.mac ?? {};
  const reason = mac.extendInfo?.NSLocalNetworkUsageDescription;
  if (typeof reason !== 'string' || reason.trim().length < 40) {
    problems.push(
      'mac.extendInfo.NSLocalNetworkUsageDescription must say in a sentence why the app uses the local network (macOS 15 blocks it silently otherwise)',
    );
  } else if (!/local network/i.test(reason)) {
    problems.push('mac.extendInfo.NSLocalNetworkUsageDescription should name the local network it asks for');
  }
  if (mac.hardenedRuntime !== true)
    problems.push('mac.hardenedRuntime must be true (notarization requires it)');
  for (const key of ['entitlements', 'entitlementsInherit']) {
    const file = mac[key];
    if (typeof file !== 'string') {
      problems.push(`mac.${key} must name the minimal entitlements file`);
      continue;
    }
    let plist;
    try {
      plist = await readText(file);
    } catch (error) {
      problems.push(
        `mac.${key}: cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
      );
      continue;
    }
    const { granted, other } = entitlementKeys(plist);
    for (const extra of granted.filter((k) => !ALLOWED_ENTITLEMENTS.includes(k))) {
      problems.push(`${file} grants ${extra}, which is not among the minimal entitlements`);
    }
    for (const odd of other) problems.push(`${file}: ${odd} is not simply granted (<true/>)`);
    if (!granted.includes('com.apple.security.cs.allow-jit')) {
      problems.push(
        `${file} lacks com.apple.security.cs.allow-jit: V8 cannot run under the hardened runtime`,
      );
    }
  }
  // The Windows installer is per-user and never elevates, so it cannot add a firewall rule and its
  // uninstaller has none to remove: the app offers the rule at the first Start instead (README,
  // "Port 69 and firewalls"). Making it per-machine would need that installer/uninstaller pair.
  const nsis = config.nsis ?? {};
  if (nsis.perMachine !== false || nsis.allowElevation !== false)
    problems.push(
      'nsis.perMachine and nsis.allowElevation must stay false: the per-user installer never elevates (the app offers the firewall rule instead)',
    );
  const fuses = config.electronFuses ?? {};
  for (const [fuse, wanted] of Object.entries({
    runAsNode: false,
    enableNodeCliInspectArguments: false,
    enableNodeOptionsEnvironmentVariable: false,
    enableEmbeddedAsarIntegrityValidation: true,
    onlyLoadAppFromAsar: true,
  })) {
    if (fuses[fuse] !== wanted) problems.push(`electronFuses.${fuse} must be ${wanted}`);
  }
  return problems;
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
  const config = yaml.load(await readFile(file, 'utf8'));
  // files named in the config are relative to the project folder, where electron-builder runs
  const problems = await findPolicyProblems(config, (name) => readFile(path.resolve(root, name), 'utf8'));
  if (problems.length > 0) {
    console.error(`${shown} breaks the project's packaging rules:`);
    for (const problem of problems) console.error(`  ${problem}`);
    return 1;
  }
  console.log(`${shown} matches the electron-builder schema and the project's packaging rules.`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
