// The mapping tester: a sample name goes through the rules (name-map.ts) and then through exactly
// what a request's name goes through in admission: the path policy and the lookup in the root
// (file-root.ts). So the UI's answer ("this rule, this file, inside the root") is the server's,
// and a rule that would reach outside the root is shown refused, as the server would refuse it.
import type { NameMapProbeResult } from '../../shared/name-map-contract.js';
import type { NameMapRule } from '../../shared/settings.js';
import { openForRead, resolveForWrite } from './file-root.js';
import { applyNameMap } from './name-map.js';

export interface ProbeSettings {
  root: string;
  caseInsensitive: boolean;
}

/** Never throws; the file is opened and closed at once (nothing is read or written). */
export async function probeNameMap(
  settings: ProbeSettings,
  rules: readonly NameMapRule[],
  sample: { name: string; kind: 'rrq' | 'wrq'; address: string },
): Promise<NameMapProbeResult & { ok: true }> {
  const mapped = applyNameMap(rules, sample);
  const opts = { caseInsensitive: settings.caseInsensitive };
  let resolved: (NameMapProbeResult & { ok: true })['resolved'];
  if (sample.kind === 'rrq') {
    const opened = await openForRead(settings.root, mapped.name, opts);
    if (opened.ok) {
      await opened.handle.close().catch(() => undefined);
      resolved = { ok: true, file: opened.relative, size: opened.size, exists: true };
    } else resolved = { ok: false, code: opened.code, reason: opened.reason };
  } else {
    const target = await resolveForWrite(settings.root, mapped.name, opts);
    resolved = target.ok
      ? { ok: true, file: target.relative, exists: target.exists }
      : { ok: false, code: target.code, reason: target.reason };
  }
  return { ok: true, mapped: mapped.name, matched: mapped.rules, resolved };
}
