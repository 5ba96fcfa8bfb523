// The server's session table on its own: reservations, limits, a request from a live session's
// port (answered again, or held and served once the session ends for it), upload names.
import type { RemoteInfo, Socket } from 'node:dgram';
import { describe, expect, it } from 'vitest';
import { SessionTable, type HeldRequest } from '../../electron/tftp/session-table.js';
import type { Peer, Session } from '../../electron/tftp/transfer.js';

const limits = { maxSessions: 3, maxSessionsPerClient: 2 };
const peer = (address: string, port: number): Peer => ({ address, port, family: 'IPv4' });

/** A session that records what the table tells it. */
function session(p: Peer, id = `${p.address}:${p.port}`) {
  const repeats: [string, boolean][] = [];
  const s: Session = {
    peer: p,
    id,
    abort: () => Promise.resolve(),
    requestRepeated: (kind, identical) => repeats.push([kind, identical]),
  };
  return { s, repeats };
}

function held(p: Peer, msg: Buffer, at = Date.now()): HeldRequest {
  const rinfo = { address: p.address, port: p.port, family: 'IPv4', size: msg.length } as RemoteInfo;
  // The table only keeps the listener for whoever serves the request later.
  return {
    msg,
    rinfo,
    local: { address: '127.0.0.1', family: 'IPv4', interface: '' },
    listener: {} as Socket,
    at,
    serve: false,
  };
}

describe('SessionTable', () => {
  it('counts sessions in all and per address, and frees a refused reservation', () => {
    const t = new SessionTable();
    const a1 = peer('10.0.0.1', 1001);
    t.reserve(a1, Buffer.from('r1'));
    t.reserve(peer('10.0.0.1', 1002), Buffer.from('r2'));
    expect(t.crowding('10.0.0.1', limits)).toBe('client busy');
    expect(t.crowding('10.0.0.2', limits)).toBeUndefined();
    t.reserve(peer('10.0.0.2', 2001), Buffer.from('r3'));
    expect(t.crowding('10.0.0.3', limits)).toBe('server busy');
    t.cancel(a1);
    expect(t.crowding('10.0.0.1', limits)).toBeUndefined();
    // Reservations are not live sessions yet.
    expect(t.activeSessions).toBe(0);
  });

  it('a repeat of the first request is answered again by the live session; a different one is held', () => {
    const t = new SessionTable();
    const p = peer('10.0.0.1', 1001);
    const first = Buffer.from('first');
    t.reserve(p, first);
    // While the request is admitted, anything from its port is ignored.
    expect(t.repeatedRequest(held(p, first), 'rrq')).toBe(true);
    const { s, repeats } = session(p);
    t.hold(s);
    expect(t.activeSessions).toBe(1);
    expect(t.repeatedRequest(held(p, Buffer.from('first')), 'rrq')).toBe(true);
    expect(t.repeatedRequest(held(p, Buffer.from('other')), 'wrq')).toBe(true);
    expect(repeats).toEqual([
      ['rrq', true],
      ['wrq', false],
    ]);
    expect(t.repeatedRequest(held(peer('10.0.0.1', 1002), first), 'rrq')).toBe(false);
  });

  it('serves a held request when its session ends for it, and only then', () => {
    const t = new SessionTable();
    const p = peer('10.0.0.1', 1001);
    t.reserve(p, Buffer.from('first'));
    const one = session(p);
    t.hold(one.s);
    const next = held(p, Buffer.from('next'));
    t.repeatedRequest(next, 'rrq');
    t.clientStartedOver(one.s);
    expect(t.ended(one.s)).toBe(next);
    expect(t.activeSessions).toBe(0);
    expect(t.crowding('10.0.0.1', { maxSessions: 1, maxSessionsPerClient: 1 })).toBeUndefined();

    // Ended for another reason: the held request is dropped.
    t.reserve(p, Buffer.from('first'));
    const two = session(p);
    t.hold(two.s);
    t.repeatedRequest(held(p, Buffer.from('late')), 'rrq');
    expect(t.ended(two.s)).toBeUndefined();

    // Ended for it, but long after it came: dropped too.
    t.reserve(p, Buffer.from('first'));
    const three = session(p);
    t.hold(three.s);
    t.repeatedRequest(held(p, Buffer.from('old'), Date.now() - 5000), 'rrq');
    t.clientStartedOver(three.s);
    expect(t.ended(three.s)).toBeUndefined();
  });

  it('keeps an upload name taken until the upload is saved', () => {
    const t = new SessionTable();
    const p = peer('10.0.0.1', 1001);
    t.uploadsInFlight.add('/root/a.bin');
    t.reserve(p, Buffer.from('wrq'));
    const { s } = session(p);
    t.hold(s, '/root/a.bin');
    expect(t.uploadsInFlight.has('/root/a.bin')).toBe(true);
    t.uploadSaved(s);
    expect(t.uploadsInFlight.has('/root/a.bin')).toBe(false);
    expect(t.live()).toEqual([s]);
    t.ended(s);
    expect(t.live()).toEqual([]);
  });
});
