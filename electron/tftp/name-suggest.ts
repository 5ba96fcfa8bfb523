// For a name that was not found: which served files did the device probably mean? A name that
// differs only in case (a config written on Windows, a case-sensitive disk), the same name with
// another extension, the same name in another folder, or a name a few characters away. Pure, never
// throws; the work is bounded by the listing's size (served-files.ts caps it) and a banded edit
// distance, so a folder of thousands of files costs a few milliseconds.
import type { NameSuggestion } from '../../shared/tftp-types.js';

export const MAX_SUGGESTIONS = 5;
/** Names longer than this are not compared character by character. */
const MAX_NEAR_CHARS = 256;

const RANK: Record<NameSuggestion['reason'], number> = { case: 0, extension: 1, folder: 2, near: 3 };

/** The requested name the way file-root reads it: either separator, no leading or empty segments. */
export function normalizeRequested(name: string): string {
  return name
    .split(/[/\\]/)
    .filter((s) => s !== '' && s !== '.')
    .join('/');
}

function split(path: string): { dir: string; base: string; stem: string; ext: string } {
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : path.slice(0, slash);
  const base = path.slice(slash + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0
    ? { dir, base, stem: base.slice(0, dot), ext: base.slice(dot) }
    : { dir, base, stem: base, ext: '' };
}

/**
 * Edit distance (insertions, deletions, substitutions and swaps of two neighbours, which is how
 * names get mistyped) if it is at most `k`, else k + 1. Only the band |i - j| <= k of the table is
 * filled, so the cost is O(length * k).
 */
export function boundedDistance(a: string, b: string, k: number): number {
  if (Math.abs(a.length - b.length) > k) return k + 1;
  const inf = k + 1;
  let before = new Array<number>(b.length + 1).fill(inf);
  let prev = new Array<number>(b.length + 1);
  let cur = new Array<number>(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j <= k ? j : inf;
  for (let i = 1; i <= a.length; i++) {
    cur.fill(inf);
    cur[0] = i <= k ? i : inf;
    let best = cur[0];
    for (let j = Math.max(1, i - k); j <= Math.min(b.length, i + k); j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min((prev[j - 1] as number) + cost, (prev[j] as number) + 1, (cur[j - 1] as number) + 1);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, (before[j - 2] as number) + 1);
      cur[j] = Math.min(v, inf);
      if ((cur[j] as number) < best) best = cur[j] as number;
    }
    if (best > k) return inf;
    [before, prev, cur] = [prev, cur, before];
  }
  return Math.min(prev[b.length] as number, inf);
}

/** How far apart two names may be and still be a near match: about one edit per five characters. */
const nearLimit = (length: number): number => Math.min(3, Math.max(1, Math.floor(length / 5)));

/**
 * Suggestions for `requested` among `files` (paths inside the root, forward slashes), best first:
 * case-only differences, then other extensions, other folders, near matches.
 */
export function suggestNames(requested: string, files: readonly string[]): NameSuggestion[] {
  const want = normalizeRequested(requested);
  if (want === '') return [];
  const w = split(want);
  const wantLower = want.toLowerCase();
  const baseLower = w.base.toLowerCase();
  const stemLower = w.stem.toLowerCase();
  const k = nearLimit(w.base.length);
  const found: { s: NameSuggestion; score: number }[] = [];
  for (const file of files) {
    if (file === want) continue;
    const f = split(file);
    let reason: NameSuggestion['reason'] | undefined;
    let score = 0;
    if (file.toLowerCase() === wantLower) reason = 'case';
    else if (f.dir.toLowerCase() === w.dir.toLowerCase() && f.stem.toLowerCase() === stemLower)
      reason = 'extension';
    else if (f.base.toLowerCase() === baseLower) reason = 'folder';
    else if (w.base.length <= MAX_NEAR_CHARS && f.dir.toLowerCase() === w.dir.toLowerCase()) {
      const d = boundedDistance(f.base.toLowerCase(), baseLower, k);
      if (d <= k) {
        reason = 'near';
        score = d;
      }
    }
    if (reason !== undefined) found.push({ s: { file, reason }, score: RANK[reason] * 10 + score });
  }
  found.sort((a, b) => a.score - b.score || a.s.file.localeCompare(b.s.file));
  return found.slice(0, MAX_SUGGESTIONS).map((x) => x.s);
}
