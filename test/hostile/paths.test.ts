// Catalogue B1-B19: hostile file names, each as a read (RRQ) and as a write (WRQ, uploads on with
// overwrite). A refused name gets exactly one ERROR with the row's code, no file appears or
// changes in the root, nothing outside the root is created, changed or read, and the server still
// serves the control file. Names the policy takes literally (no URL-decoding, no Unicode folding)
// are ERR 1 to read and, written, land in the root under exactly that name.
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomData } from '../helpers/files.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { download } from './support/download.js';
import { makeJail, type Jail } from './support/jail.js';
import {
  CONTROL_NAME,
  err,
  expectAnswer,
  expectControl,
  expectJailUntouched,
  probe,
  type Answer,
} from './support/probe.js';
import { rawRequest, smallUpload } from './support/requests.js';

const control = randomData(3000);
let jail: Jail;
let server: TestServer;

beforeAll(async () => {
  jail = makeJail({ [CONTROL_NAME]: control, 'ok.txt': 'ok\n', 'boot.ini': 'boot\n', file: 'file\n' });
  mkdirSync(join(jail.root, 'a', 'b'), { recursive: true });
  mkdirSync(join(jail.root, 'sub'));
  server = await startServer({ root: jail.root, uploads: 'overwrite', maxRequestsPerSecond: 100_000 });
});
afterAll(async () => {
  await server?.stop();
  jail?.remove();
});

type WriteAnswer = Answer | 'literal';
const LITERAL = 'literal' as const;

// [row, name, read answer, write answer]
const rows: [string, string | Buffer, Answer, WriteAnswer][] = [
  ['B1', '../secret.txt', err(2), err(2)],
  ['B2', 'a/../../secret.txt', err(2), err(2)],
  ['B2', 'a/b/../../../secret.txt', err(2), err(2)],
  ['B3', '..\\secret.txt', err(2), err(2)],
  ['B3', 'a\\..\\..\\secret.txt', err(2), err(2)],
  ['B4', '/etc/passwd', err(1), err(1)],
  ['B5', 'C:\\Windows\\win.ini', err(2), err(2)],
  ['B5', 'C:/Windows/win.ini', err(2), err(2)],
  ['B5', 'c:win.ini', err(2), err(2)],
  ['B6', '\\\\host\\share\\f', err(2), err(2)],
  ['B6', '//host/share/f', err(2), err(2)],
  ['B7', '\\\\?\\C:\\x', err(2), err(2)],
  ['B7', '\\\\.\\pipe\\x', err(2), err(2)],
  ['B7', '\\\\.\\PhysicalDrive0', err(2), err(2)],
  ['B8', '%2e%2e%2fsecret.txt', err(1), LITERAL],
  ['B8', '..%2f', err(1), LITERAL],
  ['B8', '%252e', err(1), LITERAL],
  ['B9', '..%c0%afsecret.txt', err(1), LITERAL],
  ['B9', '\uff0e\uff0e\uff0fsecret.txt', err(1, 2), LITERAL],
  ['B9', '..\u2215secret.txt', err(1, 2), LITERAL],
  ['B9', Buffer.from('2e2ec0af7365637265742e747874', 'hex'), err(1, 2), err(1, 2)],
  ['B11', 'CON', err(2), err(2)],
  ['B11', 'con', err(2), err(2)],
  ['B11', 'nul.txt', err(2), err(2)],
  ['B11', 'COM1', err(2), err(2)],
  ['B11', 'lpt1.log', err(2), err(2)],
  ['B11', 'AUX', err(2), err(2)],
  ['B11', 'sub/Aux.tar.gz', err(2), err(2)],
  ['B12', 'boot.ini.', err(2), err(2)],
  ['B12', 'file ', err(2), err(2)],
  ['B13', 'file.txt::$DATA', err(2), err(2)],
  ['B13', 'a:b', err(2), err(2)],
  ['B16', '', err(1, 4), err(1, 4)],
  ['B17', '.', err(1, 2), err(1, 2)],
  ['B17', 'sub/', err(1, 2), err(1, 2)],
  ['B17', 'sub', err(1, 2), err(1, 2)],
  ['B18', 'x'.repeat(256), err(2, 4), err(2, 4)],
  ['B18', `${'d/'.repeat(400)}f`, err(1, 2, 4), err(1, 2, 4)],
  ['B18', 'y'.repeat(4096), err(2, 4), err(2, 4)],
  ['B19', 'a\x1b[31mred', err(2), err(2)],
  ['B19', 'line\r\nbreak', err(2), err(2)],
  ['B19', '<img src=x onerror=alert(1)>', err(2), err(2)],
  // B19 also names `%s%n%x`; B8 requires `%` to be an ordinary character, so this is ERR 1 like
  // any missing file. What matters is that the reply and the log are fixed text (checked below).
  ['B19', '%s%n%x%x%x', err(1), LITERAL],
];

