// Linux: nftables (which ufw and firewalld also drive), ufw and firewalld. When ufw or firewalld
// runs, its own words are clearer than the nft chains it made, so nft's uncertain findings are then
// left out and only its certain drops are reported.
import type { PreflightCheck } from '../../../shared/preflight.js';
import type { Exec } from './exec.js';
import { parseFirewalldZones, zoneAdmits, zoneForInterface } from './firewalld-parse.js';
import { brief, combine, type Finding, type FirewallInput } from './firewall-finding.js';
import { judgeNftRuleset, nftBlockers } from './nft-parse.js';
import { parseUfwStatus, ufwDecidingRule } from './ufw-parse.js';

export async function linux(input: FirewallInput, exec: Exec): Promise<PreflightCheck> {
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
