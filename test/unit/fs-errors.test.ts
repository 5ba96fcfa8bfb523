import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs/promises';
import { constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fsErrorCode, mapFsError } from '../../electron/tftp/fs-errors.js';

let dir: string;
const SECRET_NAME = 'secret-name-7f3a';

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tftp-fs-errors-'));
  await fs.writeFile(path.join(dir, SECRET_NAME), 'x');
  await fs.mkdir(path.join(dir, 'folder'));
  await fs.symlink(SECRET_NAME, path.join(dir, 'link'));
});
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

async function errorOf(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (err) {
    return err;
  }
  throw new Error('expected the file system call to fail');
}

describe('mapFsError with errors from real file system calls', () => {
  const cases: Array<[string, () => Promise<unknown>, number, string]> = [
    ['ENOENT', () => fs.open(path.join(dir, 'missing', SECRET_NAME)), 1, 'File not found'],
    ['ENOTDIR', () => fs.open(path.join(dir, SECRET_NAME, 'below')), 1, 'File not found'],
    ['EISDIR', () => fs.readFile(path.join(dir, 'folder')), 1, 'File not found'],
    ['EEXIST', () => fs.open(path.join(dir, SECRET_NAME), 'wx'), 6, 'File already exists'],
    ['ENAMETOOLONG', () => fs.open(path.join(dir, SECRET_NAME.repeat(40))), 2, 'Name too long'],
    [
      'ELOOP',
      () => fs.open(path.join(dir, 'link'), constants.O_RDONLY | constants.O_NOFOLLOW),
      2,
      'Access violation',
    ],
  ];
  it.each(cases)('%s', async (expectedErrno, action, code, clientMessage) => {
    const err = await errorOf(action);
    expect(fsErrorCode(err)).toBe(expectedErrno);
    const mapped = mapFsError(err);
    expect(mapped.code).toBe(code);
    expect(mapped.clientMessage).toBe(clientMessage);
    // Node's message usually names the path; the mapping must not carry it anywhere.
    expect(JSON.stringify(mapped)).not.toContain(SECRET_NAME);
    expect(JSON.stringify(mapped)).not.toContain(dir);
  });
});

describe('mapFsError table', () => {
  // Codes that cannot be produced on demand here (as root, on ext4) are built the way Node builds them.
  const withCode = (code: string): Error =>
    Object.assign(new Error(`${code}: failed, open '/srv/tftp/${SECRET_NAME}'`), { code });
  const table: Array<[string, number, string]> = [
    ['EACCES', 2, 'Access violation'],
    ['EPERM', 2, 'Access violation'],
    ['EBUSY', 2, 'Access violation'],
    ['EROFS', 2, 'Access violation'],
    ['ENOSPC', 3, 'Disk full or allocation exceeded'],
    ['EDQUOT', 3, 'Disk full or allocation exceeded'],
    ['EFBIG', 3, 'Disk full or allocation exceeded'],
    ['EIO', 0, 'I/O error'],
    ['EMFILE', 0, 'Server busy'],
    ['EXDEV', 0, 'Server error'],
  ];
  it.each(table)('%s -> ERR %i', (code, tftpCode, clientMessage) => {
    const mapped = mapFsError(withCode(code));
    expect(mapped).toMatchObject({ code: tftpCode, clientMessage });
    expect(mapped.reason).not.toContain(SECRET_NAME);
    expect(Buffer.byteLength(mapped.clientMessage)).toBeLessThanOrEqual(128);
  });

  it('does not treat the "EACCESS" misspelling as the permission code', () => {
    expect(mapFsError(withCode('EACCES')).code).toBe(2);
    expect(mapFsError(withCode('EACCESS')).code).toBe(0);
  });

  it('names an unknown errno in the reason, but nothing else from the error', () => {
    expect(mapFsError(withCode('EXDEV')).reason).toBe('unexpected file system error EXDEV');
    const odd = Object.assign(new Error('x'), { code: `EVIL /etc/${SECRET_NAME}\n%s` });
    expect(mapFsError(odd)).toEqual({ code: 0, clientMessage: 'Server error', reason: 'unexpected error' });
  });

  it.each([null, undefined, 'ENOENT', 42, {}, { code: 5 }, new Error('plain')])(
    'never throws on %s',
    (value) => {
      expect(mapFsError(value)).toEqual({
        code: 0,
        clientMessage: 'Server error',
        reason: 'unexpected error',
      });
    },
  );

  it('returns a fresh object each call (callers may annotate it)', () => {
    const a = mapFsError(withCode('ENOENT'));
    a.reason = 'changed';
    expect(mapFsError(withCode('ENOENT')).reason).toBe('file not found');
  });
});
