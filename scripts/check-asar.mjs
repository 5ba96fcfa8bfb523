#!/usr/bin/env node
// Inspects a packaged app.asar: everything the app needs to start is there, and nothing that only
// belongs to development (sources, source maps, tests, build tools) slipped in.
//   node scripts/check-asar.mjs [release/linux-unpacked/resources/app.asar]
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

export const PRELOAD = '/dist-electron/electron/shell/preload.cjs';
export const RENDERER_INDEX = '/dist/index.html';

// Top-level folders and files of the repository that are source or tooling, never runtime.
const SOURCE_PATHS = [
  '/electron',
  '/renderer',
  '/shared',
  '/scripts',
  '/test',
  '/build',
  '/.ci',
  '/.github',
  '/release',
  '/electron-builder.yml',
  '/vite.config.ts',
  '/tsconfig.json',
  '/tsconfig.base.json',
  '/tsconfig.electron.json',
];

// Packages that only build, test or package the app. react and friends are bundled into dist/ by vite.
const DEV_ONLY_PACKAGES = [
  'electron',
  'electron-builder',
  'app-builder-lib',
  'typescript',
  'vite',
  'vitest',
  'esbuild',
  'rolldown',
  'eslint',
  'prettier',
  'playwright',
  'playwright-core',
  '@playwright/test',
  'jsdom',
  '@resvg/resvg-js',
  'png-to-ico',
  'react',
  'react-dom',
  'zustand',
  '@tanstack/react-virtual',
];

function isUnder(entry, dir) {
  return entry === dir || entry.startsWith(`${dir}/`);
}

/** Problems found in a list of asar entries (paths as @electron/asar lists them: '/a/b'). */
export function findProblems(entries, { main }) {
  const list = entries.map((e) => e.replaceAll('\\', '/'));
  const present = new Set(list);
  const problems = [];
  for (const required of ['/package.json', `/${main}`, PRELOAD, RENDERER_INDEX]) {
    if (!present.has(required)) problems.push(`missing ${required}`);
  }
  for (const entry of list) {
    if (/\.(c|m)?tsx?$/.test(entry)) problems.push(`TypeScript source ${entry}`);
    else if (entry.endsWith('.map')) problems.push(`source map ${entry}`);
    else if (/\/node_modules\/\.bin(\/|$)/.test(entry)) problems.push(`npm bin links ${entry}`);
  }
  for (const dir of SOURCE_PATHS) {
    if (list.some((e) => isUnder(e, dir))) problems.push(`development path ${dir}`);
  }
  for (const name of DEV_ONLY_PACKAGES) {
    if (present.has(`/node_modules/${name}`)) problems.push(`development package node_modules/${name}`);
  }
  return problems;
}

/** Lists an app.asar and checks it against the package.json it contains. */
export function checkAsar(asarPath) {
  const asar = require('@electron/asar');
  const entries = asar.listPackage(asarPath, { isPack: false });
  let main = 'index.js';
  try {
    main = JSON.parse(asar.extractFile(asarPath, 'package.json').toString('utf8')).main ?? main;
  } catch {
    // A missing or broken package.json is reported by findProblems as "missing /package.json".
  }
  return { entries, main, problems: findProblems(entries, { main: path.posix.normalize(main) }) };
}

function main(args) {
  const asarPath = path.resolve(args[0] ?? path.join(root, 'release/linux-unpacked/resources/app.asar'));
  let result;
  try {
    result = checkAsar(asarPath);
  } catch (error) {
    console.error(`Cannot read ${asarPath}: ${error instanceof Error ? error.message : String(error)}`);
    console.error('Build it first, e.g. `npx electron-builder --dir --linux`.');
    return 1;
  }
  if (result.problems.length > 0) {
    console.error(`${asarPath} has ${result.problems.length} problem(s):`);
    for (const problem of result.problems) console.error(`  ${problem}`);
    return 1;
  }
  console.log(`${asarPath}: ${result.entries.length} entries, main ${result.main}, nothing out of place.`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = main(process.argv.slice(2));
}
