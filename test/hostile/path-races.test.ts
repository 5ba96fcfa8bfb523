// Catalogue B15 (a symlink swapped in between the check and the open) and B20 (case and Unicode
// twins on a case-insensitive lookup).
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomData } from '../helpers/files.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { download } from './support/download.js';
import { makeJail, type Jail } from './support/jail.js';
import { CONTROL_NAME, expectControl, expectJailUntouched } from './support/probe.js';
import { rawRequest, smallUpload } from './support/requests.js';

const control = randomData(3000);
let jail: Jail;
let server: TestServer;

beforeAll(async () => {
  jail = makeJail({ [CONTROL_NAME]: control });
  server = await startServer({ root: jail.root, uploads: 'overwrite', maxRequestsPerSecond: 100_000 });
});
afterAll(async () => {
  await server?.stop();
  jail?.remove();
});

/**
 * A separate process flips `name` between a regular file and a symlink to the secret, by atomic
 * rename, as fast as it can for `ms` (so the name always exists, as one or the other).
 */
function swapper(root: string, name: string, ms: number): Promise<number> {
  const script = `
    const fs = require('fs'), p = require('path');
    const [root, name, ms] = process.argv.slice(1);
    const target = p.join(root, name), file = target + '.f', link = target + '.l';
    let flips = 0;
    const end = Date.now() + Number(ms);
    while (Date.now() < end) {
      fs.writeFileSync(file, 'inside the root\\n');
      fs.renameSync(file, target);
      try { fs.unlinkSync(link); } catch {}
      fs.symlinkSync('../secret.txt', link);
      fs.renameSync(link, target);
      flips += 2;
    }
    fs.writeFileSync(file, 'inside the root\\n');
    fs.renameSync(file, target);
    console.log(flips);`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, root, name, String(ms)], { stdio: 'pipe' });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', () => resolve(Number(out.trim())));
  });
}

describe('B15 symlink swapped in between check and open (TOCTOU)', () => {
  it('reads give the in-root file or ERR 2, never the secret; writes never touch the secret', async () => {
    jail.put('swap.bin', 'inside the root\n');
    const before = jail.snapshot();
    const flipping = swapper(jail.root, 'swap.bin', 3000);
    const outcomes = { served: 0, refused: 0, other: [] as string[] };
    const start = Date.now();
    let i = 0;
    while (Date.now() - start < 2800 && i < 2000) {
      i++;
      if (i % 5 === 0) {
        const w = await smallUpload(server.port, rawRequest('wrq', 'swap.bin'), Buffer.from('upload\n'));
        if (!w.ok && w.error?.code !== 2) outcomes.other.push(`WRQ: ${w.detail} ${JSON.stringify(w.error)}`);
        continue;
      }
      const r = await download({ port: server.port, file: 'swap.bin', timeoutMs: 5000 });
      expect(r.bytes.includes(jail.secret.subarray(0, 32)), 'the secret was served').toBe(false);
      if (r.complete && ['inside the root\n', 'upload\n'].includes(r.bytes.toString())) outcomes.served++;
      else if (r.error?.code === 2) outcomes.refused++;
      else outcomes.other.push(JSON.stringify({ error: r.error, bytes: r.bytes.toString().slice(0, 40) }));
    }
    const flips = await flipping;
    console.log(`B15: ${flips} swaps; ${outcomes.served} served from the root, ${outcomes.refused} refused`);
    expect(outcomes.other).toEqual([]);
    expect(outcomes.served + outcomes.refused).toBeGreaterThan(50);
    await expectControl(server.port, control);
    // The secret was neither changed nor read; the symlinks lived inside the root only.
    expectJailUntouched(jail, before);
  });
});

describe('B20 case and Unicode twins with case-insensitive lookups', () => {
  it('finds the one file whatever the case or normal form, and a WRQ replaces it instead of adding a twin', async () => {
    const nfd = 'cafe\u0301.txt';
    const nfc = 'caf\u00e9.txt';
    jail.put('boot.bin', 'lower\n');
    jail.put(nfd, 'decomposed\n');
    const ci = await startServer({
      root: jail.root,
      uploads: 'overwrite',
      caseInsensitive: true,
      maxRequestsPerSecond: 100_000,
    });
    try {
      for (const name of ['BOOT.BIN', 'Boot.Bin', 'boot.bin']) {
        const r = await download({ port: ci.port, file: name });
        expect(r.bytes.toString(), name).toBe('lower\n');
      }
      expect((await download({ port: ci.port, file: nfc })).bytes.toString()).toBe('decomposed\n');
      const listed = jail.listRoot();
      expect((await smallUpload(ci.port, rawRequest('wrq', 'BOOT.BIN'), Buffer.from('new\n'))).ok).toBe(true);
      expect((await smallUpload(ci.port, rawRequest('wrq', nfc), Buffer.from('composed\n'))).ok).toBe(true);
      expect(jail.listRoot()).toEqual(listed);
      expect(readFileSync(join(jail.root, 'boot.bin'), 'utf8')).toBe('new\n');
      expect(readFileSync(join(jail.root, nfd), 'utf8')).toBe('composed\n');
    } finally {
      await ci.stop();
    }
    // Case-sensitive (the default on Linux): the same answer every time.
    writeFileSync(join(jail.root, 'boot.bin'), 'lower\n');
    const answers = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const r = await download({ port: server.port, file: 'BOOT.BIN' });
      answers.add(r.error ? `ERROR ${r.error.code}` : r.bytes.toString());
    }
    expect([...answers]).toEqual(['ERROR 1']);
  });
});
