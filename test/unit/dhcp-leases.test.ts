import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  LeaseTable,
  MAX_OUTSTANDING_OFFERS,
  type Clock,
  type LeaseRecord,
  type LeaseReservation,
  type LeaseStore,
} from '../../electron/dhcp/leases.js';

class FakeClock implements Clock {
  constructor(public t = 1_000_000) {}
  now(): number {
    return this.t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}

/** The store the service gives the table, kept in memory: each save replaces the content (a copy, as a file would). */
class MemoryStore implements LeaseStore {
  saves = 0;
  constructor(public records: LeaseRecord[] = []) {}
  load(): LeaseRecord[] {
    return structuredClone(this.records);
  }
  save(records: LeaseRecord[]): void {
    this.saves++;
    this.records = structuredClone(records);
  }
}

const HOUR = 3_600_000;
const mac = (n: number) =>
  `02:00:00:00:${((n >> 8) & 255).toString(16).padStart(2, '0')}:${(n & 255).toString(16).padStart(2, '0')}`;

function table(
  opts: {
    start?: string;
    end?: string;
    reservations?: LeaseReservation[];
    store?: MemoryStore;
    clock?: FakeClock;
  } = {},
) {
  const clock = opts.clock ?? new FakeClock();
  const store = opts.store ?? new MemoryStore();
  const t = new LeaseTable(
    { start: opts.start ?? '10.99.0.100', end: opts.end ?? '10.99.0.109' },
    opts.reservations ?? [],
    store,
    clock,
  );
  return { t, clock, store };
}

function offered(r: ReturnType<LeaseTable['offer']>): string {
  if (!r.ok) throw new Error(`no offer: ${r.reason}`);
  return r.address;
}

function bind(t: LeaseTable, m: string, address?: string): string {
  const a = address ?? offered(t.offer(m, undefined, {}));
  const r = t.commit(m, a, HOUR, {});
  if (!r.ok) throw new Error(r.reason);
  return a;
}

describe('LeaseTable: offers', () => {
  it('offers the pool from its start, and the same address again to the same MAC', () => {
    const { t } = table();
    expect(t.offer(mac(1), undefined, {})).toEqual({ ok: true, address: '10.99.0.100', why: 'free' });
    expect(t.offer(mac(2), undefined, {})).toEqual({ ok: true, address: '10.99.0.101', why: 'free' });
    expect(t.offer(mac(1), undefined, {})).toEqual({ ok: true, address: '10.99.0.100', why: 'current' });
  });

  it('holds an offer only briefly: after 30 s the address goes to the next client', () => {
    const { t, clock } = table({ start: '10.99.0.100', end: '10.99.0.100' });
    offered(t.offer(mac(1), undefined, {}));
    clock.advance(29_999);
    expect(t.tick()).toBe(false);
    expect(t.views().map((v) => v.state)).toEqual(['offered']);
    clock.advance(1);
    expect(t.tick()).toBe(true);
    expect(t.views()).toEqual([]);
    expect(offered(t.offer(mac(2), undefined, {}))).toBe('10.99.0.100');
  });

  it('a DISCOVER flood with random MACs never exhausts the pool: the oldest offer is taken back', () => {
    const { t } = table();
    bind(t, mac(9000));
    bind(t, mac(9001));
    for (let i = 0; i < 1000; i++) expect(t.offer(mac(i), undefined, {}).ok).toBe(true);
    const views = t.views();
    expect(views).toHaveLength(10);
    expect(views.filter((v) => v.state === 'bound').map((v) => v.mac)).toEqual([mac(9000), mac(9001)]);
    // A real client arriving after the flood still gets an address, and can bind it.
    const r = t.offer('aa:bb:cc:dd:ee:ff', undefined, {});
    expect(r).toMatchObject({ ok: true, why: 'reclaimed' });
    expect(t.commit('aa:bb:cc:dd:ee:ff', offered(r), HOUR, {}).ok).toBe(true);
  });

  it('keeps outstanding offers bounded in a huge pool', () => {
    const { t } = table({ start: '10.0.0.1', end: '10.0.255.254' });
    for (let i = 0; i < MAX_OUTSTANDING_OFFERS + 500; i++) t.offer(mac(i), undefined, {});
    expect(t.views()).toHaveLength(MAX_OUTSTANDING_OFFERS);
  });

  it('makes no offer when every address is bound, and says so', () => {
    const { t } = table({ start: '10.99.0.100', end: '10.99.0.101' });
    bind(t, mac(1));
    bind(t, mac(2));
    const r = t.offer(mac(3), undefined, {});
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe(
      'all 2 addresses of the pool 10.99.0.100-10.99.0.101 are bound, reserved or quarantined',
    );
  });

  it('honours a requested address when it is free and in the pool', () => {
    const { t } = table();
    expect(t.offer(mac(1), '10.99.0.105', {})).toEqual({
      ok: true,
      address: '10.99.0.105',
      why: 'requested',
    });
    // held by another: the next free one instead
    expect(t.offer(mac(2), '10.99.0.105', {})).toEqual({ ok: true, address: '10.99.0.100', why: 'free' });
    // outside the pool
    expect(t.offer(mac(3), '10.99.0.50', {})).toEqual({ ok: true, address: '10.99.0.101', why: 'free' });
  });

  it('prefers never-used addresses over one another client released, and reuses those before failing', () => {
    const { t } = table({ start: '10.99.0.100', end: '10.99.0.101' });
    const a = bind(t, mac(1));
    expect(t.release(mac(1), a)).toBe(true);
    expect(offered(t.offer(mac(2), undefined, {}))).toBe('10.99.0.101');
    expect(t.offer(mac(3), undefined, {})).toEqual({ ok: true, address: a, why: 'reused', from: mac(1) });
  });

  it('withdraws an offer the client turned down at once', () => {
    const { t } = table({ start: '10.99.0.100', end: '10.99.0.100' });
    offered(t.offer(mac(1), undefined, {}));
    expect(t.withdrawOffer(mac(1))).toBe(true);
    expect(t.views()).toEqual([]);
    expect(t.offer(mac(2), undefined, {})).toEqual({ ok: true, address: '10.99.0.100', why: 'free' });
    expect(t.withdrawOffer(mac(9))).toBe(false);
  });
});

describe('LeaseTable: reservations', () => {
  const reservations = [
    { mac: 'AA-BB-CC-00-00-01', address: '10.99.0.100', bootFile: 'r1.efi' },
    { mac: 'aa:bb:cc:00:00:02', address: '10.99.0.20' },
  ];

  it('gives a reserved MAC its address, inside or outside the pool, whatever it asks for', () => {
    const { t } = table({ reservations });
    expect(t.offer('aa:bb:cc:00:00:01', '10.99.0.105', {})).toEqual({
      ok: true,
      address: '10.99.0.100',
      why: 'reserved',
    });
    expect(t.offer('aa:bb:cc:00:00:02', undefined, {})).toEqual({
      ok: true,
      address: '10.99.0.20',
      why: 'reserved',
    });
    expect(t.commit('aa:bb:cc:00:00:02', '10.99.0.20', HOUR, {}).ok).toBe(true);
    expect(t.commit('aa:bb:cc:00:00:01', '10.99.0.105', HOUR, {})).toEqual({
      ok: false,
      reason: "this MAC's reserved address is 10.99.0.100, not 10.99.0.105",
    });
    expect(t.reservationFor('aa:bb:cc:00:00:01')).toEqual({
      mac: 'aa:bb:cc:00:00:01',
      address: '10.99.0.100',
      bootFile: 'r1.efi',
    });
  });

  it('never offers a reserved address to anyone else, even with the pool exhausted', () => {
    const { t } = table({ reservations, start: '10.99.0.100', end: '10.99.0.102' });
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const r = t.offer(mac(i), '10.99.0.100', {});
      if (r.ok) seen.add(r.address);
    }
    expect([...seen].sort()).toEqual(['10.99.0.101', '10.99.0.102']);
    expect(t.commit(mac(1), '10.99.0.100', HOUR, {})).toEqual({
      ok: false,
      reason: '10.99.0.100 is reserved for aa:bb:cc:00:00:01',
    });
  });

  it('marks the reserved lease in the view', () => {
    const { t } = table({ reservations });
    bind(t, 'aa:bb:cc:00:00:01');
    bind(t, mac(5));
    expect(t.views().map((v) => [v.mac, v.reserved])).toEqual([
      ['aa:bb:cc:00:00:01', true],
      [mac(5), false],
    ]);
  });
});

