// The host firewall, per OS: on Linux nftables (which ufw and firewalld also drive), ufw and
// firewalld; on macOS the application firewall; on Windows the adapter's network profile and
// the inbound rules for this program. Each reader is pure (its own module); this runs the commands
// and words one result. A command that cannot run is named, never guessed around.
import type { PreflightCheck } from '../../../shared/preflight.js';
import { firewallAdvice } from '../firewall-advice.js';
import { whyNot, type Exec, type ExecResult } from './exec.js';
import { parseFirewalldZones, zoneAdmits, zoneForInterface } from './firewalld-parse.js';
import { parseBlockAll, parseGlobalState } from './mac-firewall-parse.js';
import { judgeNftRuleset, nftBlockers } from './nft-parse.js';
import { parseUfwStatus, ufwDecidingRule } from './ufw-parse.js';
import {
  parseConnectionProfiles,
  parseNetshRules,
  parseProfileStates,
  rulesFor,
} from './windows-firewall-parse.js';

const TITLE = 'Firewall on this machine';

/** Why a probe's output could not be read: the command's own first line, or why it did not run. */
function brief(r: ExecResult): string {
  if (r.kind !== 'ran') return whyNot(r) as string;
  const line = (r.stderr.trim() || r.stdout.trim()).split('\n')[0] ?? '';
  return line.slice(0, 160) || `exit ${r.code}`;
}

export interface FirewallInput {
  platform: string;
  port: number;
  interfaceName?: string;
  /** the running program (what a Windows or macOS rule names) */
  program: string;
}

interface Finding {
  status: 'ok' | 'problem' | 'warning';
  text: string;
  fix?: string;
  command?: string;
}

const ONE_OF: Record<'ok' | 'problem' | 'warning' | 'unknown', number> = {
  ok: 0,
  unknown: 1,
  warning: 2,
  problem: 3,
};

function combine(findings: Finding[], unknown: string[], evidence: string): PreflightCheck {
  const worst = findings.reduce<'ok' | 'problem' | 'warning' | 'unknown'>(
    (w, f) => (ONE_OF[f.status] > ONE_OF[w] ? f.status : w),
    findings.length === 0 ? 'unknown' : 'ok',
  );
  const lead = findings.find((f) => f.status === worst && f.fix !== undefined);
  const text = [...findings.map((f) => f.text), ...unknown.map((u) => `Not checked: ${u}.`)].join(' ');
  return {
    id: 'firewall',
    title: TITLE,
    status: worst,
    summary: text || 'No firewall could be read here.',
    evidence,
    ...(lead?.fix !== undefined
      ? { fix: { text: lead.fix, ...(lead.command !== undefined ? { command: lead.command } : {}) } }
      : {}),
  };
}

