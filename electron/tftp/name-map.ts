// Name mapping: answer the name a device insists on with the file you have. In the spirit of
// tftpd-hpa's remap file (`--map-file`), one rule a line, applied in order before the name reaches
// file-root.ts, which confines the result exactly as it confines a name sent by a client: a rule can
// rename, never escape the root.
//
//   # a comment; blank lines are skipped
//   e NAME FILE                  exact: a request for NAME (as sent, case kept) gets FILE; stops
//   r[FLAGS] REGEX REPLACEMENT   pattern: the first match of REGEX (JavaScript syntax) is replaced
//
// Flags: i ignore case, g replace every match (r only), e end here when the rule matched (r only;
// an exact rule always ends), G only for reads, P only for writes. In a REPLACEMENT: \0 the whole
// match, \1-\9 the groups, \i the client's address, \x the client's IPv4 address as 8 upper-case
// hex digits (U-Boot's file name), \\ a backslash; "" alone is the empty replacement. Fields are
// separated by spaces or tabs; write a space inside NAME, FILE or REPLACEMENT as "\ ". Rules are
// the operator's own: a pattern with catastrophic backtracking is slow on every request (names are
// at most 1024 bytes, which bounds it).
// Pure, never throws.
import { MAX_NAME_MAP_RULES, type NameMapRule } from '../../shared/settings.js';

export type NameMapParse =
  { ok: true; rules: NameMapRule[] } | { ok: false; errors: { line: number; message: string }[] };

const MAX_LINE_CHARS = 4096;
/** A rewrite that grows the name past this stops the chain; file-root then refuses the long name. */
const MAX_MAPPED_CHARS = 4096;
const EXACT_FLAGS = /^[iGP]*$/;
const PATTERN_FLAGS = /^[igeGP]*$/;

/** Splits a line on unescaped blanks; `\ ` stays in the field as an escaped space. */
function fields(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inField = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '\\' && i + 1 < line.length) {
      cur += c + (line[i + 1] as string);
      inField = true;
      i++;
    } else if (c === ' ' || c === '\t') {
      if (inField) out.push(cur);
      cur = '';
      inField = false;
    } else {
      cur += c;
      inField = true;
    }
  }
  if (inField) out.push(cur);
  return out;
}

/** A NAME or FILE field: `\ ` is a space and `\\` a backslash; other backslashes stay. */
const literal = (field: string): string => field.replace(/\\([ \\])/g, '$1');

function regexFlags(flags: string): string {
  return `${flags.includes('i') ? 'i' : ''}${flags.includes('g') ? 'g' : ''}`;
}

function groupCount(re: RegExp): number {
  return (new RegExp(`${re.source}|`, re.flags.replace('g', '')).exec('')?.length ?? 1) - 1;
}

function parseLine(text: string, line: number): NameMapRule | string {
  const f = fields(text);
  const [head = '', a, b, extra] = f;
  const kind = head[0];
  const flags = head.slice(1);
  if (kind !== 'e' && kind !== 'r')
    return `unknown rule "${head}": a rule starts with e (exact) or r (pattern)`;
  if (a === undefined || b === undefined)
    return kind === 'e'
      ? 'an exact rule needs a NAME and a FILE'
      : 'a pattern rule needs a REGEX and a REPLACEMENT';
  if (extra !== undefined) return 'too many fields (write a space inside a name as "\\ ")';
  const source = text.trim();
  if (kind === 'e') {
    if (!EXACT_FLAGS.test(flags)) return `unknown flag in "${head}" (an exact rule takes i, G, P)`;
    return { kind: 'exact', name: literal(a), file: literal(b), flags, line, source };
  }
  if (!PATTERN_FLAGS.test(flags)) return `unknown flag in "${head}" (a pattern rule takes i, g, e, G, P)`;
  // An escaped space is a space; every other escape is the regular expression's own.
  const pattern = a.replace(/\\ /g, ' ');
  let re: RegExp;
  try {
    re = new RegExp(pattern, regexFlags(flags));
  } catch (err) {
    return `bad regular expression: ${(err as Error).message}`;
  }
  const groups = groupCount(re);
  for (const m of b.matchAll(/\\([1-9])/g)) {
    if (Number(m[1]) > groups) return `\\${m[1]} names a group the pattern does not have (it has ${groups})`;
  }
  return { kind: 'pattern', pattern, replacement: b === '""' ? '' : b, flags, line, source };
}

/** Parses a rule file; every bad line is reported with its number, and then no rule is used. */
export function parseNameMap(text: string): NameMapParse {
  const rules: NameMapRule[] = [];
  const errors: { line: number; message: string }[] = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] as string;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    if (raw.length > MAX_LINE_CHARS) {
      errors.push({ line: i + 1, message: `line longer than ${MAX_LINE_CHARS} characters` });
      continue;
    }
    const r = parseLine(trimmed, i + 1);
    if (typeof r === 'string') errors.push({ line: i + 1, message: r });
    else rules.push(r);
  }
  if (rules.length > MAX_NAME_MAP_RULES)
    errors.push({ line: lines.length, message: `more than ${MAX_NAME_MAP_RULES} rules` });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rules };
}

