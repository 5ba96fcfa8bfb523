// Types of file-hash.mjs (plain JavaScript so it runs as a thread script from source and built).
import type { BigIntStats } from 'node:fs';

/** Which file, in which state: device, inode, size and modification time (decimal strings). */
export interface FileIdentity {
  dev: string;
  ino: string;
  size: string;
  mtimeNs: string;
}

export function identityOf(st: BigIntStats): FileIdentity;
export function sameIdentity(a: FileIdentity, b: FileIdentity): boolean;
export function hashFile(path: string, identity: FileIdentity): Promise<string | undefined>;
