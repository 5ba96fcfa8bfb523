// The name mapping calls: the UI keeps rules as lines of the rule syntax; here they are parsed with
// the engine's own parser (so what is saved is what the server applies), saved through the
// controller's settings path (validated, stored, handed to the running engine), and tried on a
// sample name with the same path check and lookup a request gets.
import type { NameMapProbe, NameMapProbeResult, SetNameMapResult } from '../../shared/name-map-contract.js';
import type { UpdateSettingsResult } from '../../shared/ipc-contract.js';
import type { AppSettings, NameMapRule } from '../../shared/settings.js';
import { parseRuleList, probeNameMap } from '../tftp/index.js';

export interface NameMapDeps {
  settings: () => AppSettings;
  update: (patch: Partial<AppSettings>) => Promise<UpdateSettingsResult>;
}

/** The client address a sample is tried from when the tester names none (for \i and \x). */
const SAMPLE_ADDRESS = '127.0.0.1';

/**
 * Rules as the parser makes them from their own `source`: a rule object sent whole (a settings
 * patch) cannot say one thing in its fields and show another. The first problem, or the rules.
 */
export function canonicalRules(rules: readonly NameMapRule[]): NameMapRule[] | string {
  const parsed = parseRuleList(rules.map((r) => r.source));
  if (parsed.ok) return parsed.rules;
  const first = parsed.errors[0];
  return first === undefined ? 'The rules are not valid.' : `Rule ${first.index + 1}: ${first.message}.`;
}

export function createNameMapCalls(deps: NameMapDeps) {
  return {
    async setNameMap(lines: string[]): Promise<SetNameMapResult> {
      const parsed = parseRuleList(lines);
      if (!parsed.ok) return parsed;
      const saved = await deps.update({ nameMap: parsed.rules });
      if (saved.ok) return { ok: true, settings: saved.settings };
      const message = saved.errors.nameMap ?? 'The rules could not be saved.';
      return { ok: false, errors: [{ index: 0, message }] };
    },
    async testNameMap(probe: NameMapProbe): Promise<NameMapProbeResult> {
      const s = deps.settings();
      let rules = s.nameMap ?? [];
      if (probe.rules !== undefined) {
        const parsed = parseRuleList(probe.rules);
        if (!parsed.ok) return parsed;
        rules = parsed.rules;
      }
      return probeNameMap({ root: s.root, caseInsensitive: s.caseInsensitive }, rules, {
        name: probe.name,
        kind: probe.kind ?? 'rrq',
        address: probe.address ?? SAMPLE_ADDRESS,
      });
    },
  };
}
