// `ufw status verbose`: whether ufw is active, its default for incoming traffic, and the first rule
// that matches UDP to our port (ufw stops at the first match, in the order it lists them).
// Rules: `69/udp`, `69`, `60:80/udp`, `6969,7000/udp`, `Anywhere on enp3s0`, each with (v6) twins.

export interface UfwRule {
  to: string;
  action: 'allow' | 'deny' | 'reject' | 'limit';
  from: string;
  v6: boolean;
}

export interface UfwStatus {
  active: boolean;
  /** the default policy for incoming traffic, when shown */
  incoming?: 'allow' | 'deny' | 'reject';
  rules: UfwRule[];
}

const ACTIONS = ['ALLOW', 'DENY', 'REJECT', 'LIMIT'] as const;

export function parseUfwStatus(text: string): UfwStatus | undefined {
  const lines = text.split(/\r?\n/);
  const status = lines.find((l) => l.startsWith('Status:'));
  if (status === undefined) return undefined;
  const active = /Status:\s*active/.test(status);
  const def = /Default:\s*(allow|deny|reject) \(incoming\)/.exec(text);
  const rules: UfwRule[] = [];
  const start = lines.findIndex((l) => /^--\s+------/.test(l.trim()));
  for (const line of start >= 0 ? lines.slice(start + 1) : []) {
    // columns are separated by two or more spaces; a single space stays inside a column
    const cols = line.trim().split(/\s{2,}/);
    if (cols.length < 3) continue;
    const [to, actionText, from] = cols as [string, string, string];
    const word = ACTIONS.find((a) => actionText.startsWith(a));
    if (word === undefined || actionText.includes('OUT')) continue;
    rules.push({ to, action: word.toLowerCase() as UfwRule['action'], from, v6: to.includes('(v6)') });
  }
  return { active, ...(def ? { incoming: def[1] as UfwStatus['incoming'] } : {}), rules };
}

/** Does a rule's To column cover UDP on `port`, arriving on `iface`? */
export function ufwRuleCovers(rule: UfwRule, port: number, iface?: string): boolean {
  const to = rule.to.replace('(v6)', '').trim();
  const on = / on (\S+)$/.exec(to);
  if (on && iface !== undefined && on[1] !== iface) return false;
  const target = on ? to.slice(0, on.index).trim() : to;
  if (target === 'Anywhere') return true;
  const [ports, proto] = target.split('/');
  if (proto !== undefined && proto !== 'udp') return false;
  return (ports ?? '').split(',').some((part) => {
    const [lo, hi] = part.split(':').map(Number);
    if (lo === undefined || Number.isNaN(lo)) return false;
    return hi === undefined ? lo === port : port >= lo && port <= hi;
  });
}

/** The first rule that decides UDP to `port` (IPv4 rules; ufw lists v6 twins after them). */
export function ufwDecidingRule(s: UfwStatus, port: number, iface?: string): UfwRule | undefined {
  return s.rules.find((r) => !r.v6 && ufwRuleCovers(r, port, iface));
}
