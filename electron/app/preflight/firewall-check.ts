// The host firewall, per OS: on Linux nftables, ufw and firewalld; on macOS the application
// firewall; on Windows the adapter's network profile and the inbound rules for this program. Each
// reader is pure (its own module); the per-OS modules run the commands and word one result. A
// command that cannot run is named, never guessed around.
import type { PreflightCheck } from '../../../shared/preflight.js';
import type { Exec } from './exec.js';
import { combine, type FirewallInput } from './firewall-finding.js';
import { linux } from './firewall-linux.js';
import { mac } from './firewall-mac.js';
import { windows } from './firewall-windows.js';

export type { FirewallInput } from './firewall-finding.js';

export function checkFirewall(input: FirewallInput, exec: Exec): Promise<PreflightCheck> {
  if (input.platform === 'linux') return linux(input, exec);
  if (input.platform === 'darwin') return mac(input, exec);
  if (input.platform === 'win32') return windows(input, exec);
  return Promise.resolve(combine([], [`firewalls on ${input.platform}`], ''));
}
