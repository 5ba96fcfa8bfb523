// `nft -j list ruleset` (nftables JSON, libnftables-json(5)): would a new UDP request to our port,
// arriving on the chosen interface, be dropped on the input hook? Each base chain on that hook
// (every table's) must let it through; a chain decides by its first matching drop/reject/accept,
// or by its policy. Conditions we cannot judge (a source address, a jump, a set by name) make a
// rule "maybe": reported as a warning, never silently passed or failed.

export type Verdict = 'drop' | 'accept';

export interface NftFinding {
  /** `inet filter input` */
  chain: string;
  /** the rule's handle, or undefined for the chain's policy */
  handle?: number;
  verdict: Verdict;
  /** the rule certainly matches our request, or only might */
  certain: boolean;
  /** a short reading of the rule, e.g. `udp dport 69 drop` */
  text: string;
}

export interface NftVerdict {
  /** the chains on the input hook, in priority order */
  chains: string[];
  /** per chain: what decides our request there */
  findings: NftFinding[];
}

export interface NftPacket {
  port: number;
  /** the interface the device's request arrives on, when known */
  interface?: string;
}

type Json = unknown;
type Tri = 'yes' | 'no' | 'maybe';

interface Chain {
  family: string;
  table: string;
  name: string;
  hook?: string;
  prio: number;
  policy?: string;
}
interface Rule {
  family: string;
  table: string;
  chain: string;
  handle?: number;
  expr: Json[];
}

function obj(v: Json): Record<string, Json> | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, Json>) : undefined;
}

/** Does a value (number, set, range, named set) hold the port? */
function holdsPort(right: Json, port: number): Tri {
  if (typeof right === 'number') return right === port ? 'yes' : 'no';
  if (typeof right === 'string')
    return right.startsWith('@') ? 'maybe' : right === String(port) ? 'yes' : 'no';
  if (Array.isArray(right)) {
    const all = right.map((r) => holdsPort(r, port));
    return all.includes('yes') ? 'yes' : all.includes('maybe') ? 'maybe' : 'no';
  }
  const o = obj(right);
  if (!o) return 'maybe';
  if (o.set !== undefined) return holdsPort(o.set, port);
  const range = o.range;
  if (Array.isArray(range) && typeof range[0] === 'number' && typeof range[1] === 'number')
    return port >= range[0] && port <= range[1] ? 'yes' : 'no';
  return 'maybe';
}

function negate(t: Tri, op: Json): Tri {
  if (op !== '!=') return t;
  return t === 'yes' ? 'no' : t === 'no' ? 'yes' : 'maybe';
}

/** One `match` expression against our request: a new UDP datagram to `port` on `interface`. */
function judgeMatch(m: Record<string, Json>, p: NftPacket): Tri {
  const left = obj(m.left);
  const right = m.right;
  const op = m.op ?? '==';
  const payload = obj(left?.payload);
  const meta = obj(left?.meta);
  const ct = obj(left?.ct);
  if (payload && payload.field === 'dport') {
    if (payload.protocol === 'udp' || payload.protocol === 'th') return negate(holdsPort(right, p.port), op);
    return 'no'; // tcp/sctp dport: our request is UDP
  }
  if (payload && payload.field === 'sport') return 'maybe';
  if (meta && (meta.key === 'l4proto' || meta.key === 'protocol')) {
    const names = Array.isArray(obj(right)?.set) ? (obj(right)?.set as Json[]) : [right];
    const udp = names.some((n) => n === 'udp' || n === 17);
    if (meta.key === 'protocol') return 'maybe'; // ethertype (ip/ip6): the device may use either
    return negate(udp ? 'yes' : 'no', op);
  }
  if (meta && (meta.key === 'iifname' || meta.key === 'iif')) {
    if (p.interface === undefined) return 'maybe';
    const names = Array.isArray(obj(right)?.set) ? (obj(right)?.set as Json[]) : [right];
    const hit = names.some(
      (n) =>
        typeof n === 'string' &&
        (n === p.interface || (n.endsWith('*') && p.interface!.startsWith(n.slice(0, -1)))),
    );
    return negate(hit ? 'yes' : 'no', op);
  }
  if (ct && ct.key === 'state') {
    // a device's first request is a new flow
    const states = Array.isArray(right)
      ? right
      : Array.isArray(obj(right)?.set)
        ? (obj(right)?.set as Json[])
        : [right];
    return negate(states.includes('new') ? 'yes' : 'no', op);
  }
  return 'maybe';
}

function and(a: Tri, b: Tri): Tri {
  if (a === 'no' || b === 'no') return 'no';
  return a === 'maybe' || b === 'maybe' ? 'maybe' : 'yes';
}

