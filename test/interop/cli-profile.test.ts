// `tftp-desk serve --profile MATCH=PROFILE` end to end: the rule changes what goes on the wire for
// the matching client (no OACK under plain RFC 1350) and the JSON event names the profile; a bad
// rule stops the server before it listens with a plain message, never a stack trace.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureEngineBuilt, ServeProcesses, STACK_LINE } from '../helpers/cli-process.js';
import { makeTempRoot, randomData, removeTempDirs, type TempDir } from '../helpers/files.js';
import { freeUdpPort } from '../helpers/ports.js';
import { rawDownload } from '../helpers/raw-transfers.js';

const DATA = randomData(3000);

let root: TempDir;
const servers = new ServeProcesses();
const serve = (args: string[]) => servers.serve(args);

beforeAll(async () => {
  await ensureEngineBuilt();
  root = makeTempRoot({ 'fw.bin': DATA });
}, 120_000);

afterEach(() => servers.stopAll());

afterAll(removeTempDirs);

describe('serve --profile', () => {
  it('applies the first matching rule on the wire and names it in the event', async () => {
    const port = await freeUdpPort();
    const cli = await servers.serveJson(root.path, port, [
      '--profile',
      'client:ipxe=no-tsize',
      '--profile',
      '127.0.0.0/8=plain-rfc1350',
      '--profile',
      '127.0.0.1=old-u-boot',
    ]);
    const r = await rawDownload({
      port,
      file: 'fw.bin',
      options: [
        ['blksize', '1024'],
        ['tsize', '0'],
      ],
    });
    expect(r.complete).toBe(true);
    expect(r.bytes.equals(DATA)).toBe(true);
    expect(r.oack).toBeUndefined();
    expect(r.received[0]?.raw.subarray(0, 4)).toEqual(Buffer.from([0, 3, 0, 1]));
    const started = JSON.parse(await cli.waitForLine(/"type":"session-started"/)) as { profile?: string };
    expect(started.profile).toBe('plain-rfc1350');
  });

  it('refuses a bad rule before listening, saying what is wrong', async () => {
    const cli = serve(['--root', root.path, '--port', '6969', '--profile', '10.0.0.0/24=fastest']);
    expect(await cli.exited).toEqual({ code: 2, signal: null });
    const err = cli.stderr.join('\n');
    expect(err).toMatch(/--profile: "fastest" is not a profile; use one of old-u-boot/);
    expect(err).not.toMatch(STACK_LINE);
    expect(cli.stdout.join('\n')).not.toMatch(/listening/);
  });

  it('lists the profiles in --help', async () => {
    const cli = serve(['--help']);
    await cli.exited;
    const help = cli.stdout.join('\n');
    expect(help).toMatch(/--profile MATCH=PROFILE/);
    expect(help).toMatch(/old-u-boot, cisco-rommon, strict-pxe, plain-rfc1350/);
  });
});
