// Windows: the network profile of the adapter the device is on, whether the firewall is on for
// it, and whether an enabled inbound rule admits (or blocks) this program on the port. Reading the
// three commands (readWindowsFirewall) is kept apart from judging them, so the pre-flight check
// and the notice after Start (../firewall-notice.ts) judge the same reading.
import type { PreflightCheck } from '../../../shared/preflight.js';
import { firewallAdvice, type NetworkProfile } from '../firewall-advice.js';
import { whyNot, type Exec } from './exec.js';
import { combine, type FirewallInput } from './firewall-finding.js';
import {
  parseConnectionProfiles,
  parseNetshRules,
  parseProfileStates,
  rulesFor,
  type AdapterProfile,
  type WindowsRule,
} from './windows-firewall-parse.js';

export interface WindowsFirewallReading {
  /** the adapters Windows lists with a network profile */
  profiles: AdapterProfile[];
  /** why the profiles could not be read, when they could not */
  profilesWhyNot?: string;
  /** firewall on/off per profile (a profile missing here could not be read) */
  states: Partial<Record<NetworkProfile, boolean>>;
  /** the inbound rules, or why they could not be read */
  rules: WindowsRule[] | { whyNot: string };
}

export async function readWindowsFirewall(exec: Exec): Promise<WindowsFirewallReading> {
  const p = await exec('powershell.exe', [
    '-NoProfile',
    '-NonInteractive',
    '-Command',
    'Get-NetConnectionProfile | Format-List Name,InterfaceAlias,NetworkCategory',
  ]);
  const s = await exec('netsh', ['advfirewall', 'show', 'allprofiles', 'state']);
  const r = await exec('netsh', ['advfirewall', 'firewall', 'show', 'rule', 'name=all', 'dir=in', 'verbose']);
  const why = whyNot(p);
  return {
    profiles: p.kind === 'ran' ? parseConnectionProfiles(p.stdout) : [],
    ...(why !== undefined ? { profilesWhyNot: why } : {}),
    states: s.kind === 'ran' ? parseProfileStates(s.stdout) : {},
    rules: r.kind === 'ran' ? parseNetshRules(r.stdout) : { whyNot: whyNot(r) ?? 'no output' },
  };
}

export async function windows(input: FirewallInput, exec: Exec): Promise<PreflightCheck> {
  return judgeWindows(input, await readWindowsFirewall(exec));
}

export function judgeWindows(input: FirewallInput, reading: WindowsFirewallReading): PreflightCheck {
  const { port, program } = input;
  const unknown: string[] = [];
  const { profiles } = reading;
  const adapter =
    profiles.find((a) => a.alias === input.interfaceName) ??
    (input.interfaceName === undefined ? profiles[0] : undefined);
  if (!adapter)
    unknown.push(
      `the network profile of ${input.interfaceName ?? 'the adapter'} (${reading.profilesWhyNot ?? 'Windows lists no profile for it: an adapter without a network, such as a bare cable to a device, often has none until it has an address'})`,
    );
  const profile = adapter?.category ?? 'public';
  if (reading.states[profile] === false)
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
  if (!Array.isArray(reading.rules))
    return combine([], [...unknown, `the inbound rules (${reading.rules.whyNot})`], 'netsh advfirewall');
  const applying = rulesFor(reading.rules, program, port, profile);
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
