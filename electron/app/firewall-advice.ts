// Windows Defender Firewall is the first thing that stops a device on Windows: Start succeeds, the
// server listens, and requests on a network marked Public never arrive. This words the advice and
// the exact `netsh advfirewall` command; it calls nothing (finding the adapter's profile and the
// rules, and running the command elevated, belong to the desktop shell).
//
// One inbound rule for the listening port is enough: each transfer's replies come from a new port,
// but the server speaks first from it, so the firewall's state admits the device's answers.

export type NetworkProfile = 'domain' | 'private' | 'public';

export interface FirewallRule {
  /** the app's executable, e.g. C:\Users\me\AppData\Local\Programs\tftp-desk\tftp-desk.exe */
  program: string;
  port: number;
  /** the network profiles the rule admits on */
  profiles: readonly NetworkProfile[];
}

export interface FirewallSituation {
  program: string;
  port: number;
  /** the profile Windows gave the adapter the server listens on */
  adapterProfile: NetworkProfile;
  /** whether an enabled inbound rule already admits UDP on this port for this program and profile */
  ruleAllows: boolean;
}

export interface FirewallAdvice {
  message: string;
  /** run once from an elevated prompt (the app may offer to run it, asking for elevation) */
  command: string;
  /** undoes the command (what an uninstaller or the user runs to remove the rule) */
  undo: string;
}

const PROFILE_ORDER: readonly NetworkProfile[] = ['domain', 'private', 'public'];
const PROFILE_NAMES: Record<NetworkProfile, string> = {
  domain: 'Domain',
  private: 'Private',
  public: 'Public',
};

export function firewallRuleName(port: number): string {
  return `TFTP Desk (UDP ${port})`;
}

/** Windows paths cannot hold a double quote; a path that does is not one to put in a command. */
function quoted(text: string): string {
  if (text.includes('"')) throw new Error(`not a Windows path: ${text}`);
  return `"${text}"`;
}

export function addRuleCommand(rule: FirewallRule): string {
  if (!Number.isInteger(rule.port) || rule.port < 1 || rule.port > 65535) {
    throw new Error(`not a UDP port: ${rule.port}`);
  }
  const profiles = PROFILE_ORDER.filter((p) => rule.profiles.includes(p));
  if (profiles.length === 0) throw new Error('a rule needs at least one network profile');
  return [
    'netsh advfirewall firewall add rule',
    `name=${quoted(firewallRuleName(rule.port))}`,
    'dir=in action=allow protocol=UDP',
    `localport=${rule.port}`,
    `program=${quoted(rule.program)}`,
    `profile=${profiles.join(',')}`,
    'enable=yes',
  ].join(' ');
}

export function deleteRuleCommand(port: number): string {
  return `netsh advfirewall firewall delete rule name=${quoted(firewallRuleName(port))}`;
}

/**
 * What to tell the user once the server is listening on Windows, or null when the firewall lets
 * requests in. Public networks get the plainest warning: Windows blocks them by default, and a
 * console cable lab or a fresh switch's link often comes up as Public.
 */
export function firewallAdvice(situation: FirewallSituation): FirewallAdvice | null {
  if (situation.ruleAllows) return null;
  const { adapterProfile: profile, port } = situation;
  const command = addRuleCommand({ program: situation.program, port, profiles: [profile] });
  const undo = deleteRuleCommand(port);
  const name = PROFILE_NAMES[profile];
  const message =
    profile === 'public'
      ? `The server is running, but Windows Firewall drops requests on this network: Windows marks it Public and no rule lets TFTP Desk receive UDP port ${port} there. Mark the network Private (Settings, Network & internet, the adapter, Private network), or add a rule once as administrator.`
      : `The server is running, but no Windows Firewall rule lets TFTP Desk receive UDP port ${port} on this ${name} network, so devices may get no answer. Add a rule once as administrator.`;
  return { message, command, undo };
}
