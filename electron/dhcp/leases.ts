// RFC 2131 sections 3.1, 4.3.1 and 4.3.2 (address choice, offers, bindings), RFC 2131 section 4.2
// (bindings survive a restart): the lease table. Pure: an injected clock, persisted through a store.

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
