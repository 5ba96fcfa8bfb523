// The served folder's file list, for suggestions on a not-found name (name-suggest.ts). Bounded:
// at most MAX_ENTRIES names and MAX_DEPTH folders deep, symlinked folders are not entered (they may
// loop or lead outside the root), upload temporary files are left out. One listing serves every
// not-found request for a few seconds, and at most a few suggestion rounds run per second, so a
// device asking for missing names in a loop costs the disk almost nothing.
import fs from 'node:fs/promises';
import type { NameSuggestion } from '../../shared/tftp-types.js';
import { suggestNames } from './name-suggest.js';
import { RequestRateLimiter } from './rate-limit.js';
import { isUploadTempName } from './upload-file.js';

const MAX_ENTRIES = 5000;
const MAX_DEPTH = 6;
const LISTING_TTL_MS = 3000;
const ROUNDS_PER_SECOND = 5;

/** Paths inside `root` (forward slashes) of regular files and symlinks, breadth first; [] on error. */
export async function listServedFiles(root: string, maxEntries = MAX_ENTRIES): Promise<string[]> {
  const files: string[] = [];
  let seen = 0;
  let level: string[] = [''];
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      let entries;
      try {
        entries = await fs.readdir(dir === '' ? root : `${root}/${dir}`, { withFileTypes: true });
      } catch {
        continue;
      }
      for (const e of entries) {
        if (++seen > maxEntries) return files;
        if (isUploadTempName(e.name)) continue;
        const rel = dir === '' ? e.name : `${dir}/${e.name}`;
        if (e.isDirectory()) next.push(rel);
        else if (e.isFile() || e.isSymbolicLink()) files.push(rel);
      }
    }
    level = next;
  }
  return files;
}

/** Suggestions for not-found names, with the listing cached and the rounds rate-limited. */
export class NameSuggester {
  private listing: { root: string; at: number; files: Promise<string[]> } | undefined;
  private readonly rounds = new RequestRateLimiter(ROUNDS_PER_SECOND);

  /** Suggestions for `name`, or undefined when the rate limit says to skip this one. */
  async suggest(root: string, name: string, nowMs: number): Promise<NameSuggestion[] | undefined> {
    if (!this.rounds.take('all', nowMs)) return undefined;
    if (this.listing === undefined || this.listing.root !== root || nowMs - this.listing.at > LISTING_TTL_MS)
      this.listing = { root, at: nowMs, files: listServedFiles(root) };
    return suggestNames(name, await this.listing.files);
  }
}
