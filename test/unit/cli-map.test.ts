import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseCommand } from '../../electron/cli/cli-args.js';
import { readNameMapFile } from '../../electron/cli/map-file.js';

let dir: string;
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tftp-map-'));
  await fs.writeFile(path.join(dir, 'good.map'), 'e a.bin b.bin\nr ^x(\\d)$ y\\1\n');
  await fs.writeFile(path.join(dir, 'bad.map'), '# fine\ne a.bin b.bin\nq what\nr ( x\n');
});
afterAll(async () => fs.rm(dir, { recursive: true, force: true }));

describe('--map', () => {
  it('takes the rule file path, resolved against the working folder', () => {
    const cmd = parseCommand(['serve', '--root', '/srv', '--map', 'rules.map'], '/home/me');
    expect(cmd.kind === 'serve' && cmd.options.mapFile).toBe(path.resolve('/home/me', 'rules.map'));
    const none = parseCommand(['serve', '--root', '/srv'], '/home/me');
    expect(none.kind === 'serve' && none.options.mapFile).toBeUndefined();
  });

  it('reads a good file into rules', async () => {
    const r = await readNameMapFile(path.join(dir, 'good.map'));
    expect(r.ok && r.rules.map((x) => x.kind)).toEqual(['exact', 'pattern']);
  });

  it('names every bad line', async () => {
    const r = await readNameMapFile(path.join(dir, 'bad.map'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.message).toMatch(
      /bad\.map: 2 bad rules\n {2}line 3: unknown rule "q".*\n {2}line 4: bad regular expression/,
    );
  });

  it('says when the file is missing or a folder', async () => {
    const missing = await readNameMapFile(path.join(dir, 'nope.map'));
    expect(!missing.ok && missing.message).toMatch(/nope\.map: no such file$/);
    const folder = await readNameMapFile(dir);
    expect(!folder.ok && folder.message).toMatch(/is a folder$/);
  });
});