type Compiled =
  | { rule: NameMapRule & { kind: 'exact' }; reads: boolean; writes: boolean }
  | { rule: NameMapRule & { kind: 'pattern' }; reads: boolean; writes: boolean; re: RegExp };

const directions = (flags: string) => ({
  reads: !flags.includes('P') || flags.includes('G'),
  writes: !flags.includes('G') || flags.includes('P'),
});

// Compiled once per rule list: settings hand the engine the same array until they change.
const compiledCache = new WeakMap<readonly NameMapRule[], Compiled[]>();

function compile(rules: readonly NameMapRule[]): Compiled[] {
  const cached = compiledCache.get(rules);
  if (cached) return cached;
  const out: Compiled[] = [];
  for (const rule of rules) {
    if (rule.kind === 'exact') out.push({ rule, ...directions(rule.flags) });
    else {
      try {
        out.push({ rule, ...directions(rule.flags), re: new RegExp(rule.pattern, regexFlags(rule.flags)) });
      } catch {
        // validated when the settings were accepted; a rule that still fails to compile is skipped
      }
    }
  }
  compiledCache.set(rules, out);
  return out;
}

/** The client's IPv4 address as U-Boot writes it in its default file name: C0A80102. */
function hexAddress(address: string): string {
  const m = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.(\d+)$/i.exec(address);
  if (!m) return '';
  return m
    .slice(1)
    .map((n) => Number(n).toString(16).toUpperCase().padStart(2, '0'))
    .join('');
}

function expand(
  replacement: string,
  match: string,
  groups: readonly (string | undefined)[],
  address: string,
): string {
  return replacement.replace(/\\(.)/gs, (_, c: string) => {
    if (c === '0') return match;
    if (c >= '1' && c <= '9') return groups[Number(c) - 1] ?? '';
    if (c === 'i') return address.replace(/^::ffff:/i, '');
    if (c === 'x') return hexAddress(address);
    return c;
  });
}

export interface MappedName {
  /** the name to look up (unchanged when no rule matched) */
  name: string;
  /** the rules that changed it, as written, in order; empty when none matched */
  rules: string[];
}

/** Runs a request's name through the rules. The result still goes through file-root.ts. */
export function applyNameMap(
  rules: readonly NameMapRule[] | undefined,
  request: { name: string; kind: 'rrq' | 'wrq'; address: string },
): MappedName {
  let name = request.name;
  const used: string[] = [];
  if (rules === undefined || rules.length === 0) return { name, rules: used };
  for (const c of compile(rules)) {
    if (request.kind === 'rrq' ? !c.reads : !c.writes) continue;
    if (c.rule.kind === 'exact') {
      const hit = c.rule.flags.includes('i')
        ? name.toLowerCase() === c.rule.name.toLowerCase()
        : name === c.rule.name;
      if (!hit) continue;
      used.push(c.rule.source);
      return { name: c.rule.file, rules: used };
    }
    if (c.rule.kind !== 'pattern' || !('re' in c)) continue;
    const re = c.re;
    re.lastIndex = 0;
    if (!re.test(name)) continue;
    re.lastIndex = 0;
    const replacement = c.rule.replacement;
    name = name.replace(re, (match: string, ...rest: unknown[]) => {
      // replace() passes the groups, then the offset (a number): the groups are what comes before it.
      const end = rest.findIndex((x) => typeof x === 'number');
      return expand(replacement, match, rest.slice(0, end) as (string | undefined)[], request.address);
    });
    used.push(c.rule.source);
    if (name.length > MAX_MAPPED_CHARS || c.rule.flags.includes('e')) break;
  }
  return { name, rules: used };
}

/**
 * Parses a list of rules, one rule a line as a UI keeps them: each entry must be one rule (not
 * blank, not a comment, no line break), and errors name the entry by its index. The rules' line
 * numbers are their positions, from 1.
 */
export function parseRuleList(
  lines: readonly string[],
): { ok: true; rules: NameMapRule[] } | { ok: false; errors: { index: number; message: string }[] } {
  const errors: { index: number; message: string }[] = [];
  lines.forEach((line, index) => {
    if (typeof line !== 'string') errors.push({ index, message: 'a rule must be text' });
    else if (/[\r\n]/.test(line)) errors.push({ index, message: 'a rule is one line' });
    else if (line.trim() === '' || line.trim().startsWith('#'))
      errors.push({ index, message: 'empty rule: write e NAME FILE or r REGEX REPLACEMENT' });
  });
  if (errors.length > 0) return { ok: false, errors };
  const parsed = parseNameMap(lines.join('\n'));
  if (parsed.ok) return parsed;
  return { ok: false, errors: parsed.errors.map((e) => ({ index: e.line - 1, message: e.message })) };
}
