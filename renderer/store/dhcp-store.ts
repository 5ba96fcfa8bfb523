// The boot services as the Boot services tab draws them: saved settings, the service's state and
// lease table (kept live by the dhcp-state and dhcp-leases pushes), and the form's unsaved edits,
// kept here so switching tabs does not lose them.
import { create } from 'zustand';
import type { DhcpLeaseView, DhcpServiceState, DhcpSettings } from '../../shared/dhcp';
import { draftFromDhcp, type DhcpDraft } from '../lib/dhcp-form';

export interface DhcpSlice {
  /** null until the first getDhcp answered */
  settings: DhcpSettings | null;
  state: DhcpServiceState;
  leases: readonly DhcpLeaseView[];
  edits: Partial<DhcpDraft>;
  /** the server's verdict on the last save, until the next edit */
  serverErrors: readonly string[];
  /** what the last save, start or stop said */
  notice: { text: string; error: boolean } | null;
  busy: boolean;
}

export const useDhcpStore = create<DhcpSlice>()(() => ({
  settings: null,
  state: { status: 'stopped', mode: 'off' },
  leases: [],
  edits: {},
  serverErrors: [],
  notice: null,
  busy: false,
}));

export function currentDraft(s: Pick<DhcpSlice, 'settings' | 'edits'>): DhcpDraft | null {
  return s.settings === null ? null : { ...draftFromDhcp(s.settings), ...s.edits };
}

/** True when the form holds something not saved yet. */
export function isDirty(s: Pick<DhcpSlice, 'settings' | 'edits'>): boolean {
  const draft = currentDraft(s);
  return s.settings !== null && JSON.stringify(draft) !== JSON.stringify(draftFromDhcp(s.settings));
}

export function isActive(state: DhcpServiceState): boolean {
  return state.status === 'running' || state.status === 'checking';
}
