// RFC 2131 sections 3.1, 4.3.1 and 4.3.2 (address choice, offers, bindings), RFC 2131 section 4.2
// (bindings survive a restart): the lease table. Pure: an injected clock, persisted through a store.
import type { DhcpLeaseView } from '../../shared/dhcp.js';
import { formatIpv4, parseIpv4 } from '../../shared/ipv4.js';
import { AddressPool } from './address-pool.js';
import {
  readStoredLease,
  toLeaseRecord,
  type Clock,
  type CommitResult,
  type Lease,
  type LeaseClientInfo,
  type LeaseRange,
  type LeaseRecord,
  type LeaseReservation,
  type LeaseStore,
  type OfferResult,
  type OfferWhy,
} from './lease-types.js';

export type {
  Clock,
  CommitResult,
  LeaseClientInfo,
  LeaseRange,
  LeaseRecord,
  LeaseReservation,
  LeaseStore,
  OfferResult,
  OfferWhy,
} from './lease-types.js';

/** How long a declined address stays out of the pool (another device answers ARP for it). */
export const DEFAULT_QUARANTINE_MS = 10 * 60_000;
/**
 * Outstanding offers at most: past this the oldest is dropped before a new one, so a DISCOVER flood
 * with random MACs costs bounded memory even with a /8 pool.
 */
export const MAX_OUTSTANDING_OFFERS = 4096;

/**
 * One record per address: `byAddr` owns them; `byMac` points at each MAC's latest one (declined
 * records belong to no MAC: the address is someone else's). Offers are kept in offer order, so the
 * oldest is the first entry.
 */
export class LeaseTable {
  private readonly pool: AddressPool;
  private readonly byAddr = new Map<number, Lease>();
  private readonly byMac = new Map<string, Lease>();
  private readonly offers = new Map<string, Lease>();

  constructor(
    range: LeaseRange,
    reservations: readonly LeaseReservation[],
    private readonly store: LeaseStore,
    private readonly clock: Clock,
    private readonly offerHoldMs = 30_000,
    private readonly quarantineMs = DEFAULT_QUARANTINE_MS,
  ) {
    this.pool = new AddressPool(range, reservations);
    this.load();
  }

  get poolSize(): number {
    return this.pool.size;
  }

  get quarantineMinutes(): number {
    return this.quarantineMs / 60_000;
  }

  inPool(address: string): boolean {
    const a = parseIpv4(address);
    return a !== undefined && this.pool.has(a);
  }

  reservationFor(mac: string): LeaseReservation | undefined {
    const r = this.pool.reservationOf(mac);
    return r && { mac, address: formatIpv4(r.addr), bootFile: r.bootFile };
  }

  /** The MAC's record, if any: its binding, offer, or the address it had before. */
  recordFor(mac: string): LeaseRecord | undefined {
    const l = this.byMac.get(mac);
    return l && toLeaseRecord(l);
  }

  /** RFC 2131 section 4.3.1: choose an address for a DISCOVER and hold it briefly. */
  offer(mac: string, requested: string | undefined, info: LeaseClientInfo): OfferResult {
    const now = this.clock.now();
    const reserved = this.pool.reservationOf(mac);
    if (reserved) {
      const holder = this.byAddr.get(reserved.addr);
      if (holder?.state === 'declined' && this.live(holder, now))
        return {
          ok: false,
          reason: `its reserved address ${formatIpv4(reserved.addr)} is quarantined: it declined it (another device answers for it)`,
        };
      return this.hold(mac, reserved.addr, info, now, 'reserved');
    }
    const mine = this.byMac.get(mac);
    if (mine && this.pool.has(mine.addr)) {
      const why =
        mine.state === 'offered' || (mine.state === 'bound' && this.live(mine, now)) ? 'current' : 'previous';
      return this.hold(mac, mine.addr, info, now, why);
    }
    const asked = requested === undefined ? undefined : parseIpv4(requested);
    if (asked !== undefined && this.pool.has(asked) && this.freeFor(asked, mac, now))
      return this.hold(mac, asked, info, now, 'requested');
    if (this.offers.size >= MAX_OUTSTANDING_OFFERS) {
      const oldest = this.offers.values().next().value;
      if (oldest) this.drop(oldest);
    }
    const fresh = this.pool.nextFree((a) => this.byAddr.has(a));
    if (fresh !== undefined) return this.hold(mac, fresh, info, now, 'free');
    let reusable: Lease | undefined;
    for (const l of this.byAddr.values())
      if (l.mac !== mac && this.pool.has(l.addr) && !this.live(l, now) && l.state !== 'offered')
        if (!reusable || l.expiresAt < reusable.expiresAt) reusable = l;
    if (reusable) {
      this.drop(reusable);
      return this.hold(mac, reusable.addr, info, now, 'reused', reusable.mac);
    }
    for (const l of this.offers.values()) {
      if (l.mac === mac || !this.pool.has(l.addr)) continue;
      this.drop(l);
      return this.hold(mac, l.addr, info, now, 'reclaimed', l.mac);
    }
    return {
      ok: false,
      reason: `all ${this.pool.size} addresses of the pool ${this.pool.label} are bound, reserved or quarantined`,
    };
  }