async function linux(input: FirewallInput, exec: Exec): Promise<PreflightCheck> {
  const { port, interfaceName: iface } = input;
  const findings: Finding[] = [];
  const unknown: string[] = [];
  const ran: string[] = [];
  // ufw and firewalld first: when one runs, its own words are clearer than the nft chains it made
  let manager = false;
  const ufw = await exec('ufw', ['status', 'verbose']);
  const ufwStatus = ufw.kind === 'ran' ? parseUfwStatus(ufw.stdout) : undefined;
  if (ufwStatus?.active === true) {
    manager = true;
    ran.push('ufw status verbose');
    const rule = ufwDecidingRule(ufwStatus, port, iface);
    const allowCmd = `sudo ufw allow ${iface !== undefined ? `in on ${iface} to any port ${port} proto udp` : `${port}/udp`}`;
    if (rule && rule.action !== 'allow' && rule.action !== 'limit')
      findings.push({
        status: 'problem',
        text: `ufw ${rule.action === 'deny' ? 'drops' : 'rejects'} UDP ${port} (rule "${rule.to} ${rule.action.toUpperCase()} IN ${rule.from}").`,
        fix: `Delete that ufw rule (sudo ufw status numbered, then sudo ufw delete N), then allow the port.`,
        command: allowCmd,
      });
    else if (rule)
      findings.push({
        status: rule.from.startsWith('Anywhere') ? 'ok' : 'warning',
        text: `ufw allows UDP ${port} from ${rule.from}.`,
      });
    else if (ufwStatus.incoming !== 'allow')
      findings.push({
        status: 'problem',
        text: `ufw is active, denies incoming traffic by default, and no rule allows UDP ${port}.`,
        fix: `Allow UDP ${port} in ufw.`,
        command: allowCmd,
      });
    else findings.push({ status: 'ok', text: 'ufw is active and allows incoming traffic by default.' });
  } else if (ufwStatus?.active === false) ran.push('ufw status verbose (inactive)');
  else if (ufw.kind !== 'missing') unknown.push(`ufw (${brief(ufw)})`);

  const fw = await exec('firewall-cmd', ['--list-all-zones']);
  if (fw.kind === 'ran' && fw.code === 0) {
    const zone = zoneForInterface(parseFirewalldZones(fw.stdout), iface);
    ran.push('firewall-cmd --list-all-zones');
    if (zone) {
      manager = true;
      const admits = zoneAdmits(zone, port);
      const cmd = `sudo firewall-cmd --zone=${zone.name} ${port === 69 ? '--add-service=tftp' : `--add-port=${port}/udp`}`;
      if (admits === 'no')
        findings.push({
          status: 'problem',
          text: `firewalld's zone "${zone.name}"${iface !== undefined ? ` (for ${iface})` : ''} does not admit UDP ${port}.`,
          fix: 'Admit it in that zone now; repeat the command with --permanent to keep it after a reboot.',
          command: cmd,
        });
      else if (admits === 'maybe')
        findings.push({
          status: 'warning',
          text: `firewalld's zone "${zone.name}" admits UDP ${port} only through a rich rule (for some sources).`,
        });
      else findings.push({ status: 'ok', text: `firewalld's zone "${zone.name}" admits UDP ${port}.` });
    }
  } else if (fw.kind === 'ran' && /not running/i.test(fw.stdout + fw.stderr))
    ran.push('firewall-cmd (not running)');

  const nft = await exec('nft', ['-j', 'list', 'ruleset']);
  const verdict =
    nft.kind === 'ran' && nft.code === 0
      ? judgeNftRuleset(nft.stdout, { port, ...(iface !== undefined ? { interface: iface } : {}) })
      : undefined;
  if (verdict) {
    ran.push('nft -j list ruleset');
    const blockers = nftBlockers(verdict).filter((b) => b.certain || !manager);
    const certain = blockers.find((b) => b.certain);
    const shown = certain ?? blockers[0];
    if (shown) {
      const [family, table, chain] = shown.chain.split(' ');
      const command =
        shown.handle !== undefined && shown.certain
          ? `sudo nft delete rule ${family} ${table} ${chain} handle ${shown.handle}`
          : `sudo nft insert rule ${family} ${table} ${chain} ${iface !== undefined ? `iifname "${iface}" ` : ''}udp dport ${port} accept`;
      findings.push({
        status: certain ? 'problem' : 'warning',
        text: `nftables chain "${shown.chain}" ${certain ? 'drops' : 'may drop'} UDP ${port}${iface !== undefined ? ` arriving on ${iface}` : ''} (${shown.text}).`,
        fix:
          shown.handle !== undefined && shown.certain
            ? 'Delete that rule (it comes back if a firewall service re-creates it: change it there), or insert an accept rule before it.'
            : "Admit the port ahead of that chain's drop.",
        command,
      });
    } else if (!manager)
      findings.push({
        status: 'ok',
        text: `No nftables rule on the input hook drops UDP ${port}${verdict.chains.length === 0 ? ' (no input chains at all)' : ''}.`,
      });
  } else if (nft.kind === 'missing') ran.push('nft (not installed)');
  else unknown.push(`nftables (${brief(nft)}; run as root to read it)`);
  if (findings.length === 0 && unknown.length === 0)
    findings.push({ status: 'ok', text: 'No firewall found that filters incoming UDP.' });
  return combine(findings, unknown, ran.join(', '));
}

async function mac(input: FirewallInput, exec: Exec): Promise<PreflightCheck> {
  const tool = '/usr/libexec/ApplicationFirewall/socketfilterfw';
  const g = await exec(tool, ['--getglobalstate']);
  const state = g.kind === 'ran' ? parseGlobalState(g.stdout) : undefined;
  if (!state)
    return combine(
      [],
      [`the application firewall (${whyNot(g) ?? 'unexpected answer from socketfilterfw'})`],
      tool,
    );
  if (!state.enabled)
    return combine(
      [{ status: 'ok', text: 'The macOS application firewall is off.' }],
      [],
      `${tool} --getglobalstate`,
    );
  const b = await exec(tool, ['--getblockall']);
  const blockAll = state.blockAll || (b.kind === 'ran' ? parseBlockAll(b.stdout) === true : false);
  if (blockAll)
    return combine(
      [
        {
          status: 'problem',
          text: 'The macOS firewall blocks all incoming connections.',
          fix: 'Turn off "Block all incoming connections" (System Settings, Network, Firewall, Options).',
          command: `sudo ${tool} --setblockall off`,
        },
      ],
      [],
      `${tool} --getglobalstate, --getblockall`,
    );
  return combine(
    [
      {
        status: 'warning',
        text: 'The macOS firewall is on: it asks once whether TFTP Desk may accept incoming connections, and a "Deny" then drops every request silently.',
        fix: 'Allow TFTP Desk (System Settings, Network, Firewall, Options), or from Terminal:',
        command: `sudo ${tool} --add "${input.program}" && sudo ${tool} --unblockapp "${input.program}"`,
      },
    ],
    [],
    `${tool} --getglobalstate, --getblockall`,
  );
}

