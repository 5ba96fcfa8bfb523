// `tftp-desk put|get` as people run it, against our engine on loopback: -o and --remote, --json,
// IPv6 [::1]:PORT, one summary line with the SHA-256, and the documented exit codes with plain
// messages (no stack traces); a server's error message is printed escaped.
import { createSocket, type Socket } from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureEngineBuilt, REPO_ROOT, STACK_LINE } from '../helpers/cli-process.js';
import {
  makeTempDir,
  makeTempRoot,
  randomData,
  removeTempDirs,
  sha256,
  type TempDir,
} from '../helpers/files.js';
import { canBindUdp, freeUdpPort } from '../helpers/ports.js';
import { isInstalled, runProcess, type ProcessResult } from '../helpers/run-process.js';
import { startServer, stopServers, type TestServer } from '../helpers/test-server.js';

const FILE = randomData(20_000);
const hasIpv6 = await canBindUdp('::1');

let root: TempDir;
let local: TempDir;
let server: TestServer;

function cli(args: string[], timeoutMs = 30_000): Promise<ProcessResult> {
  return runProcess(process.execPath, [`${REPO_ROOT}bin/tftp-desk.js`, ...args], {
    cwd: local.path,
    timeoutMs,
  });
}

function expectClean(r: ProcessResult): void {
  expect(r.stderr).not.toMatch(STACK_LINE);
  expect(r.timedOut).toBe(false);
}

beforeAll(async () => {
  await ensureEngineBuilt();
  root = makeTempRoot({ 'fw.bin': FILE });
  local = makeTempDir();
  server = await startServer({ root: root.path, uploads: 'create' });
}, 120_000);
afterAll(async () => {
  await stopServers();
  removeTempDirs();
});

const target = () => `127.0.0.1:${server.port}`;

describe('tftp-desk get and put', () => {
  it('get -o FILE --json: exit 0, one JSON object with the bytes, options and SHA-256', async () => {
    const r = await cli(['get', target(), 'fw.bin', '-o', 'out.bin', '--json', '--blksize', '1024']);
    expectClean(r);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const result = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(result).toMatchObject({ ok: true, direction: 'get', bytes: FILE.length, sha256: sha256(FILE) });
    expect(result.options).toMatchObject({ blksize: 1024, acknowledged: true, tsize: FILE.length });
    expect(sha256(local.read('out.bin'))).toBe(sha256(FILE));
  });

  it('get into a folder keeps the name; put --remote prints one summary line', async () => {
    local.write('dl/.keep', '');
    const g = await cli(['get', target(), 'fw.bin', '-o', 'dl']);
    expect(g.code).toBe(0);
    expect(sha256(local.read('dl/fw.bin'))).toBe(sha256(FILE));
    const p = await cli(['put', target(), 'dl/fw.bin', '--remote', 'pushed.bin', '--windowsize', '4']);
    expectClean(p);
    expect(p.code).toBe(0);
    expect(p.stdout.trim()).toMatch(
      new RegExp(
        `^put .*fw\\.bin -> ${target()} pushed\\.bin: 20\\.0 kB in [\\d.]+ s \\(.*/s, octet.*\\) sha256 ${sha256(FILE)}$`,
      ),
    );
    expect(sha256(root.read('pushed.bin'))).toBe(sha256(FILE));
  });

  it.skipIf(!hasIpv6)('IPv6: [::1]:PORT', async () => {
    const v6 = await startServer({ root: root.path, host: '::1' });
    const r = await cli(['get', `[::1]:${v6.port}`, 'fw.bin', '-o', 'v6.bin']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`[::1]:${v6.port}`);
    expect(sha256(local.read('v6.bin'))).toBe(sha256(FILE));
    await v6.stop();
  });
});

