// The lease table's store on disk: one JSON file in the data folder. RFC 2131 section 4.2 asks a
// server to remember its bindings across restarts ("the server SHOULD NOT reuse an address that
// it has handed out"), so every change is written through at once.
// - Atomic: the new content goes to a temporary file beside the real one, is flushed (fsync) and
//   renamed over it, so a crash leaves the old file or the new one, never half of one.
// - Never throws at the caller: the lease table calls save() on every change from inside a packet
//   handler. A missing file starts empty; a corrupt one starts empty and is kept aside as
//   `<name>.corrupt` for a person to look at; a failed write keeps serving from memory. Each case
//   is said once through `onNote`, in words a person can act on.
import { randomBytes } from 'node:crypto';
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { LeaseRecord, LeaseStore } from './leases.js';

export const LEASE_FILE_NAME = 'dhcp-leases.json';
const FORMAT_VERSION = 1;
const STATES: ReadonlySet<string> = new Set(['offered', 'bound', 'released', 'declined']);

export interface LeaseFileNote {
  kind: 'missing' | 'corrupt' | 'dropped-records' | 'read-failed' | 'write-failed' | 'write-recovered';
  message: string;
}

export class LeaseFile implements LeaseStore {
  readonly path: string;
  private lastWriteFailed = false;

  constructor(
    dataDir: string,
    private readonly onNote: (note: LeaseFileNote) => void = () => undefined,
  ) {
    this.path = join(dataDir, LEASE_FILE_NAME);
  }

  load(): LeaseRecord[] {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') {
        this.onNote({
          kind: 'missing',
          message: `No lease file yet (${this.path}): starting with no leases.`,
        });
      } else {
        this.onNote({
          kind: 'read-failed',
          message: `The lease file ${this.path} could not be read (${code ?? 'error'}): starting with no leases.`,
        });
      }
      return [];
    }
    const parsed = parseLeaseFile(text);
    if (parsed === undefined) {
      const aside = `${this.path}.corrupt`;
      let kept = `kept as ${aside}`;
      try {
        renameSync(this.path, aside);
      } catch {
        kept = 'left in place';
      }
      this.onNote({
        kind: 'corrupt',
        message: `The lease file ${this.path} was not readable as leases (${kept}): starting with no leases.`,
      });
      return [];
    }
    if (parsed.dropped > 0) {
      this.onNote({
        kind: 'dropped-records',
        message: `${parsed.dropped} unreadable entr${parsed.dropped === 1 ? 'y' : 'ies'} in ${this.path} skipped.`,
      });
    }
    return parsed.records;
  }

  save(records: LeaseRecord[]): void {
    const body = `${JSON.stringify({ version: FORMAT_VERSION, leases: records.map(cleanRecord) }, null, 1)}\n`;
    const temp = `${this.path}.${randomBytes(6).toString('hex')}.tmp`;
    try {
      mkdirSync(join(this.path, '..'), { recursive: true });
      const fd = openSync(temp, 'wx', 0o644);
      try {
        writeSync(fd, body);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temp, this.path);
      if (this.lastWriteFailed) {
        this.lastWriteFailed = false;
        this.onNote({ kind: 'write-recovered', message: `Leases are being saved to ${this.path} again.` });
      }
    } catch (err) {
      try {
        rmSync(temp, { force: true });
      } catch {
        // the folder itself is the problem: there is no temporary file to remove
      }
      if (!this.lastWriteFailed) {
        this.lastWriteFailed = true;
        const code = (err as NodeJS.ErrnoException).code ?? 'error';
        this.onNote({
          kind: 'write-failed',
          message: `Leases could not be saved to ${this.path} (${code}); they are kept in memory, but a restart would forget them. Check that the data folder is writable and the disk not full.`,
        });
      }
    }
  }
}

/** The records of a lease file's text, or undefined when it is not a lease file at all. */
export function parseLeaseFile(text: string): { records: LeaseRecord[]; dropped: number } | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!isObject(data) || data.version !== FORMAT_VERSION || !Array.isArray(data.leases)) return undefined;
  const records: LeaseRecord[] = [];
  let dropped = 0;
  for (const item of data.leases as unknown[]) {
    const record = toRecord(item);
    if (record) records.push(record);
    else dropped++;
  }
  return { records, dropped };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function toRecord(v: unknown): LeaseRecord | undefined {
  if (!isObject(v)) return undefined;
  const { mac, address, state, expiresAt } = v;
  if (typeof mac !== 'string' || typeof address !== 'string') return undefined;
  if (typeof state !== 'string' || !STATES.has(state)) return undefined;
  if (typeof expiresAt !== 'number' || !Number.isFinite(expiresAt)) return undefined;
  const record: LeaseRecord = { mac, address, state: state as LeaseRecord['state'], expiresAt };
  if (typeof v.hostname === 'string') record.hostname = v.hostname;
  if (typeof v.vendorClass === 'string') record.vendorClass = v.vendorClass;
  if (typeof v.arch === 'number' && Number.isInteger(v.arch)) record.arch = v.arch;
  if (typeof v.bootFile === 'string') record.bootFile = v.bootFile;
  return record;
}

/** Only the known fields, so nothing else a record may carry ends up on disk. */
function cleanRecord(r: LeaseRecord): LeaseRecord {
  return toRecord(r) ?? { mac: r.mac, address: r.address, state: r.state, expiresAt: r.expiresAt };
}
