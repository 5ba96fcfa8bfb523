// Windows Firewall after Start: the notice the app's probe sent (null: nothing in the way), whether
// the elevated "add the rule" runs now, and what it came to.
import { create } from 'zustand';
import type { AddFirewallRuleResult, FirewallNotice } from '../../shared/firewall';

export interface FirewallSlice {
  notice: FirewallNotice | null;
  adding: boolean;
  result: AddFirewallRuleResult | null;
}

export const initialFirewall: FirewallSlice = { notice: null, adding: false, result: null };

export const useFirewallStore = create<FirewallSlice>()(() => initialFirewall);