describe('LeaseTable: requests, releases, declines, expiry', () => {
  it('binds a requested address and refuses one another client holds', () => {
    const { t, clock } = table();
    const a = offered(t.offer(mac(1), undefined, {}));
    expect(t.commit(mac(2), a, HOUR, {})).toEqual({ ok: false, reason: `${a} is offered to ${mac(1)}` });
    expect(t.commit(mac(1), a, HOUR, { hostname: 'pc1' })).toEqual({
      ok: true,
      address: a,
      expiresAt: clock.t + HOUR,
    });
    expect(t.commit(mac(2), a, HOUR, {})).toEqual({ ok: false, reason: `${a} is leased to ${mac(1)}` });
    expect(t.commit(mac(2), '10.99.0.1', HOUR, {})).toEqual({
      ok: false,
      reason: '10.99.0.1 is outside the pool 10.99.0.100-10.99.0.109',
    });
    expect(t.views()).toEqual([
      {
        mac: mac(1),
        address: a,
        state: 'bound',
        expiresAt: clock.t + HOUR,
        hostname: 'pc1',
        reserved: false,
      },
    ]);
  });

  it('a client that binds another address gives up its old one', () => {
    const { t } = table();
    bind(t, mac(1), '10.99.0.103');
    bind(t, mac(1), '10.99.0.104');
    expect(t.views().map((v) => v.address)).toEqual(['10.99.0.104']);
    expect(offered(t.offer(mac(2), '10.99.0.103', {}))).toBe('10.99.0.103');
  });

  it('shows a lapsed lease as expired, gives it back to its MAC, and to others only when nothing else is free', () => {
    const { t, clock } = table({ start: '10.99.0.100', end: '10.99.0.101' });
    const a = bind(t, mac(1));
    clock.advance(HOUR);
    expect(t.tick()).toBe(true);
    expect(t.tick()).toBe(false);
    expect(t.views()[0]?.state).toBe('expired');
    expect(offered(t.offer(mac(2), undefined, {}))).toBe('10.99.0.101');
    expect(t.offer(mac(1), undefined, {})).toEqual({ ok: true, address: a, why: 'previous' });
  });

  it("a released address stays the MAC's previous one", () => {
    const { t } = table();
    const a = bind(t, mac(1));
    expect(t.release(mac(1), '10.99.0.109')).toBe(false);
    expect(t.release(mac(1), a)).toBe(true);
    expect(t.views()[0]?.state).toBe('released');
    expect(t.offer(mac(1), undefined, {})).toEqual({ ok: true, address: a, why: 'previous' });
  });

  it('quarantines a declined address for a while, then gives it out again', () => {
    const { t, clock } = table({ start: '10.99.0.100', end: '10.99.0.101' });
    const a = bind(t, mac(1));
    expect(t.decline(mac(1), a)).toEqual({ ok: true });
    expect(t.views()).toMatchObject([{ address: a, state: 'declined' }]);
    expect(offered(t.offer(mac(1), undefined, {}))).toBe('10.99.0.101');
    // asked for the quarantined address, it gets the other one (taken back from mac 1's offer)
    expect(t.offer(mac(2), a, {})).toMatchObject({ ok: true, address: '10.99.0.101', why: 'reclaimed' });
    expect(t.commit(mac(2), a, HOUR, {})).toEqual({
      ok: false,
      reason: `${a} is quarantined: a client declined it (another device answers for it)`,
    });
    clock.advance(10 * 60_000);
    expect(t.tick()).toBe(true);
    expect(t.offer(mac(2), a, {})).toMatchObject({ ok: true, address: a });
    expect(t.decline(mac(1), '192.168.1.1')).toEqual({
      ok: false,
      reason: '192.168.1.1 is not an address this server gives out',
    });
  });

  it("a DECLINE cannot evict another client's lease or offer", () => {
    const { t } = table();
    const a = bind(t, mac(1));
    const b = offered(t.offer(mac(2), undefined, {}));
    expect(t.decline(mac(3), a)).toEqual({
      ok: false,
      reason: `${a} is leased to ${mac(1)}, not this client`,
    });
    expect(t.decline(mac(3), b)).toEqual({
      ok: false,
      reason: `${b} is offered to ${mac(2)}, not this client`,
    });
    expect(t.views().map((v) => [v.mac, v.state])).toEqual([
      [mac(1), 'bound'],
      [mac(2), 'offered'],
    ]);
    // a free address of the pool may be declined (the client probed it before asking)
    expect(t.decline(mac(3), '10.99.0.109')).toEqual({ ok: true });
  });

  it('does not offer a reserved MAC its quarantined address', () => {
    const { t } = table({ reservations: [{ mac: mac(1), address: '10.99.0.50' }] });
    expect(t.decline(mac(1), '10.99.0.50')).toEqual({ ok: true });
    expect(t.offer(mac(1), undefined, {})).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/quarantined/),
    });
  });
});

