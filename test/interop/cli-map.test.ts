// `tftp-desk serve --map FILE` end to end: the rules answer a device's name with the mapped file
// (and the JSON event says so), and a bad rule file stops the server before it listens, naming
// each bad line, without a stack trace.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { ensureEngineBuilt, ServeProcesses, STACK_LINE } from '../helpers/cli-process.js';
import { makeTempDir, makeTempRoot, removeTempDirs, type TempDir } from '../helpers/files.js';
import { freeUdpPort } from '../helpers/ports.js';
import { CLIENTS } from '../helpers/tftp-clients.js';

const PHONE_DEFAULT = Buffer.from('<device><default/></device>\n');

let root: TempDir;
let scratch: TempDir;
const servers = new ServeProcesses();
const serve = (args: string[]) => servers.serve(args);

beforeAll(async () => {
  await ensureEngineBuilt();
  root = makeTempRoot({ 'XMLDefault.cnf.xml': PHONE_DEFAULT });
  scratch = makeTempDir();
  scratch.write('phones.map', '# Cisco phones\nr ^SEP[0-9A-F]{12}\\.cnf\\.xml$ XMLDefault.cnf.xml\n');
  scratch.write('bad.map', 'r ^SEP.*$ XMLDefault.cnf.xml\nmap this to that\nr [ x\n');
}, 120_000);

afterEach(() => servers.stopAll());

afterAll(removeTempDirs);

describe('serve --map', () => {
  it('answers the mapped name with the mapped file, and the event says which rule', async () => {
    const port = await freeUdpPort();
    const cli = await servers.serveJson(root.path, port, ['--map', scratch.file('phones.map')]);
    const local = scratch.file('phone.xml');
    const r = await CLIENTS.curl.get({ host: '127.0.0.1', port, remote: 'SEP001122AABBCC.cnf.xml', local });
    expect(r.ok, r.summary).toBe(true);
    expect(readFileSync(local)).toEqual(PHONE_DEFAULT);
    const started = JSON.parse(await cli.waitForLine(/"type":"session-started"/)) as {
      file: string;
      request: { name: string; mapped: { to: string; rule: string }; client: { client: string } };
    };
    expect(started.file).toBe('XMLDefault.cnf.xml');
    expect(started.request.name).toBe('SEP001122AABBCC.cnf.xml');
    expect(started.request.mapped).toEqual({
      to: 'XMLDefault.cnf.xml',
      rule: 'r ^SEP[0-9A-F]{12}\\.cnf\\.xml$ XMLDefault.cnf.xml',
    });
    expect(started.request.client.client).toBe('curl');
  });

  it('refuses a bad rule file before listening, naming each bad line', async () => {
    const port = await freeUdpPort();
    const cli = serve([
      '--root',
      root.path,
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--map',
      scratch.file('bad.map'),
    ]);
    expect(await cli.exited).toEqual({ code: 2, signal: null });
    const err = cli.stderr.join('\n');
    expect(err).toMatch(/bad\.map: 2 bad rules/);
    expect(err).toMatch(/line 2: unknown rule "map"/);
    expect(err).toMatch(/line 3: bad regular expression/);
    expect(err).not.toMatch(STACK_LINE);
    expect(cli.stdout.join('\n')).not.toMatch(/listening/);
  });

  it('says when the rule file does not exist', async () => {
    const cli = serve([
      '--root',
      root.path,
      '--host',
      '127.0.0.1',
      '--port',
      '6969',
      '--map',
      scratch.file('missing.map'),
    ]);
    expect(await cli.exited).toEqual({ code: 2, signal: null });
    expect(cli.stderr.join('\n')).toMatch(/missing\.map: no such file/);
  });
});