/** A rule's verdict for our request: its conditions, then drop/reject/accept; jumps are maybes. */
function judgeRule(rule: Rule, p: NftPacket): { match: Tri; verdict?: Verdict; text: string } {
  let match: Tri = 'yes';
  let verdict: Verdict | undefined;
  const words: string[] = [];
  for (const e of rule.expr) {
    const o = obj(e);
    if (!o) continue;
    if (o.match !== undefined) {
      const m = obj(o.match);
      if (m) {
        match = and(match, judgeMatch(m, p));
        words.push(describeMatch(m));
      }
    } else if ('drop' in o || 'reject' in o) {
      verdict = 'drop';
      words.push('drop' in o ? 'drop' : 'reject');
      break;
    } else if ('accept' in o) {
      verdict = 'accept';
      words.push('accept');
      break;
    } else if ('jump' in o || 'goto' in o) {
      words.push('jump');
      return { match: and(match, 'maybe'), text: words.join(' ') };
    }
  }
  return verdict === undefined
    ? { match: 'no', text: words.join(' ') }
    : { match, verdict, text: words.join(' ') };
}

function describeMatch(m: Record<string, Json>): string {
  const left = obj(m.left);
  const payload = obj(left?.payload);
  const meta = obj(left?.meta);
  const ct = obj(left?.ct);
  const key = payload
    ? `${String(payload.protocol)} ${String(payload.field)}`
    : meta
      ? String(meta.key)
      : ct
        ? `ct ${String(ct.key)}`
        : 'match';
  const op = m.op === '==' || m.op === undefined || m.op === 'in' ? '' : `${String(m.op)} `;
  return `${key} ${op}${JSON.stringify(m.right)}`.replaceAll('"', '');
}

function readRuleset(json: Json): { chains: Chain[]; rules: Rule[] } | undefined {
  const list = obj(json)?.nftables;
  if (!Array.isArray(list)) return undefined;
  const chains: Chain[] = [];
  const rules: Rule[] = [];
  for (const item of list) {
    const c = obj(obj(item)?.chain);
    if (c && typeof c.name === 'string' && typeof c.table === 'string') {
      chains.push({
        family: String(c.family),
        table: c.table,
        name: c.name,
        ...(typeof c.hook === 'string' ? { hook: c.hook } : {}),
        prio: typeof c.prio === 'number' ? c.prio : 0,
        ...(typeof c.policy === 'string' ? { policy: c.policy } : {}),
      });
    }
    const r = obj(obj(item)?.rule);
    if (r && typeof r.chain === 'string' && Array.isArray(r.expr)) {
      rules.push({
        family: String(r.family),
        table: String(r.table),
        chain: r.chain,
        ...(typeof r.handle === 'number' ? { handle: r.handle } : {}),
        expr: r.expr,
      });
    }
  }
  return { chains, rules };
}

const INPUT_FAMILIES = new Set(['ip', 'ip6', 'inet']);

/** Undefined when the text is not nft's JSON. */
export function judgeNftRuleset(text: string, p: NftPacket): NftVerdict | undefined {
  let json: Json;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const set = readRuleset(json);
  if (!set) return undefined;
  const inputs = set.chains
    .filter((c) => c.hook === 'input' && INPUT_FAMILIES.has(c.family))
    .sort((a, b) => a.prio - b.prio);
  const findings: NftFinding[] = [];
  for (const c of inputs) {
    const label = `${c.family} ${c.table} ${c.name}`;
    let decided = false;
    // an earlier rule that might accept (a source address we cannot judge) makes a later drop uncertain
    let mayHaveAccepted = false;
    for (const r of set.rules.filter(
      (r) => r.family === c.family && r.table === c.table && r.chain === c.name,
    )) {
      const judged = judgeRule(r, p);
      if (judged.match === 'no') continue;
      findings.push({
        chain: label,
        ...(r.handle !== undefined ? { handle: r.handle } : {}),
        verdict: judged.verdict ?? 'drop',
        certain: judged.match === 'yes' && !mayHaveAccepted,
        text: judged.text,
      });
      if (judged.match === 'maybe' && judged.verdict !== 'drop') mayHaveAccepted = true;
      if (judged.match === 'yes') {
        decided = true;
        break;
      }
    }
    if (!decided)
      findings.push({
        chain: label,
        verdict: c.policy === 'drop' ? 'drop' : 'accept',
        certain: !mayHaveAccepted,
        text: `policy ${c.policy ?? 'accept'}`,
      });
  }
  return { chains: inputs.map((c) => `${c.family} ${c.table} ${c.name}`), findings };
}

/** The findings that stop (or may stop) the request: certain drops first. */
export function nftBlockers(v: NftVerdict): NftFinding[] {
  return v.findings.filter((f) => f.verdict === 'drop').sort((a, b) => Number(b.certain) - Number(a.certain));
}