async function windows(input: FirewallInput, exec: Exec): Promise<PreflightCheck> {
  const { port, program } = input;
  const unknown: string[] = [];
  const p = await exec('powershell.exe', [
    '-NoProfile',
    '-NonInteractive',
    '-Command',
    'Get-NetConnectionProfile | Format-List Name,InterfaceAlias,NetworkCategory',
  ]);
  const profiles = p.kind === 'ran' ? parseConnectionProfiles(p.stdout) : [];
  const adapter =
    profiles.find((a) => a.alias === input.interfaceName) ??
    (input.interfaceName === undefined ? profiles[0] : undefined);
  if (!adapter)
    unknown.push(
      `the network profile of ${input.interfaceName ?? 'the adapter'} (${whyNot(p) ?? 'Windows lists no profile for it: an adapter without a network, such as a bare cable to a device, often has none until it has an address'})`,
    );
  const s = await exec('netsh', ['advfirewall', 'show', 'allprofiles', 'state']);
  const states = s.kind === 'ran' ? parseProfileStates(s.stdout) : {};
  const profile = adapter?.category ?? 'public';
  if (states[profile] === false)
    return combine(
      [
        {
          status: 'ok',
          text: `Windows Firewall is off for ${profile} networks${adapter ? ` (${adapter.alias} is ${profile})` : ''}.`,
        },
      ],
      unknown,
      'Get-NetConnectionProfile, netsh advfirewall',
    );
  const r = await exec('netsh', ['advfirewall', 'firewall', 'show', 'rule', 'name=all', 'dir=in', 'verbose']);
  if (r.kind !== 'ran')
    return combine([], [...unknown, `the inbound rules (${whyNot(r)})`], 'netsh advfirewall');
  const applying = rulesFor(parseNetshRules(r.stdout), program, port, profile);
  const advice = firewallAdvice({ program, port, adapterProfile: profile, ruleAllows: false });
  const named = adapter
    ? `${adapter.alias} is on a ${profile} network ("${adapter.name}")`
    : `assuming a ${profile} network`;
  if (applying.block.length > 0)
    return combine(
      [
        {
          status: 'problem',
          text: `${named}, and the inbound rule "${applying.block[0]!.name}" blocks this program there (Windows lets a block rule win over any allow).`,
          fix: `Delete or disable that block rule (wf.msc, Inbound Rules), or mark the network Private. ${advice?.message ?? ''}`,
          ...(advice ? { command: advice.command } : {}),
        },
      ],
      unknown,
      'Get-NetConnectionProfile, netsh advfirewall firewall show rule',
    );
  if (applying.allow.length > 0)
    return combine(
      [
        {
          status: 'ok',
          text: `${named}, and the inbound rule "${applying.allow[0]!.name}" admits UDP ${port} for this program.`,
        },
      ],
      unknown,
      'Get-NetConnectionProfile, netsh advfirewall firewall show rule',
    );
  return combine(
    [
      {
        status: 'problem',
        text: `${named}, and no enabled inbound rule admits UDP ${port} for this program.`,
        fix: advice?.message ?? 'Add an inbound rule as administrator.',
        ...(advice ? { command: advice.command } : {}),
      },
    ],
    unknown,
    'Get-NetConnectionProfile, netsh advfirewall firewall show rule',
  );
}

export function checkFirewall(input: FirewallInput, exec: Exec): Promise<PreflightCheck> {
  if (input.platform === 'linux') return linux(input, exec);
  if (input.platform === 'darwin') return mac(input, exec);
  if (input.platform === 'win32') return windows(input, exec);
  return Promise.resolve(combine([], [`firewalls on ${input.platform}`], ''));
}