describe('LeaseTable: persistence', () => {
  it('saves bindings, releases and quarantines, never offers', () => {
    const { t, store } = table();
    offered(t.offer(mac(1), undefined, {}));
    expect(store.saves).toBe(0);
    const a = bind(t, mac(2));
    const b = bind(t, mac(3));
    t.release(mac(3), b);
    t.decline(mac(4), '10.99.0.108');
    expect(store.records.map((r) => [r.mac, r.address, r.state])).toEqual([
      [mac(2), a, 'bound'],
      [mac(3), b, 'released'],
      [mac(4), '10.99.0.108', 'declined'],
    ]);
  });

  it('after a restart never hands out a bound address twice, and the client keeps it', () => {
    const store = new MemoryStore();
    const clock = new FakeClock();
    const first = table({ store, clock, start: '10.99.0.100', end: '10.99.0.101' }).t;
    const a = bind(first, mac(1));
    offered(first.offer(mac(2), undefined, {})); // lost in the restart
    const second = table({ store, clock, start: '10.99.0.100', end: '10.99.0.101' }).t;
    for (let i = 10; i < 30; i++)
      expect(second.offer(mac(i), undefined, {})).not.toMatchObject({ address: a });
    expect(second.commit(mac(10), a, HOUR, {}).ok).toBe(false);
    expect(second.offer(mac(1), undefined, {})).toEqual({ ok: true, address: a, why: 'current' });
    expect(second.commit(mac(1), a, HOUR, {}).ok).toBe(true);
  });

  it('keeps a quarantine through a restart', () => {
    const store = new MemoryStore();
    const first = table({ store }).t;
    first.decline(mac(1), '10.99.0.100');
    const second = table({ store }).t;
    expect(offered(second.offer(mac(2), '10.99.0.100', {}))).toBe('10.99.0.101');
  });

  it('loads what it can read: drops malformed records, offers, and what a reservation overrides', () => {
    const later = 2_000_000;
    const store = new MemoryStore([
      {
        mac: 'AA:AA:AA:AA:AA:01',
        address: '10.99.0.100',
        state: 'bound',
        expiresAt: later,
        hostname: 'one',
        arch: 7,
      },
      { mac: 'not a mac', address: '10.99.0.101', state: 'bound', expiresAt: later },
      { mac: 'aa:aa:aa:aa:aa:02', address: '10.99.0.300', state: 'bound', expiresAt: later },
      { mac: 'aa:aa:aa:aa:aa:03', address: '10.99.0.102', state: 'offered', expiresAt: later },
      { mac: 'aa:aa:aa:aa:aa:04', address: '10.99.0.103', state: 'bogus' as 'bound', expiresAt: later },
      { mac: 'aa:aa:aa:aa:aa:05', address: '10.99.0.104', state: 'bound', expiresAt: Number.NaN },
      { mac: 'aa:aa:aa:aa:aa:06', address: '10.99.0.105', state: 'bound', expiresAt: later }, // reserved for another
      { mac: 'aa:aa:aa:aa:aa:07', address: '10.99.0.106', state: 'bound', expiresAt: later }, // its reservation moved
      { mac: 'aa:aa:aa:aa:aa:08', address: '10.99.0.107', state: 'bound', expiresAt: later },
      { mac: 'aa:aa:aa:aa:aa:09', address: '10.99.0.107', state: 'bound', expiresAt: later + 1 }, // same address, later
      null as unknown as LeaseRecord,
    ]);
    const { t } = table({
      store,
      reservations: [
        { mac: 'bb:bb:bb:bb:bb:bb', address: '10.99.0.105' },
        { mac: 'aa:aa:aa:aa:aa:07', address: '10.99.0.50' },
      ],
    });
    expect(t.views().map((v) => [v.mac, v.address])).toEqual([
      ['aa:aa:aa:aa:aa:01', '10.99.0.100'],
      ['aa:aa:aa:aa:aa:09', '10.99.0.107'],
    ]);
    expect(t.views()[0]).toMatchObject({ hostname: 'one', arch: 7 });
  });

  it('starts empty from a store that throws while loading', () => {
    const store: LeaseStore = {
      load: () => {
        throw new Error('unreadable');
      },
      save: () => undefined,
    };
    const t = new LeaseTable({ start: '10.99.0.100', end: '10.99.0.109' }, [], store, new FakeClock());
    expect(t.views()).toEqual([]);
  });
});

