// A "Send to device" transfer turned into the session events the live list and history fold.
import { describe, expect, it } from 'vitest';
import { clientSessionEvents, devicePeer } from '../../electron/app/client-sessions.js';

const put = () =>
  clientSessionEvents({
    id: 'client-1',
    request: {
      direction: 'put',
      device: '192.0.2.7',
      localName: 'fw.bin',
      remoteName: 'flash.bin',
      blksize: 1428,
    },
    host: '192.0.2.7',
    port: 69,
    localPath: '/srv/tftp/fw.bin',
    time: 1000,
    size: 4096,
  });

describe('client session events', () => {
  it('names the device like a server peer, IPv6 in brackets', () => {
    expect(devicePeer('192.0.2.7', 69)).toBe('192.0.2.7:69');
    expect(devicePeer('2001:db8::7', 6969)).toBe('[2001:db8::7]:6969');
  });

  it('starts a put as a client transfer sending bytes out, with the requested options', () => {
    expect(put().started()).toEqual({
      type: 'session-started',
      time: 1000,
      id: 'client-1',
      peer: '192.0.2.7:69',
      file: 'flash.bin',
      direction: 'download',
      mode: 'octet',
      options: { blksize: 1428, windowsize: 1, timeout: 1 },
      role: 'client',
      localPath: '/srv/tftp/fw.bin',
      size: 4096,
    });
  });

  it('starts a get as bytes coming in', () => {
    const get = clientSessionEvents({
      id: 'c',
      request: { direction: 'get', device: 'd', localName: 'x', remoteName: 'cfg', mode: 'netascii' },
      host: 'router.lan',
      port: 69,
      localPath: '/tmp/x',
      time: 0,
    });
    expect(get.started()).toMatchObject({ direction: 'upload', mode: 'netascii', peer: 'router.lan:69' });
    expect(get.started().size).toBeUndefined();
  });

  it('reports the speed over the last interval and carries a total once known', () => {
    const t = put();
    expect(t.progress(1000, undefined, 1500)).toEqual({
      type: 'session-progress',
      time: 1500,
      id: 'client-1',
      bytes: 1000,
      rate: 2000,
      retransmits: 0,
    });
    expect(t.progress(3000, 4096, 2500)).toMatchObject({ rate: 2000, total: 4096 });
    // a report at the same instant keeps the last speed instead of dividing by zero
    expect(t.progress(3500, 4096, 2500).rate).toBe(2000);
    // the client's resends so far reach the live row (the final stats are not the first to say)
    expect(t.progress(4000, 4096, 3000, 3).retransmits).toBe(3);
  });

  it('ends with the result as the stats the history shows', () => {
    const t = put();
    const end = t.finished(
      {
        direction: 'put',
        host: '192.0.2.7',
        port: 69,
        remoteName: 'flash.bin',
        localPath: '/srv/tftp/fw.bin',
        mode: 'octet',
        bytes: 4096,
        durationMs: 2000,
        sha256: 'ab'.repeat(32),
        options: { blksize: 1428, windowsize: 1, timeout: 1, acknowledged: true },
        retransmits: 2,
      },
      3000,
    );
    expect(end).toEqual({
      type: 'session-finished',
      time: 3000,
      id: 'client-1',
      stats: { bytes: 4096, durationMs: 2000, averageRate: 2048, retransmits: 2, sha256: 'ab'.repeat(32) },
    });
  });

  it("fails with the device's error code and who ended it", () => {
    const t = put();
    t.progress(512, 4096, 1100);
    expect(t.failed('SERVER_ERROR', 'The device stopped the transfer.', 3, 1600)).toEqual({
      type: 'session-failed',
      time: 1600,
      id: 'client-1',
      code: 3,
      message: 'The device stopped the transfer.',
      by: 'server',
      bytes: 512,
      durationMs: 600,
    });
    expect(t.failed('NO_ANSWER', 'x', undefined, 2000)).toMatchObject({ code: 0, by: 'timeout' });
    expect(t.failed('ABORTED', 'Cancelled.', undefined, 2000)).toMatchObject({ by: 'client' });
    // a code off the RFC's table is not passed on as one
    expect(t.failed('REFUSED', 'x', 99, 2000)).toMatchObject({ code: 0, by: 'server' });
  });
});