describe('exit codes', () => {
  it('2: usage errors, before anything is sent', async () => {
    for (const args of [
      ['get', target(), 'fw.bin', '--blksize', '3'],
      ['get', target(), 'fw.bin', '--bogus'],
      ['put', target()],
      ['get', '[nonsense]:69', 'x'],
    ]) {
      const r = await cli(args);
      expectClean(r);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(/^tftp-desk: /);
    }
  });

  it('3: no answer (nothing listens on the port)', async () => {
    const port = await freeUdpPort();
    const r = await cli(['get', `127.0.0.1:${port}`, 'x.bin', '--timeout', '1', '--retries', '1']);
    expectClean(r);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/no answer from the server/);
    expect(local.list().filter((n) => n.includes('x.bin'))).toEqual([]);
  });

  it('4: the server refuses (file not found; an upload over an existing file)', async () => {
    const a = await cli(['get', target(), 'missing.bin', '--json']);
    expect(a.code).toBe(4);
    expect(JSON.parse(a.stdout)).toMatchObject({
      ok: false,
      exitCode: 4,
      error: { code: 'REFUSED', server: { code: 1 } },
    });
    local.write('again.bin', 'x');
    await cli(['put', target(), 'again.bin']);
    const b = await cli(['put', target(), 'again.bin']);
    expectClean(b);
    expect(b.code).toBe(4);
    expect(b.stderr).toMatch(/ERROR 6 \(File already exists\)/);
  });

  it('5: local file errors (a missing file to put, a missing folder to save in)', async () => {
    const a = await cli(['put', target(), 'no-such-file.bin']);
    expectClean(a);
    expect(a.code).toBe(5);
    expect(a.stderr).toMatch(/no-such-file\.bin: no such file/);
    const b = await cli(['get', target(), 'fw.bin', '-o', 'no/such/folder/x.bin']);
    expect(b.code).toBe(5);
  });

  it("the server's error message is printed escaped: a terminal escape stays inert", async () => {
    // A server that refuses every request with a hostile message.
    const hostile: Socket = createSocket('udp4');
    await new Promise<void>((resolve) => hostile.bind(0, '127.0.0.1', () => resolve()));
    const message = Buffer.from('denied\x1b[2J\x1b]0;owned\x07', 'latin1');
    hostile.on('message', (_msg, rinfo) => {
      const reply = Buffer.concat([Buffer.from([0, 5, 0, 2]), message, Buffer.from([0])]);
      hostile.send(reply, rinfo.port, rinfo.address);
    });
    try {
      const r = await cli(['get', `127.0.0.1:${hostile.address().port}`, 'x.bin']);
      expect(r.code).toBe(4);
      expect(r.stderr).toContain('ERROR 2 (Access violation) "denied\\x1b[2J\\x1b]0;owned\\x07"');
      expect(r.stderr).not.toContain('\x1b');
    } finally {
      hostile.close();
    }
  });

  it.skipIf(!isInstalled('script'))(
    'on a terminal, a progress line is drawn on stderr and cleared',
    async () => {
      // script(1) runs the CLI on a pseudo-terminal, so stderr is a TTY as in an interactive shell.
      const command = `${process.execPath} ${REPO_ROOT}bin/tftp-desk.js get ${target()} fw.bin -o tty.bin --blksize 512`;
      const r = await runProcess('script', ['-qfec', command, '/dev/null'], {
        cwd: local.path,
        timeoutMs: 30_000,
      });
      expect(r.code).toBe(0);
      // eslint-disable-next-line no-control-regex -- the terminal's erase-line sequence is the point
      expect(r.stdout).toMatch(/\r\x1b\[2K\s*\d+%\s+[\d.]+ k?B of 20\.0 kB/);
      expect(r.stdout).toMatch(new RegExp(`sha256 ${sha256(FILE)}`));
    },
  );

  it('--help lists put and get with the exit codes', async () => {
    const r = await cli(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tftp-desk put HOST\[:PORT\] FILE/);
    expect(r.stdout).toMatch(/tftp-desk get HOST\[:PORT\] NAME/);
    expect(r.stdout).toMatch(/Exit status:[\s\S]*3\s+no answer/);
  });
});
