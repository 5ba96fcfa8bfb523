// After Start on Windows: does the firewall let devices reach the listening port? Pure: it judges
// a reading of the three Windows commands (preflight/firewall-windows.ts reads them) for the
// adapters the server listens on, and words the notice the UI shows (null: nothing in the way).
import type { ListenAddress } from '../../shared/events.js';
import type { FirewallNotice } from '../../shared/firewall.js';
import type { NetInterface } from '../../shared/ipc-contract.js';
import { firewallAdvice, type NetworkProfile } from './firewall-advice.js';
import type { WindowsFirewallReading } from './preflight/firewall-windows.js';
import { rulesFor } from './preflight/windows-firewall-parse.js';

const WILDCARD = new Set(['0.0.0.0', '::', '']);
const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;

/**
 * The adapters (interface names, which on Windows are the profiles' InterfaceAlias) the server
 * listens on: 'all' for a wildcard address. Loopback is left out: the firewall never filters it.
 */
export function listeningAdapters(
  listening: readonly ListenAddress[],
  interfaces: readonly NetInterface[],
): string[] | 'all' {
  if (listening.some((l) => WILDCARD.has(l.address))) return 'all';
  const names = new Set<string>();
  for (const l of listening) {
    if (LOOPBACK.test(l.address)) continue;
    const holder = interfaces.find((i) => i.addresses.some((a) => a.address === l.address));
    const name = holder?.name ?? (l.interface || undefined);
    if (holder?.internal === true) continue;
    names.add(name ?? l.address);
  }
  return [...names];
}

interface Candidate {
  alias?: string;
  profile: NetworkProfile;
  assumed: boolean;
}

const RANK: Record<NetworkProfile, number> = { public: 0, private: 1, domain: 2 };

export interface NoticeInput {
  program: string;
  port: number;
  adapters: string[] | 'all';
}

export function firewallNotice(reading: WindowsFirewallReading, input: NoticeInput): FirewallNotice | null {
  // the rules could not be read: nothing certain to say, and the pre-flight check says why
  if (!Array.isArray(reading.rules)) return null;
  const rules = reading.rules;
  const { program, port } = input;
  const candidates: Candidate[] =
    input.adapters === 'all'
      ? reading.profiles.length > 0
        ? reading.profiles.map((p) => ({ alias: p.alias, profile: p.category, assumed: false }))
        : [{ profile: 'public', assumed: true }]
      : input.adapters.map((name) => {
          const p = reading.profiles.find((a) => a.alias === name);
          // Windows files a network it cannot identify under Public
          return { alias: name, profile: p?.category ?? 'public', assumed: p === undefined };
        });
  const stopped = candidates
    .filter((c) => reading.states[c.profile] !== false)
    .map((c) => ({ ...c, ...rulesFor(rules, program, port, c.profile) }))
    .filter((c) => c.block.length > 0 || c.allow.length === 0)
    .sort((a, b) => RANK[a.profile] - RANK[b.profile]);
  const worst = stopped[0];
  if (worst === undefined) return null;
  const where = {
    port,
    profile: worst.profile,
    ...(worst.alias !== undefined ? { adapter: worst.alias } : {}),
  };
  const blocker = worst.block[0];
  if (blocker !== undefined) {
    const name = worst.profile[0]!.toUpperCase() + worst.profile.slice(1);
    return {
      ...where,
      message: `The server is running, but the Windows Firewall rule "${blocker.name}" blocks TFTP Desk on this ${name} network${worst.alias !== undefined ? ` (${worst.alias})` : ''}, and a block rule wins over any allow rule. Windows makes such a rule when its "allow access" prompt is dismissed. Delete or disable it in Windows Defender Firewall (wf.msc, Inbound Rules), or mark the network Private.`,
    };
  }
  const advice = firewallAdvice({ program, port, adapterProfile: worst.profile, ruleAllows: false });
  if (advice === null) return null;
  const assumed = worst.assumed
    ? ` Windows lists no network profile for ${worst.alias ?? 'the adapter'}, so it treats it as Public.`
    : '';
  return { ...where, message: advice.message + assumed, command: advice.command, undo: advice.undo };
}