  /** RFC 2131 section 4.3.2: bind an address the client requested; refused with the reason. */
  commit(mac: string, address: string, leaseMs: number, info: LeaseClientInfo): CommitResult {
    const now = this.clock.now();
    const addr = parseIpv4(address);
    if (addr === undefined) return { ok: false, reason: `"${address}" is not an IPv4 address` };
    const reserved = this.pool.reservationOf(mac);
    if (reserved && reserved.addr !== addr)
      return {
        ok: false,
        reason: `this MAC's reserved address is ${formatIpv4(reserved.addr)}, not ${address}`,
      };
    const owner = this.pool.ownerOf(addr);
    if (owner !== undefined && owner !== mac)
      return { ok: false, reason: `${address} is reserved for ${owner}` };
    if (!reserved && !this.pool.has(addr))
      return {
        ok: false,
        reason: `${address} is outside the pool ${this.pool.label}`,
      };
    const holder = this.byAddr.get(addr);
    if (holder && holder.mac !== mac && this.live(holder, now))
      return {
        ok: false,
        reason:
          holder.state === 'declined'
            ? `${address} is quarantined: a client declined it (another device answers for it)`
            : `${address} is ${holder.state === 'offered' ? 'offered' : 'leased'} to ${holder.mac}`,
      };
    if (holder?.state === 'declined' && this.live(holder, now))
      return { ok: false, reason: `${address} is quarantined: this client declined it` };
    if (holder) this.drop(holder);
    const mine = this.byMac.get(mac);
    if (mine) this.drop(mine);
    const lease: Lease = { ...this.keep(mine, info), mac, addr, state: 'bound', expiresAt: now + leaseMs };
    this.put(lease);
    this.save();
    return { ok: true, address, expiresAt: lease.expiresAt };
  }

  /** Adds what we learnt of the client (the boot file chosen for it) to its offer or lease. */
  annotate(mac: string, info: LeaseClientInfo): void {
    const mine = this.byMac.get(mac);
    if (mine) Object.assign(mine, this.keep(mine, info));
  }

  /** The client took another server's offer: the address is free again at once. */
  withdrawOffer(mac: string): boolean {
    const mine = this.byMac.get(mac);
    if (mine?.state !== 'offered') return false;
    this.drop(mine);
    return true;
  }

  /** RFC 2131 section 4.3.4: the client gives its address back; the MAC keeps it as its previous one. */
  release(mac: string, address: string): boolean {
    const mine = this.byMac.get(mac);
    if (!mine || formatIpv4(mine.addr) !== address) return false;
    if (mine.state === 'offered') return this.withdrawOffer(mac);
    if (mine.state !== 'bound') return false;
    mine.state = 'released';
    mine.expiresAt = this.clock.now();
    mine.lapsed = undefined;
    this.save();
    return true;
  }

  /**
   * RFC 2131 section 4.3.3: the address answers ARP elsewhere: keep it out of the pool for a while.
   * Only for an address of ours that no other client holds now: a stray DECLINE cannot evict a lease.
   */
  decline(mac: string, address: string): { ok: true } | { ok: false; reason: string } {
    const now = this.clock.now();
    const addr = parseIpv4(address);
    if (addr === undefined || (!this.pool.has(addr) && this.pool.ownerOf(addr) === undefined))
      return { ok: false, reason: `${address} is not an address this server gives out` };
    const holder = this.byAddr.get(addr);
    if (holder && holder.mac !== mac && this.live(holder, now) && holder.state !== 'declined')
      return {
        ok: false,
        reason: `${address} is ${holder.state === 'offered' ? 'offered' : 'leased'} to ${holder.mac}, not this client`,
      };
    const mine = this.byMac.get(mac);
    if (mine?.addr === addr) this.drop(mine);
    if (holder) this.drop(holder);
    this.put({ mac, addr, state: 'declined', expiresAt: now + this.quarantineMs });
    this.save();
    return { ok: true };
  }

