// What the UI hears about Windows Firewall after Start, and the answer to "add the rule for me".
// The probe and the elevated command run in the app layer (electron/app/firewall-*.ts); this is
// only their vocabulary.

export interface FirewallNotice {
  port: number;
  /** the profile that blocks: the adapter's, or Public assumed when Windows lists none */
  profile: 'domain' | 'private' | 'public';
  /** the adapter it is about ("Ethernet 2"), when known */
  adapter?: string;
  /** plain words: what stops devices and what to do */
  message: string;
  /**
   * the exact `netsh advfirewall` command that adds the rule (run elevated); absent when adding
   * an allow rule would not help (a block rule for this program wins over any allow)
   */
  command?: string;
  /** the command that removes that rule again */
  undo?: string;
}

/**
 * added: netsh ran elevated and succeeded. declined: the user said no at the administrator prompt.
 * failed: it could not run or netsh refused (message says why). unsupported: not on Windows.
 */
export type FirewallRuleOutcome = 'added' | 'declined' | 'failed' | 'unsupported';

export interface AddFirewallRuleResult {
  outcome: FirewallRuleOutcome;
  message: string;
  /** the command that was (or would have been) run */
  command?: string;
  /** the firewall notice after the check ran again (null: nothing stops devices now) */
  notice: FirewallNotice | null;
}
