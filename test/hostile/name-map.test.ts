// Name mapping rules in hostile forms: rules whose output climbs out of the root (.., backslashes,
// drive letters, UNC prefixes, absolute paths), rules that copy the client's own hostile text into
// the result through a group, and rules that grow a name past every limit. Each mapped name meets
// file-root.ts like a name sent by a client: read and write get one ERROR, nothing outside the root
// is created, changed or read, no reply carries the secret, and the server keeps serving. (In a rule
// file `\\` is one backslash, so `\\\\host` is the UNC prefix.)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNameMap } from '../../electron/tftp/name-map.js';
import { startServer, type TestServer } from '../helpers/test-server.js';
import { randomData } from '../helpers/files.js';
import { makeJail, SECRET_NAME, type Jail } from './support/jail.js';
import {
  CONTROL_NAME,
  err,
  expectAnswer,
  expectControl,
  expectJailUntouched,
  probe,
} from './support/probe.js';
import { rawRequest } from './support/requests.js';

const control = randomData(2000);
let jail: Jail;
let server: TestServer;

// Each rule answers the names "hostile-N" (or copies text from the request) into an escape attempt.
const RULES = String.raw`
e served ${CONTROL_NAME}
e hostile-1 ../${SECRET_NAME}
e hostile-2 sub/../../${SECRET_NAME}
e hostile-3 ..\${SECRET_NAME}
e hostile-4 C:\Windows\win.ini
e hostile-5 \\\\host\share\f
e hostile-6 /../${SECRET_NAME}
r ^copy/(.*)$ \1
r ^up/(.*)$ sub/../\1/../../${SECRET_NAME}
rg z zz
rg z zz
rg z zz
rg z zz
rg z zz
rg z zz
`;

beforeAll(async () => {
  jail = makeJail({ [CONTROL_NAME]: control });
  mkdirSync(join(jail.root, 'sub'));
  const map = parseNameMap(RULES);
  if (!map.ok) throw new Error(JSON.stringify(map.errors));
  server = await startServer({
    root: jail.root,
    uploads: 'overwrite',
    nameMap: map.rules,
    maxRequestsPerSecond: 100_000,
  });
});
afterAll(async () => {
  await server?.stop();
  jail?.remove();
});

// [requested name, answer]: every mapped result is refused (2), or not found (1) where the policy
// reads it as an ordinary name inside the root.
const ROWS: [string, number[]][] = [
  ['hostile-1', [2]],
  ['hostile-2', [2]],
  ['hostile-3', [2]],
  ['hostile-4', [2]],
  ['hostile-5', [2]],
  ['hostile-6', [2]],
  [`copy/../${SECRET_NAME}`, [2]],
  ['copy/..\\..\\x', [2]],
  ['copy/C:x', [2]],
  ['up/a', [2]],
  ['copy/\\\\host\\share', [2]],
];

describe('mapping rules cannot reach outside the root', () => {
  it.each(ROWS)('RRQ and WRQ %s', async (name, codes) => {
    for (const kind of ['rrq', 'wrq'] as const) {
      const before = jail.snapshot();
      const listed = jail.listRoot();
      const replies = await probe(server.port, rawRequest(kind, name));
      expectAnswer(replies, err(...codes), `${kind} ${name}`);
      expect(jail.listRoot()).toEqual(listed);
      expectJailUntouched(jail, before, replies);
    }
    await expectControl(server.port, control);
  });

  it('rules that double a name again and again stop at the bound: one refusal, no hang', async () => {
    const before = jail.snapshot();
    const replies = await probe(server.port, rawRequest('rrq', 'z'.repeat(600)));
    expectAnswer(replies, err(2, 4), 'doubling rule');
    expectJailUntouched(jail, before, replies);
  });

  it('an exact rule into the root still serves', async () => {
    const { download } = await import('./support/download.js');
    const r = await download({ port: server.port, file: 'served' });
    expect(r.error).toBeUndefined();
    expect(r.bytes.equals(control)).toBe(true);
  });
});
