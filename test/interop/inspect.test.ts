// The request inspector with the real clients over loopback: each session-started event carries
// the request exactly as the client sent it (mode, options, order) and the client it looks like;
// name mapping rules answer the names devices insist on with the right bytes and never reach
// outside the root; a name that is not found gets the ERROR first, then suggestions from the
// served folder on the refusal and its log line.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import type { EngineEvent, LogEvent, SessionFailedEvent, SessionStartedEvent } from '../../shared/events.js';
import { parseNameMap } from '../../electron/tftp/name-map.js';
import { makeTempDir, makeTempRoot, randomData, removeTempDirs, type TempDir } from '../helpers/files.js';
import { CLIENTS, type ClientTransfer } from '../helpers/tftp-clients.js';
import { startServer, stopServers, type TestServer } from '../helpers/test-server.js';

const DATA = randomData(3000);
const PHONE_DEFAULT = Buffer.from('<device><default/></device>\n');
const BOARD_IMAGE = randomData(2000);
const BCD = randomData(700);
const SECRET = 'SECRET-OUTSIDE-THE-ROOT';

const MAP = String.raw`
# Cisco phones: every SEP<MAC>.cnf.xml gets the default
r ^SEP[0-9A-F]{12}\.cnf\.xml$ XMLDefault.cnf.xml
# U-Boot's default name, <IP in hex>.img, read from a folder per board
rG ^([0-9A-F]{8})\.img$ boards/\x.img
# a rule that tries to leave the root: file-root refuses the result
e secret.txt ../secret.txt
`;

let base: TempDir;
let root: TempDir;
let scratch: TempDir;
let server: TestServer;

beforeAll(async () => {
  base = makeTempDir();
  base.write('secret.txt', SECRET);
  root = makeTempRoot({
    'data.bin': DATA,
    'text.txt': 'line one\nline two\n',
    'XMLDefault.cnf.xml': PHONE_DEFAULT,
    'boards/7F000001.img': BOARD_IMAGE,
    'Boot/BCD': BCD,
  });
  scratch = makeTempDir();
  const map = parseNameMap(MAP);
  if (!map.ok) throw new Error(JSON.stringify(map.errors));
  server = await startServer({ root: root.path, nameMap: map.rules });
});

// Each test finds its session by the name as sent: start from a clean record.
beforeEach(() => server.clearEvents());

afterAll(async () => {
  await stopServers();
  removeTempDirs();
});

const isStarted =
  (name: string) =>
  (e: EngineEvent): e is SessionStartedEvent =>
    e.type === 'session-started' && e.request?.name === name;

/** The session for the name as sent, once it has ended, with its log lines. */
async function sessionFor(name: string) {
  const started = await server.waitFor(isStarted(name));
  const end = await server.waitFor(
    (e): e is Exclude<EngineEvent, SessionStartedEvent | LogEvent> =>
      (e.type === 'session-finished' || e.type === 'session-failed') && e.id === started.id,
  );
  const logs = server.events.filter((e): e is LogEvent => e.type === 'log' && e.sessionId === started.id);
  return { started, end, logs };
}

function transfer(remote: string, extra: Partial<ClientTransfer> = {}): ClientTransfer {
  return {
    host: server.host,
    port: server.port,
    remote,
    local: scratch.file(`${remote.replace(/\W/g, '_')}-${Math.random()}`),
    ...extra,
  };
}

describe('the fingerprint and the options as sent, from each real client', () => {
  it('curl: tsize, blksize, timeout in its order', async () => {
    const r = await CLIENTS.curl.get(transfer('data.bin'));
    expect(r.ok, r.summary).toBe(true);
    const { started, logs } = await sessionFor('data.bin');
    expect(started.request).toMatchObject({
      mode: 'octet',
      options: [
        { name: 'tsize', value: '0' },
        { name: 'blksize', value: '512' },
        { name: 'timeout', value: '6' },
      ],
      client: { client: 'curl', confidence: 'likely' },
    });
    expect(logs.map((l) => l.message).join('\n')).toMatch(
      /"data\.bin" octet tsize=0 blksize=512 timeout=6, curl \(likely\)/,
    );
  });

  it('tftp-hpa: netascii and no options', async () => {
    const r = await CLIENTS['tftp-hpa'].get(transfer('text.txt', { mode: 'netascii' }));
    expect(r.ok, r.summary).toBe(true);
    const { started } = await sessionFor('text.txt');
    expect(started.request).toMatchObject({ mode: 'netascii', options: [], client: { client: 'tftp-hpa' } });
  });

  it('atftp: its option table order', async () => {
    const r = await CLIENTS.atftp.get(transfer('data.bin', { blksize: 1024, tsize: 0 }));
    expect(r.ok, r.summary).toBe(true);
    const { started } = await sessionFor('data.bin');
    expect(started.request?.options.map((o) => o.name)).toEqual(['tsize', 'blksize']);
    // atftp sends its options in its own table order, whatever the order on its command line
    expect(started.request?.client).toMatchObject({ client: 'atftp' });
  });

  it('BusyBox: a lone tsize 0, named as a guess', async () => {
    const r = await CLIENTS.busybox.get(transfer('Boot/BCD'));
    expect(r.ok, r.summary).toBe(true);
    const { started } = await sessionFor('Boot/BCD');
    expect(started.request).toMatchObject({
      options: [{ name: 'tsize', value: '0' }],
      client: { client: 'busybox', confidence: 'guess' },
    });
  });
});

