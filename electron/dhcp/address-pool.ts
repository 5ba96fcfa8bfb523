// The addresses a lease table may give: the pool range and the reservations, and a cursor that finds
// the lowest never-used pool address without scanning the bindings below it again. Pure.
import { formatIpv4, normalizeMac, parseIpv4 } from '../../shared/ipv4.js';
import type { LeaseRange, LeaseReservation } from './lease-types.js';

export class AddressPool {
  readonly start: number;
  readonly end: number;
  private readonly byMac = new Map<string, { addr: number; bootFile?: string }>();
  private readonly byAddr = new Map<number, string>();
  /** no pool address below this is free */
  private hint: number;

  constructor(range: LeaseRange, reservations: readonly LeaseReservation[]) {
    const start = parseIpv4(range.start);
    const end = parseIpv4(range.end);
    // An unusable range (proxy mode has none) is an empty pool: reservations still work.
    const usable = start !== undefined && end !== undefined && start <= end;
    this.start = usable ? start : 1;
    this.end = usable ? end : 0;
    this.hint = this.start;
    for (const r of reservations) {
      const mac = normalizeMac(r.mac);
      const addr = parseIpv4(r.address);
      if (mac === undefined || addr === undefined) continue;
      this.byMac.set(mac, { addr, bootFile: r.bootFile });
      this.byAddr.set(addr, mac);
    }
  }

  get size(): number {
    return Math.max(0, this.end - this.start + 1);
  }

  /** '10.0.0.100-10.0.0.199', for messages */
  get label(): string {
    return `${formatIpv4(this.start)}-${formatIpv4(this.end)}`;
  }

  has(addr: number): boolean {
    return addr >= this.start && addr <= this.end;
  }

  reservationOf(mac: string): { addr: number; bootFile?: string } | undefined {
    return this.byMac.get(mac);
  }

  /** The MAC an address is reserved for. */
  ownerOf(addr: number): string | undefined {
    return this.byAddr.get(addr);
  }

  /** The lowest pool address not `used` and not reserved; it counts as used from now on. */
  nextFree(used: (addr: number) => boolean): number | undefined {
    for (let a = this.hint; a <= this.end; a++) {
      if (used(a) || this.byAddr.has(a)) continue;
      this.hint = a + 1;
      return a;
    }
    this.hint = this.end + 1;
    return undefined;
  }

  /** An address went back to the pool. */
  freed(addr: number): void {
    if (this.has(addr) && addr < this.hint) this.hint = addr;
  }
}
