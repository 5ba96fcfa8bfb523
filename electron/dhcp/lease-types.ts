// The lease table's vocabulary: records as stored, the store, what an offer or a binding returns, and
// the one reader of stored records (a file written by an older version, or edited by hand, is input).
import { formatIpv4, normalizeMac, parseIpv4 } from '../../shared/ipv4.js';

export interface Clock {
  /** ms */
  now(): number;
}

export interface LeaseRecord {
  mac: string;
  address: string;
  state: 'offered' | 'bound' | 'released' | 'declined';
  expiresAt: number;
  hostname?: string;
  vendorClass?: string;
  arch?: number;
  bootFile?: string;
}

/** Where bound, released and declined records live between runs (the service provides a file). */
export interface LeaseStore {
  load(): LeaseRecord[];
  save(records: LeaseRecord[]): void;
}

export interface LeaseRange {
  start: string;
  end: string;
}

export interface LeaseReservation {
  mac: string;
  address: string;
  bootFile?: string;
}

/** What we learnt of the client, kept with its lease for the UI. */
export interface LeaseClientInfo {
  hostname?: string;
  vendorClass?: string;
  arch?: number;
  bootFile?: string;
}

/**
 * Why an address was chosen (RFC 2131 section 4.3.1 order): the MAC's reservation, its current
 * binding or offer, its previous (released or expired) address, the address it asked for, a never
 * used one, one another MAC released or let expire, or one taken back from an unanswered offer.
 */
export type OfferWhy = 'reserved' | 'current' | 'previous' | 'requested' | 'free' | 'reused' | 'reclaimed';

export type OfferResult =
  { ok: true; address: string; why: OfferWhy; from?: string } | { ok: false; reason: string };
export type CommitResult = { ok: true; address: string; expiresAt: number } | { ok: false; reason: string };

/** A lease as the table keeps it: the address as a number. */
export interface Lease extends LeaseClientInfo {
  mac: string;
  addr: number;
  state: LeaseRecord['state'];
  expiresAt: number;
  /** a bound lease tick() has seen run out (shown as 'expired') */
  lapsed?: boolean;
}

const STATES: ReadonlySet<string> = new Set(['offered', 'bound', 'released', 'declined']);

/** A stored record as a lease, MAC normalised; undefined when any required field is unreadable. */
export function readStoredLease(raw: unknown): Lease | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const r = raw as Partial<Record<keyof LeaseRecord, unknown>>;
  const mac = typeof r.mac === 'string' ? normalizeMac(r.mac) : undefined;
  const addr = typeof r.address === 'string' ? parseIpv4(r.address) : undefined;
  const { state, expiresAt } = r;
  if (mac === undefined || addr === undefined || typeof state !== 'string' || !STATES.has(state))
    return undefined;
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return undefined;
  const lease: Lease = { mac, addr, state: state as LeaseRecord['state'], expiresAt };
  if (typeof r.hostname === 'string') lease.hostname = r.hostname;
  if (typeof r.vendorClass === 'string') lease.vendorClass = r.vendorClass;
  if (typeof r.arch === 'number') lease.arch = r.arch;
  if (typeof r.bootFile === 'string') lease.bootFile = r.bootFile;
  return lease;
}

export function toLeaseRecord(l: Lease): LeaseRecord {
  const r: LeaseRecord = { mac: l.mac, address: formatIpv4(l.addr), state: l.state, expiresAt: l.expiresAt };
  if (l.hostname !== undefined) r.hostname = l.hostname;
  if (l.vendorClass !== undefined) r.vendorClass = l.vendorClass;
  if (l.arch !== undefined) r.arch = l.arch;
  if (l.bootFile !== undefined) r.bootFile = l.bootFile;
  return r;
}