describe('LeaseTable: properties over random histories', () => {
  type Step =
    | { op: 'offer'; m: number; ask?: number }
    | { op: 'commit'; m: number; a: number }
    | { op: 'release'; m: number; a: number }
    | { op: 'decline'; m: number; a: number }
    | { op: 'wait'; ms: number }
    | { op: 'restart' };
  const m = fc.integer({ min: 0, max: 11 });
  const a = fc.integer({ min: 95, max: 112 }); // around the pool .100-.109, reservation .96 and .100
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ op: fc.constant('offer' as const), m, ask: fc.option(a, { nil: undefined }) }),
    fc.record({ op: fc.constant('commit' as const), m, a }),
    fc.record({ op: fc.constant('release' as const), m, a }),
    fc.record({ op: fc.constant('decline' as const), m, a }),
    fc.record({ op: fc.constant('wait' as const), ms: fc.constantFrom(1_000, 31_000, HOUR, 11 * 60_000) }),
    fc.record({ op: fc.constant('restart' as const) }),
  );
  const reservations = [
    { mac: mac(0), address: '10.99.0.96' },
    { mac: mac(1), address: '10.99.0.100' },
  ];

  it('never gives one address to two clients, nor a reservation to another MAC, across restarts', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const clock = new FakeClock();
        const store = new MemoryStore();
        let t = table({ reservations, store, clock }).t;
        /** live bindings as granted: address -> [mac, expiresAt] */
        const granted = new Map<string, [string, number]>();
        for (const s of steps) {
          if (s.op === 'wait') clock.advance(s.ms);
          else if (s.op === 'restart') t = table({ reservations, store, clock }).t;
          else if (s.op === 'offer') {
            const r = t.offer(mac(s.m), s.ask === undefined ? undefined : `10.99.0.${s.ask}`, {});
            if (r.ok) {
              const g = granted.get(r.address);
              if (g && g[1] > clock.t) expect(g[0]).toBe(mac(s.m));
            }
          } else if (s.op === 'commit') {
            const address = `10.99.0.${s.a}`;
            const r = t.commit(mac(s.m), address, HOUR, {});
            if (r.ok) {
              const g = granted.get(address);
              if (g && g[1] > clock.t) expect(g[0]).toBe(mac(s.m));
              for (const [addr, [who]] of granted) if (who === mac(s.m)) granted.delete(addr);
              granted.set(address, [mac(s.m), r.expiresAt]);
            }
          } else if (s.op === 'release') {
            if (t.release(mac(s.m), `10.99.0.${s.a}`)) granted.delete(`10.99.0.${s.a}`);
          } else if (t.decline(mac(s.m), `10.99.0.${s.a}`).ok) granted.delete(`10.99.0.${s.a}`);
          const views = t.views();
          // one record per address, every reserved address only ever held by its owner
          expect(new Set(views.map((v) => v.address)).size).toBe(views.length);
          for (const v of views) {
            if (v.state === 'declined') continue;
            const r = reservations.find((x) => x.address === v.address);
            if (r) expect(v.mac).toBe(r.mac);
          }
          // a binding still live is in the table as bound to its client, restarts included
          for (const [addr, [who, until]] of granted)
            if (until > clock.t)
              expect(views.find((v) => v.address === addr)).toMatchObject({ mac: who, state: 'bound' });
        }
      }),
      { numRuns: 300 },
    );
  });
});