const label = (name: string | Buffer) =>
  JSON.stringify(typeof name === 'string' ? name : `bytes:${name.toString('hex')}`).slice(0, 60);

describe('B: file names, read', () => {
  it.each(rows)('%s RRQ %s', async (id, name, read) => {
    const before = jail.snapshot();
    const listed = jail.listRoot();
    const replies = await probe(server.port, rawRequest('rrq', name));
    expectAnswer(replies, read, `${id} RRQ ${label(name)}`);
    expect(jail.listRoot()).toEqual(listed);
    await expectControl(server.port, control);
    expectJailUntouched(jail, before, replies);
  });
});

describe('B: file names, write', () => {
  it.each(rows)('%s WRQ %s', async (id, name, _read, write) => {
    const before = jail.snapshot();
    const listed = jail.listRoot();
    const payload = Buffer.from(`upload for ${id}\n`);
    if (write === LITERAL) {
      const r = await smallUpload(server.port, rawRequest('wrq', name), payload);
      expect(r.ok, `${id} WRQ ${label(name)}: ${r.detail} ${JSON.stringify(r.error)}`).toBe(true);
      const stored = join(jail.root, name as string);
      expect(readFileSync(stored).equals(payload)).toBe(true);
      expect(jail.listRoot()).toEqual([...listed, name as string].sort());
    } else {
      const replies = await probe(server.port, rawRequest('wrq', name));
      expectAnswer(replies, write, `${id} WRQ ${label(name)}`);
      expect(jail.listRoot()).toEqual(listed);
    }
    await expectControl(server.port, control);
    expectJailUntouched(jail, before);
  });
});

describe('B: the rest of the path policy', () => {
  it('B4 one leading slash means the root (PXE asks for /pxelinux.0)', async () => {
    const r = await download({ port: server.port, file: `/${CONTROL_NAME}` });
    expect(r.error).toBeUndefined();
    expect(r.bytes.equals(control)).toBe(true);
  });

  it('B10 an embedded NUL ends the name: the rest is read as the mode -> ERR 4', async () => {
    const before = jail.snapshot();
    for (const kind of [1, 2]) {
      const packet = Buffer.concat([Buffer.from([0, kind]), Buffer.from('ok.txt\0../../x\0octet\0')]);
      expectAnswer(await probe(server.port, packet), err(4), `B10 opcode ${kind}`);
    }
    await expectControl(server.port, control);
    expectJailUntouched(jail, before);
  });

  it('B14 symlinks inside the root that point outside are refused, read and write', async () => {
    symlinkSync('../secret.txt', join(jail.root, 'link-out'));
    symlinkSync('..', join(jail.root, 'dir-out'));
    symlinkSync('/etc/passwd', join(jail.root, 'abs-out'));
    symlinkSync(CONTROL_NAME, join(jail.root, 'link-in'));
    const before = jail.snapshot();
    for (const name of ['link-out', 'dir-out/secret.txt', 'abs-out', 'dir-out/root/../secret.txt']) {
      expectAnswer(await probe(server.port, rawRequest('rrq', name)), err(2), `B14 RRQ ${name}`);
    }
    for (const name of ['link-out', 'dir-out/new.txt', 'dir-out/secret.txt', 'abs-out']) {
      expectAnswer(await probe(server.port, rawRequest('wrq', name)), err(2), `B14 WRQ ${name}`);
    }
    expect(existsSync(join(jail.parent, 'new.txt'))).toBe(false);
    // A link that stays inside the root is an ordinary file.
    const inside = await download({ port: server.port, file: 'link-in' });
    expect(inside.bytes.equals(control)).toBe(true);
    await expectControl(server.port, control);
    expectJailUntouched(jail, before);
  });

  it('B19 log lines never carry a refused name: no control characters, no markup', () => {
    const logs = server.events.filter((e) => e.type === 'log').map((e) => e.message);
    expect(logs.length).toBeGreaterThan(50);
    for (const line of logs) {
      // eslint-disable-next-line no-control-regex -- control characters are what is looked for
      expect(line).not.toMatch(/[\x00-\x1f\x7f-\x9f]/);
      expect(line).not.toContain('<img');
    }
  });
});
