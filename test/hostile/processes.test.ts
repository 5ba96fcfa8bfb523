// "Nothing lost" when processes die, with the CLI server (--timeout 1 --retries 1 keeps the
// waits short): a client killed mid-upload (F2 with a real client), the server killed mid-upload
// (F8), and, by running the server as an unprivileged user, a file it may not read (F12) and a
// port it may not bind (F13).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, utimesSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureEngineBuilt } from '../helpers/cli-process.js';
import { makeTempDir, makeTempRoot, randomData, type TempDir } from '../helpers/files.js';
import { freeUdpPort } from '../helpers/ports.js';
import { RawClient } from '../helpers/raw-client.js';
import { killGroup, isInstalled } from '../helpers/run-process.js';
import { data, request } from '../helpers/tftp-wire.js';
import { pause } from './support/download.js';
import { CONTROL_NAME, expectControl, probe, show } from './support/probe.js';
import { eventually } from './support/proc.js';
import { rawRequest } from './support/requests.js';
import { spawnServer, type ServerProcess } from './support/server-process.js';

const isRoot = process.getuid?.() === 0;
const control = randomData(3000);
const original = randomData(200 * 1024);
let scratch: TempDir;
const servers: ServerProcess[] = [];

beforeAll(async () => {
  await ensureEngineBuilt();
  scratch = makeTempDir();
});
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  scratch?.remove();
});

async function serve(root: string, extra: string[] = [], prefix: string[] = []) {
  const port = await freeUdpPort();
  const args = [
    '--root',
    root,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--timeout',
    '1',
    '--retries',
    '1',
  ];
  const s = spawnServer(prefix, [...args, ...extra]);
  servers.push(s);
  await s.listening();
  return { s, port };
}

const tempsIn = (root: TempDir) => root.list().filter((n) => n.endsWith('.tftp-part'));

describe('processes that die', () => {
  it('F2 curl killed mid-upload: the original is untouched and no temp is left once the session times out', async (ctx) => {
    if (!isInstalled('curl')) ctx.skip('curl is not installed');
    const root = makeTempRoot({ 'target.bin': original });
    const { port } = await serve(root.path, ['--uploads', 'overwrite']);
    const local = scratch.write('huge.bin', randomData(20_000_000));
    // --tftp-no-options: curl would otherwise ask for a 6 s timeout (RFC 2349), which the server
    // honours, and the wait for the dead session would be 6 s per retry instead of 1 s.
    const url = `tftp://127.0.0.1:${port}/target.bin`;
    const curl = spawn('curl', ['-sS', '--tftp-no-options', '-T', local, url], { detached: true });
    try {
      expect(await eventually(() => tempsIn(root).length === 1, 10_000)).toBe(true);
      await pause(200);
      killGroup(curl.pid, 'SIGKILL');
      expect(root.read('target.bin').equals(original)).toBe(true);
      expect(await eventually(() => tempsIn(root).length === 0, 6000)).toBe(true);
      expect(root.read('target.bin').equals(original)).toBe(true);
      expect(root.list()).toEqual(['target.bin']);
    } finally {
      killGroup(curl.pid, 'SIGKILL');
      root.remove();
    }
  });

  it('F8 the server killed (SIGKILL) mid-upload: target untouched; the orphan temp is swept at the next start', async () => {
    const root = makeTempRoot({ 'target.bin': original, [CONTROL_NAME]: control });
    const first = await serve(root.path, ['--uploads', 'overwrite']);
    const c = await RawClient.open();
    c.send(request('wrq', 'target.bin'), first.port);
    const tid = (await c.next()).from.port;
    for (let b = 1; b <= 50; b++) {
      c.send(data(b, randomData(512)), tid);
      await c.next();
    }
    await first.s.kill();
    c.close();
    const orphans = tempsIn(root);
    expect(orphans).toHaveLength(1);
    expect(root.read('target.bin').equals(original)).toBe(true);
    // The crash was a while ago (the sweep leaves temps young enough to belong to a live server).
    const past = new Date(Date.now() - 60_000);
    utimesSync(root.file(orphans[0] as string), past, past);
    const second = await serve(root.path, ['--uploads', 'overwrite']);
    expect(await eventually(() => tempsIn(root).length === 0, 5000)).toBe(true);
    expect(second.s.stdout.some((l) => l.includes('removed 1 unfinished upload file'))).toBe(true);
    expect(root.read('target.bin').equals(original)).toBe(true);
    await expectControl(second.port, control);
    root.remove();
  });
});

describe.skipIf(!isRoot || !isInstalled('setpriv'))('as an unprivileged user (setpriv, uid 65534)', () => {
  const nobody = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];

  it('F12 a file the server may not read: ERROR 2 (not 0), and the server keeps serving', async () => {
    const root = makeTempRoot({ [CONTROL_NAME]: control, 'private.bin': original });
    chmodSync(root.path, 0o755);
    chmodSync(root.file(CONTROL_NAME), 0o644);
    chmodSync(root.file('private.bin'), 0o000);
    try {
      const { port } = await serve(root.path, [], nobody);
      const replies = await probe(port, rawRequest('rrq', 'private.bin'));
      expect(show(replies)).toBe('ERROR 2 "Access violation"');
      await expectControl(port, control);
    } finally {
      root.remove();
    }
  });

  it('F12 an upload into a folder the server may not write: ERROR 2, nothing created', async () => {
    const root = makeTempRoot({ [CONTROL_NAME]: control });
    chmodSync(root.path, 0o755); // owned by root: nobody cannot create files in it
    chmodSync(root.file(CONTROL_NAME), 0o644);
    try {
      const { port } = await serve(root.path, ['--uploads', 'create'], nobody);
      const replies = await probe(port, rawRequest('wrq', 'new.bin'));
      expect(show(replies)).toMatch(/^ERROR 2 /);
      expect(existsSync(root.file('new.bin'))).toBe(false);
      expect(root.list()).toEqual([CONTROL_NAME]);
    } finally {
      root.remove();
    }
  });

  it('F13 a privileged port without the privilege: a clear message, exit code 1, no stack trace', async () => {
    const root = makeTempRoot({});
    chmodSync(root.path, 0o755);
    const port = spawnSync('sysctl', ['-n', 'net.ipv4.ip_unprivileged_port_start']).stdout.toString().trim();
    try {
      if (Number(port) <= 69) return; // this machine lets anyone bind port 69
      const s = spawnServer(nobody, ['--root', root.path, '--host', '127.0.0.1', '--port', '69']);
      const code = await s.exited;
      const text = [...s.stdout, ...s.stderr].join('\n');
      expect(code).toBe(1);
      expect(text).toMatch(/69/);
      expect(text).toMatch(/EACCES|permission|privilege/i);
      expect(text).not.toMatch(/\n\s+at /);
    } finally {
      root.remove();
    }
  });
});
