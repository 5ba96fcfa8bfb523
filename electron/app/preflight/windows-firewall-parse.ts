// Windows Defender Firewall, read three ways (each CRLF text, English labels: the checks run the
// commands with their default output, and labels other than English read as "could not tell"):
// - `Get-NetConnectionProfile | Format-List`: the network category (Public/Private/Domain) per adapter;
// - `netsh advfirewall show allprofiles state`: whether the firewall is on for each profile;
// - `netsh advfirewall firewall show rule name=all dir=in verbose`: the inbound rules.
import type { NetworkProfile } from '../firewall-advice.js';

function blocks(text: string): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  let cur: Map<string, string> | undefined;
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') {
      cur = undefined;
      continue;
    }
    const kv = /^([A-Za-z][\w .-]*?)\s*:\s*(.*)$/.exec(line);
    if (!kv) continue;
    if (!cur) {
      cur = new Map();
      out.push(cur);
    }
    cur.set((kv[1] as string).trim(), (kv[2] as string).trim());
  }
  return out;
}

export interface AdapterProfile {
  alias: string;
  name: string;
  category: NetworkProfile;
}

const CATEGORIES: Record<string, NetworkProfile> = {
  Public: 'public',
  Private: 'private',
  DomainAuthenticated: 'domain',
  Domain: 'domain',
};

export function parseConnectionProfiles(text: string): AdapterProfile[] {
  return blocks(text).flatMap((b) => {
    const category = CATEGORIES[b.get('NetworkCategory') ?? ''];
    const alias = b.get('InterfaceAlias');
    return category && alias ? [{ alias, name: b.get('Name') ?? '', category }] : [];
  });
}

/** profile -> firewall on, from `netsh advfirewall show allprofiles state`. */
export function parseProfileStates(text: string): Partial<Record<NetworkProfile, boolean>> {
  const out: Partial<Record<NetworkProfile, boolean>> = {};
  let profile: NetworkProfile | undefined;
  for (const line of text.split(/\r?\n/)) {
    const head = /^(Domain|Private|Public) Profile Settings/.exec(line.trim());
    if (head) profile = (head[1] as string).toLowerCase() as NetworkProfile;
    const state = /^State\s+(ON|OFF)\b/.exec(line.trim());
    if (state && profile) out[profile] = state[1] === 'ON';
  }
  return out;
}

export interface WindowsRule {
  name: string;
  enabled: boolean;
  profiles: NetworkProfile[] | 'any';
  protocol: string;
  localPort: string;
  program: string;
  action: 'allow' | 'block';
}

export function parseNetshRules(text: string): WindowsRule[] {
  const rules: WindowsRule[] = [];
  // a rule's name line is followed by a dashed line, so split on "Rule Name:" ourselves
  for (const chunk of text.split(/^Rule Name:/m).slice(1)) {
    const [nameLine, ...rest] = chunk.split(/\r?\n/);
    const b = blocks(rest.filter((l) => !/^-+$/.test(l.trim())).join('\n'))[0] ?? new Map<string, string>();
    const profilesText = b.get('Profiles') ?? 'Any';
    const profiles =
      profilesText === 'Any'
        ? ('any' as const)
        : profilesText
            .split(',')
            .map((p) => CATEGORIES[p.trim()])
            .filter((p): p is NetworkProfile => p !== undefined);
    rules.push({
      name: (nameLine ?? '').trim(),
      enabled: b.get('Enabled') === 'Yes',
      profiles,
      protocol: b.get('Protocol') ?? 'Any',
      localPort: b.get('LocalPort') ?? 'Any',
      program: b.get('Program') ?? 'Any',
      action: b.get('Action') === 'Block' ? 'block' : 'allow',
    });
  }
  return rules;
}

function portCovers(spec: string, port: number): boolean {
  if (spec === 'Any') return true;
  return spec.split(',').some((part) => {
    const [lo, hi] = part.trim().split('-').map(Number);
    if (lo === undefined || Number.isNaN(lo)) return false;
    return hi === undefined ? lo === port : port >= lo && port <= hi;
  });
}

/** Windows paths compare without regard to case; %SystemRoot%-style variables are left as written. */
function sameProgram(rule: string, program: string): boolean {
  return rule === 'Any' || rule.toLowerCase() === program.toLowerCase();
}

/**
 * The enabled inbound rules that apply to UDP on `port` for `program` on `profile`. Windows lets a
 * block rule win over any allow rule, so the caller checks blocks first.
 */
export function rulesFor(
  rules: readonly WindowsRule[],
  program: string,
  port: number,
  profile: NetworkProfile,
): { allow: WindowsRule[]; block: WindowsRule[] } {
  const applies = rules.filter(
    (r) =>
      r.enabled &&
      (r.protocol === 'UDP' || r.protocol === 'Any') &&
      (r.profiles === 'any' || r.profiles.includes(profile)) &&
      portCovers(r.localPort, port) &&
      sameProgram(r.program, program),
  );
  return {
    allow: applies.filter((r) => r.action === 'allow'),
    block: applies.filter((r) => r.action === 'block'),
  };
}
