// Editing the name mapping rules as the UI keeps them: one rule a line, in order (the syntax is
// electron/tftp/name-map.ts's and the README's; the app parses every line with the engine's parser
// before saving). Pure: tested in Node.
import type { NameMapProbeResult } from '../../shared/name-map-contract';
import type { NameMapRule } from '../../shared/settings';
import { displayText } from './display-text';

/** A NAME or FILE field: a backslash doubled, a space written `\ ` (the parser's own escapes). */
export function escapeRuleField(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/ /g, '\\ ');
}

// A control character cannot be written in a rule (and the path policy refuses such a name anyway).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** `e NAME FILE`, or undefined when the name or file cannot be written as a rule. */
export function exactRuleLine(name: string, file: string): string | undefined {
  if (name === '' || file === '' || CONTROL.test(name) || CONTROL.test(file)) return undefined;
  return `e ${escapeRuleField(name)} ${escapeRuleField(file)}`;
}

export const ruleLines = (rules: readonly NameMapRule[] | undefined): string[] =>
  (rules ?? []).map((r) => r.source);

/**
 * The rules with "answer NAME with FILE" first (an exact rule ends the chain, so it wins over the
 * patterns after it) and any earlier exact rule for the same name dropped. Undefined when the name
 * or file cannot be written as a rule.
 */
export function withExactRule(
  rules: readonly NameMapRule[] | undefined,
  name: string,
  file: string,
): string[] | undefined {
  const line = exactRuleLine(name, file);
  if (line === undefined) return undefined;
  const rest = (rules ?? []).filter((r) => !(r.kind === 'exact' && r.name === name));
  return [line, ...ruleLines(rest)];
}

/** The list with the rule at `index` moved by `delta` places (clamped to the list). */
export function moveRule(lines: readonly string[], index: number, delta: number): string[] {
  const to = Math.max(0, Math.min(lines.length - 1, index + delta));
  if (index < 0 || index >= lines.length || to === index) return [...lines];
  const out = [...lines];
  const [moved] = out.splice(index, 1);
  out.splice(to, 0, moved as string);
  return out;
}

export function removeRule(lines: readonly string[], index: number): string[] {
  return lines.filter((_, i) => i !== index);
}

/** The rules with one more at the end (or in place of the rule at `index`). */
export function putRule(lines: readonly string[], line: string, index?: number): string[] {
  const clean = line.trim();
  if (index === undefined || index < 0 || index >= lines.length) return [...lines, clean];
  return lines.map((l, i) => (i === index ? clean : l));
}

export interface ProbeText {
  /** which rules matched, or that none did */
  matched: string;
  /** where the name lands: a file inside the served folder, or why the server would refuse it */
  outcome: string;
  tone: 'ok' | 'warn' | 'error';
}

/** Words for a tester's answer; every name in it is escaped. */
export function describeProbe(result: NameMapProbeResult & { ok: true }): ProbeText {
  const mapped = displayText(result.mapped, 300);
  const matched =
    result.matched.length === 0
      ? 'No rule matches: the name is looked up as sent.'
      : `${result.matched.map((r) => displayText(r, 300)).join(', then ')} → ${mapped}`;
  const r = result.resolved;
  if (r.ok) {
    const file = displayText(r.file, 300);
    return {
      matched,
      outcome: r.exists
        ? `Served: ${file}${r.size !== undefined ? ` (${r.size} bytes)` : ''}, inside the served folder.`
        : `Would be written as ${file}, inside the served folder.`,
      tone: 'ok',
    };
  }
  const why = displayText(r.reason, 200);
  return r.code === 1
    ? { matched, outcome: `Not found: ${why} (error 1).`, tone: 'warn' }
    : {
        matched,
        outcome: `Refused: ${why} (error ${r.code}). A rule cannot reach outside the served folder.`,
        tone: 'error',
      };
}