  /** Drops lapsed offers and quarantines, marks lapsed leases; true when the view changed. */
  tick(): boolean {
    const now = this.clock.now();
    let changed = false;
    let persist = false;
    for (const l of [...this.byAddr.values()]) {
      if (this.live(l, now)) continue;
      if (l.state === 'offered' || l.state === 'declined') {
        this.drop(l);
        changed = true;
        persist ||= l.state === 'declined';
      } else if (l.state === 'bound' && !l.lapsed) {
        l.lapsed = true;
        changed = true;
      }
    }
    if (persist) this.save();
    return changed;
  }

  views(): DhcpLeaseView[] {
    const now = this.clock.now();
    return [...this.byAddr.values()]
      .sort((a, b) => a.addr - b.addr)
      .map((l) => ({
        ...toLeaseRecord(l),
        state: l.state === 'bound' && !this.live(l, now) ? 'expired' : l.state,
        reserved: this.pool.reservationOf(l.mac)?.addr === l.addr,
      }));
  }

  /** What the store keeps: everything but offers (they are brief; a restart forgets them). */
  records(): LeaseRecord[] {
    return [...this.byAddr.values()].filter((l) => l.state !== 'offered').map(toLeaseRecord);
  }

  private live(l: Lease, now: number): boolean {
    return l.state !== 'released' && l.expiresAt > now;
  }

  /** No one else holds it now and it is nobody else's reservation. */
  private freeFor(addr: number, mac: string, now: number): boolean {
    const owner = this.pool.ownerOf(addr);
    if (owner !== undefined && owner !== mac) return false;
    const holder = this.byAddr.get(addr);
    return !holder || (holder.mac === mac && holder.state !== 'declined') || !this.live(holder, now);
  }

  private hold(
    mac: string,
    addr: number,
    info: LeaseClientInfo,
    now: number,
    why: OfferWhy,
    from?: string,
  ): OfferResult {
    const address = formatIpv4(addr);
    const mine = this.byMac.get(mac);
    if (mine && mine.addr === addr && mine.state === 'bound' && this.live(mine, now)) {
      Object.assign(mine, this.keep(mine, info));
      return { ok: true, address, why };
    }
    const holder = this.byAddr.get(addr);
    if (holder) this.drop(holder);
    if (mine) this.drop(mine);
    const lease: Lease = {
      ...this.keep(mine, info),
      mac,
      addr,
      state: 'offered',
      expiresAt: now + this.offerHoldMs,
    };
    this.put(lease);
    this.offers.set(mac, lease);
    // A stored record (released, expired, or a binding outside a changed pool) was replaced.
    if ((holder && holder.state !== 'offered') || (mine && mine.state !== 'offered')) this.save();
    return from === undefined ? { ok: true, address, why } : { ok: true, address, why, from };
  }

  private keep(old: Lease | undefined, info: LeaseClientInfo): LeaseClientInfo {
    return {
      hostname: info.hostname ?? old?.hostname,
      vendorClass: info.vendorClass ?? old?.vendorClass,
      arch: info.arch ?? old?.arch,
      bootFile: info.bootFile ?? old?.bootFile,
    };
  }

  private put(l: Lease): void {
    this.byAddr.set(l.addr, l);
    if (l.state !== 'declined') this.byMac.set(l.mac, l);
  }

  private drop(l: Lease): void {
    if (this.byAddr.get(l.addr) === l) this.byAddr.delete(l.addr);
    if (this.byMac.get(l.mac) === l) this.byMac.delete(l.mac);
    if (this.offers.get(l.mac) === l) this.offers.delete(l.mac);
    this.pool.freed(l.addr);
  }

  private save(): void {
    this.store.save(this.records());
  }

  /**
   * Stored records come back as they were, except: offers (never stored), unreadable ones, and those
   * a reservation overrides (the address is reserved for another MAC, or this MAC's reservation moved).
   * Two records for one address or one MAC: the later expiry wins.
   */
  private load(): void {
    let stored: unknown;
    try {
      stored = this.store.load();
    } catch {
      stored = [];
    }
    if (!Array.isArray(stored)) return;
    for (const raw of stored as unknown[]) {
      const record = readStoredLease(raw);
      if (record === undefined || record.state === 'offered') continue;
      const { mac, addr, state, expiresAt } = record;
      if (state !== 'declined') {
        const owner = this.pool.ownerOf(addr);
        const reserved = this.pool.reservationOf(mac);
        if ((owner !== undefined && owner !== mac) || (reserved && reserved.addr !== addr)) continue;
      }
      const lease: Lease = record;
      const atAddr = this.byAddr.get(addr);
      if (atAddr && atAddr.expiresAt >= expiresAt) continue;
      const ofMac = state === 'declined' ? undefined : this.byMac.get(mac);
      if (ofMac && ofMac.expiresAt >= expiresAt) continue;
      if (atAddr) this.drop(atAddr);
      if (ofMac) this.drop(ofMac);
      this.put(lease);
    }
  }
}
