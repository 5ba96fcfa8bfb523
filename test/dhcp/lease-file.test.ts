// The lease file on a real folder: what is saved loads back; a missing, corrupt or half-readable
// file starts empty (or with what was readable) and says so; a failed write says so once and
// never throws; no temporary file is left behind.
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LEASE_FILE_NAME, LeaseFile, type LeaseFileNote } from '../../electron/dhcp/lease-file.js';
import type { LeaseRecord } from '../../electron/dhcp/leases.js';
import { makeTempDir, removeTempDirs } from '../helpers/files.js';

afterAll(() => removeTempDirs());

const RECORDS: LeaseRecord[] = [
  {
    mac: '02:00:00:00:00:01',
    address: '10.77.1.100',
    state: 'bound',
    expiresAt: 1_900_000_000_000,
    hostname: 'pxe-1',
    arch: 7,
  },
  { mac: '02:00:00:00:00:02', address: '10.77.1.101', state: 'released', expiresAt: 1_800_000_000_000 },
  { mac: '', address: '10.77.1.102', state: 'declined', expiresAt: 1_900_000_500_000 },
];

function store(dir: string): { file: LeaseFile; notes: LeaseFileNote[] } {
  const notes: LeaseFileNote[] = [];
  return { file: new LeaseFile(dir, (n) => notes.push(n)), notes };
}

describe('lease file', () => {
  it('loads back what it saved, and leaves no temporary file', () => {
    const dir = makeTempDir('dhcp-leases-');
    const a = store(dir.path);
    a.file.save(RECORDS);
    expect(readdirSync(dir.path)).toEqual([LEASE_FILE_NAME]);
    const b = store(dir.path);
    expect(b.file.load()).toEqual(RECORDS);
    expect(b.notes).toEqual([]);
  });

  it('a missing file starts empty and says so', () => {
    const dir = makeTempDir('dhcp-leases-');
    const s = store(dir.path);
    expect(s.file.load()).toEqual([]);
    expect(s.notes.map((n) => n.kind)).toEqual(['missing']);
  });

  it('a corrupt file starts empty, says so, and is kept aside for a person to look at', () => {
    const dir = makeTempDir('dhcp-leases-');
    const path = join(dir.path, LEASE_FILE_NAME);
    writeFileSync(path, '{"version":1,"leases":[{"mac":"02:00');
    const s = store(dir.path);
    expect(s.file.load()).toEqual([]);
    expect(s.notes).toHaveLength(1);
    expect(s.notes[0]?.kind).toBe('corrupt');
    expect(s.notes[0]?.message).toMatch(/starting with no leases/);
    expect(readFileSync(`${path}.corrupt`, 'utf8')).toContain('"mac":"02:00');
    // the next save writes a fresh file beside the kept one
    s.file.save(RECORDS.slice(0, 1));
    expect(store(dir.path).file.load()).toEqual(RECORDS.slice(0, 1));
  });

  it('skips unreadable entries, keeps the rest and says how many', () => {
    const dir = makeTempDir('dhcp-leases-');
    const good = RECORDS[0];
    const bad = [{ mac: 1 }, { mac: 'x', address: '10.0.0.1', state: 'stolen', expiresAt: 1 }, null];
    writeFileSync(join(dir.path, LEASE_FILE_NAME), JSON.stringify({ version: 1, leases: [good, ...bad] }));
    const s = store(dir.path);
    expect(s.file.load()).toEqual([good]);
    expect(s.notes.map((n) => n.kind)).toEqual(['dropped-records']);
    expect(s.notes[0]?.message).toMatch(/^3 unreadable entries/);
  });

  it('another program version or shape of file counts as corrupt, not as leases', () => {
    const dir = makeTempDir('dhcp-leases-');
    writeFileSync(join(dir.path, LEASE_FILE_NAME), JSON.stringify({ version: 99, leases: [] }));
    const s = store(dir.path);
    expect(s.file.load()).toEqual([]);
    expect(s.notes[0]?.kind).toBe('corrupt');
  });

  it('a write that fails never throws, says so once, and says when saving works again', () => {
    const dir = makeTempDir('dhcp-leases-');
    // The data folder's place is taken by a file: every write fails (also for root).
    const blocked = join(dir.path, 'data');
    writeFileSync(blocked, 'not a folder');
    const s = store(blocked);
    expect(() => s.file.save(RECORDS)).not.toThrow();
    expect(() => s.file.save(RECORDS)).not.toThrow();
    expect(s.notes).toHaveLength(1);
    expect(s.notes[0]?.kind).toBe('write-failed');
    expect(s.notes[0]?.message).toMatch(/could not be saved .*\(E[A-Z]+\).*kept in memory/);
    // Once the folder can be made, the same store saves again, and says so.
    rmSync(blocked);
    s.file.save(RECORDS);
    expect(s.notes.map((n) => n.kind)).toEqual(['write-failed', 'write-recovered']);
    expect(store(blocked).file.load()).toEqual(RECORDS);
  });

  it('creates the data folder on the first save', () => {
    const dir = makeTempDir('dhcp-leases-');
    const nested = join(dir.path, 'a', 'b');
    const s = store(nested);
    s.file.save(RECORDS);
    expect(store(nested).file.load()).toEqual(RECORDS);
  });
});
