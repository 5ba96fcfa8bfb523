import { describe, expect, it } from 'vitest';
import { INVOKE_METHODS } from '../../shared/ipc-contract.js';
import { MAX_EXPORT_CHARS, checkInvoke } from '../../electron/app/invoke-args.js';

const CLIENT_REQUEST = { direction: 'put', device: '192.0.2.1', localName: 'fw.bin', remoteName: 'fw.bin' };

describe('checkInvoke', () => {
  it('knows every contract method and nothing else', () => {
    for (const m of INVOKE_METHODS) {
      const accepted = [
        [],
        ['x'],
        [{}],
        [CLIENT_REQUEST],
        [['e a b']],
        [{ name: 'x' }],
        [{ direction: 'put' }],
      ].some((args) => checkInvoke(m, args).ok);
      expect(accepted, m).toBe(true);
    }
    for (const m of ['constructor', '__proto__', 'toString', 'dispose', 'on', '', 42, null]) {
      expect(checkInvoke(m, [])).toEqual({ ok: false, error: 'Unknown method.' });
    }
  });

  it('requires an argument list of the right length', () => {
    expect(checkInvoke('getSnapshot', {})).toMatchObject({ ok: false });
    expect(checkInvoke('getSnapshot', ['extra'])).toMatchObject({ ok: false });
    expect(checkInvoke('setRoot', [])).toMatchObject({ ok: false });
    expect(checkInvoke('setRoot', ['/a', '/b'])).toMatchObject({ ok: false });
  });

  it('checks paths, settings objects and log size', () => {
    expect(checkInvoke('setRoot', ['/srv/tftp'])).toMatchObject({ ok: true });
    expect(checkInvoke('setRoot', [42])).toMatchObject({ ok: false });
    expect(checkInvoke('setRoot', ['/srv\0/etc'])).toMatchObject({ ok: false });
    expect(checkInvoke('checksum', ['a'.repeat(5000)])).toMatchObject({ ok: false });
    expect(checkInvoke('updateSettings', [{ port: 6969 }])).toMatchObject({ ok: true });
    expect(checkInvoke('updateSettings', [{ port: 'x' }])).toMatchObject({ ok: true }); // values: the controller
    expect(checkInvoke('updateSettings', [{ evil: 1 }])).toEqual({
      ok: false,
      error: 'Unknown setting "evil".',
    });
    expect(checkInvoke('updateSettings', [[1]])).toMatchObject({ ok: false });
    expect(checkInvoke('updateSettings', [null])).toMatchObject({ ok: false });
    expect(checkInvoke('updateSettings', [new Date()])).toMatchObject({ ok: false });
    expect(checkInvoke('updateSettings', [JSON.parse('{"__proto__":{"x":1}}')])).toMatchObject({ ok: false });
    expect(checkInvoke('exportLog', ['line\n'])).toMatchObject({ ok: true });
    expect(checkInvoke('exportLog', [{}])).toMatchObject({ ok: false });
    expect(checkInvoke('exportLog', ['x'.repeat(MAX_EXPORT_CHARS + 1)])).toMatchObject({ ok: false });
  });

  it('checks the shape of a client transfer request', () => {
    expect(checkInvoke('startClientTransfer', [CLIENT_REQUEST])).toMatchObject({ ok: true });
    expect(
      checkInvoke('startClientTransfer', [
        { ...CLIENT_REQUEST, blksize: 1468, mode: 'netascii', waitSeconds: 0 },
      ]),
    ).toMatchObject({ ok: true });
    for (const bad of [
      {},
      { ...CLIENT_REQUEST, direction: 'delete' },
      { ...CLIENT_REQUEST, device: 42 },
      { ...CLIENT_REQUEST, localName: 'a\0b' },
      { ...CLIENT_REQUEST, blksize: '1468' },
      { ...CLIENT_REQUEST, mode: 'mail' },
      { ...CLIENT_REQUEST, localPath: 42 },
      { ...CLIENT_REQUEST, localPath: '' },
      { ...CLIENT_REQUEST, localPath: '/tmp/a\0b' },
      { ...CLIENT_REQUEST, localPath: `/${'x'.repeat(5000)}` },
    ]) {
      expect(checkInvoke('startClientTransfer', [bad]), JSON.stringify(bad)).toMatchObject({ ok: false });
    }
    // a full path has its shape checked here; whether it may be used is the client host's call
    expect(
      checkInvoke('startClientTransfer', [{ ...CLIENT_REQUEST, localPath: '/home/me/fw.bin' }]),
    ).toMatchObject({ ok: true });
  });

  it('checks what the Send to device file dialog is opened for', () => {
    expect(checkInvoke('chooseClientFile', [{ direction: 'put' }])).toMatchObject({ ok: true });
    expect(checkInvoke('chooseClientFile', [{ direction: 'get', suggestedName: 'cfg' }])).toMatchObject({
      ok: true,
    });
    for (const bad of [
      [],
      ['put'],
      [{ direction: 'delete' }],
      [{ direction: 'get', suggestedName: 7 }],
      [{ direction: 'get', defaultPath: '/etc' }],
    ]) {
      expect(checkInvoke('chooseClientFile', bad), JSON.stringify(bad)).toMatchObject({ ok: false });
    }
  });
});