describe('name mapping end to end', () => {
  it('a Cisco phone asking for its own file gets the default, and the event says which rule', async () => {
    const t = transfer('SEP001122AABBCC.cnf.xml');
    const r = await CLIENTS.curl.get(t);
    expect(r.ok, r.summary).toBe(true);
    expect(readFileSync(t.local)).toEqual(PHONE_DEFAULT);
    const { started } = await sessionFor('SEP001122AABBCC.cnf.xml');
    expect(started.file).toBe('XMLDefault.cnf.xml');
    expect(started.request?.mapped).toEqual({
      to: 'XMLDefault.cnf.xml',
      rule: String.raw`r ^SEP[0-9A-F]{12}\.cnf\.xml$ XMLDefault.cnf.xml`,
    });
  });

  it("U-Boot's <IP in hex>.img name reaches the board's folder (\\x is the client's address)", async () => {
    const t = transfer('00000000.img');
    const r = await CLIENTS.busybox.get(t);
    expect(r.ok, r.summary).toBe(true);
    expect(readFileSync(t.local)).toEqual(BOARD_IMAGE);
  });

  it('a rule pointing outside the root is refused like any client name', async () => {
    const t = transfer('secret.txt');
    const r = await CLIENTS.atftp.get(t);
    expect(r.ok).toBe(false);
    const { end } = await sessionFor('secret.txt');
    expect(end).toMatchObject({ type: 'session-failed', code: 2 });
    let got = '';
    try {
      got = readFileSync(t.local, 'utf8');
    } catch {
      // no file at all: nothing leaked
    }
    expect(got).not.toContain(SECRET);
  });
});

describe('suggestions for a name that is not found', () => {
  it('ERROR 1 to the client, then the case-only match on the refusal and its log line', async () => {
    const r = await CLIENTS['tftp-hpa'].get(transfer('boot/bcd'));
    expect(r.ok).toBe(false);
    expect(r.stdout + r.stderr).toMatch(/Error code 1/);
    const { end, logs } = await sessionFor('boot/bcd');
    expect((end as SessionFailedEvent).suggestions).toEqual([{ file: 'Boot/BCD', reason: 'case' }]);
    expect(logs.map((l) => l.message).join('\n')).toMatch(
      /RRQ refused: .*\(ERROR 1\): "boot\/bcd" octet, Windows Boot Manager \(a guess\); did you mean "Boot\/BCD" \(case\)/,
    );
  });

  it('escapes what is not printable in the log line', async () => {
    const name = 'report\u202etxt.exe';
    const r = await CLIENTS.curl.get(transfer(name));
    expect(r.ok).toBe(false);
    const { started, logs } = await sessionFor(name);
    expect(started.request?.name).toBe(name);
    const text = logs.map((l) => l.message).join('\n');
    expect(text).toContain('"report\\u202etxt.exe"');
    expect(text).not.toContain('\u202e');
  });

  it('keeps a name the path policy refuses out of the log line, and on the event as sent', async () => {
    const name = 'no\u001b[31m<b>file';
    const r = await CLIENTS.curl.get(transfer(name));
    expect(r.ok).toBe(false);
    const { started, end, logs } = await sessionFor(name);
    expect(end).toMatchObject({ code: 2 });
    expect(started.request?.name).toBe(name);
    const text = logs.map((l) => l.message).join('\n');
    expect(text).toMatch(
      /\(a name the path policy refuses\) octet tsize=0 blksize=512 timeout=6, curl \(likely\)/,
    );
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('<b>');
  });
});
