#!/usr/bin/env node
// Thin launcher: the CLI is compiled by `npm run build:engine` into dist-electron/.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist-electron/electron/cli/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('tftp-desk: the engine is not built yet. Run `npm run build` first.');
  process.exit(1);
}
const { main } = await import(cli);
process.exitCode = await main(process.argv.slice(2));
