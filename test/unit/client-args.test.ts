// The client's pure parts: the options it asks for and accepts, its argument checks, and the
// `tftp-desk put|get` flags, exit codes and error lines.
import { describe, expect, it } from 'vitest';
import { checkOptions } from '../../electron/tftp/client-args.js';
import { TftpClientError } from '../../electron/tftp/client-errors.js';
import { acceptOack, requestOptions } from '../../electron/tftp/client-options.js';
import { parseHostPort, parseTransferCommand } from '../../electron/cli/transfer-args.js';
import { exitCodeFor, formatError } from '../../electron/cli/transfer-output.js';

describe('client options', () => {
  it('asks only for what differs from RFC 1350', () => {
    expect(requestOptions({ blksize: 512, windowsize: 1 })).toEqual([]);
    expect(requestOptions({ blksize: 1468, windowsize: 8, timeout: 2, tsize: 0 })).toEqual([
      { name: 'blksize', value: '1468' },
      { name: 'windowsize', value: '8' },
      { name: 'timeout', value: '2' },
      { name: 'tsize', value: '0' },
    ]);
  });

  const asked = requestOptions({ blksize: 1468, windowsize: 8, timeout: 2, tsize: 0 });
  it('accepts a subset with smaller values', () => {
    const v = acceptOack(
      asked,
      [
        { name: 'blksize', value: '1024' },
        { name: 'tsize', value: '99' },
      ],
      3,
    );
    expect(v).toEqual({
      ok: true,
      options: { blksize: 1024, windowsize: 1, timeout: 3, tsize: 99, acknowledged: true },
    });
  });
  it.each([
    [[{ name: 'blksize', value: '2000' }], /blksize 2000/],
    [[{ name: 'windowsize', value: '0' }], /windowsize 0/],
    [[{ name: 'timeout', value: '5' }], /timeout 5/],
    [[{ name: 'blksize', value: 'x' }], /not a number/],
    [[{ name: 'multicast', value: '' }], /never asked/],
  ])('refuses %j', (granted, reason) => {
    const v = acceptOack(asked, granted, 3);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toMatch(reason);
  });
});

describe('checkOptions', () => {
  const base = { host: 'h', remoteName: 'f', localPath: 'l' };
  it.each([
    [{ blksize: 7 }],
    [{ blksize: 65465 }],
    [{ windowsize: 0 }],
    [{ timeoutSeconds: 256 }],
    [{ port: 0 }],
    [{ retries: 1.5 }],
    [{ remoteName: '' }],
    [{ remoteName: 'a\0b' }],
  ])('refuses %j as INVALID_ARGUMENT', (bad) => {
    expect(() => checkOptions({ ...base, ...bad })).toThrow(TftpClientError);
    try {
      checkOptions({ ...base, ...bad });
    } catch (err) {
      expect((err as TftpClientError).code).toBe('INVALID_ARGUMENT');
    }
  });
});

describe('tftp-desk put|get flags', () => {
  it.each([
    ['192.168.1.20', { host: '192.168.1.20' }],
    ['192.168.1.20:6969', { host: '192.168.1.20', port: 6969 }],
    ['[::1]:69', { host: '::1', port: 69 }],
    ['[fe80::1%eth0]', { host: 'fe80::1%eth0' }],
    ['::1', { host: '::1' }],
    ['router.lan:69', { host: 'router.lan', port: 69 }],
  ])('%s', (text, want) => expect(parseHostPort(text)).toEqual(want));

  it.each(['[router]:69', 'host:99999', 'a:b:c', ''])('refuses %j', (text) =>
    expect(typeof parseHostPort(text)).toBe('string'),
  );

  it('put: the remote name defaults to the file name; flags carried through', () => {
    const p = parseTransferCommand(
      [
        'put',
        '10.0.0.1:69',
        'fw/firmware.bin',
        '--blksize',
        '1024',
        '--windowsize',
        '4',
        '--wait',
        '60',
        '--json',
      ],
      '/work',
    );
    expect(p).toMatchObject({
      kind: 'transfer',
      command: {
        direction: 'put',
        json: true,
        options: {
          host: '10.0.0.1',
          port: 69,
          localPath: '/work/fw/firmware.bin',
          remoteName: 'firmware.bin',
          blksize: 1024,
          windowsize: 4,
          waitSeconds: 60,
        },
      },
    });
  });

  it('get: saves under the last part of the name, or -o', () => {
    const a = parseTransferCommand(['get', 'h', 'configs\\r1.cfg'], '/work');
    expect(a).toMatchObject({
      command: { options: { remoteName: 'configs\\r1.cfg', localPath: '/work/r1.cfg' } },
    });
    const b = parseTransferCommand(
      ['get', 'h', 'x', '-o', 'out.bin', '--mode', 'netascii', '--no-options'],
      '/work',
    );
    expect(b).toMatchObject({
      command: { options: { localPath: '/work/out.bin', mode: 'netascii', noOptions: true } },
    });
  });

  it.each([
    [['put', 'h']],
    [['get', 'h', 'a', 'b']],
    [['put', 'h', 'f', '-o', 'x']],
    [['get', 'h', 'f', '--remote', 'x']],
    [['get', 'h', 'f', '--mode', 'binary']],
    [['get', 'h', 'f', '--blksize', 'big']],
    [['get', 'h', 'f', '--bogus']],
  ])('usage error: %j', (argv) => expect(parseTransferCommand(argv).kind).toBe('error'));
});

describe('exit codes and error lines', () => {
  it('one code per kind of failure', () => {
    expect(exitCodeFor('INVALID_ARGUMENT')).toBe(2);
    expect(exitCodeFor('NO_ANSWER')).toBe(3);
    expect(exitCodeFor('REFUSED')).toBe(4);
    expect(exitCodeFor('SERVER_ERROR')).toBe(4);
    expect(exitCodeFor('LOCAL_NOT_FOUND')).toBe(5);
    expect(exitCodeFor('TIMEOUT')).toBe(6);
    expect(exitCodeFor('ABORTED')).toBe(130);
  });

  it("escapes the server's message: a terminal escape stays inert", () => {
    const err = new TftpClientError('REFUSED', 'the server refused the request', {
      code: 2,
      message: 'denied\x1b[2J\x07',
    });
    const line = formatError('put', err);
    expect(line).toContain('ERROR 2 (Access violation) "denied\\x1b[2J\\x07"');
    expect(line).not.toContain('\x1b');
  });
});
