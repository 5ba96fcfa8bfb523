// The "Send to device" panel's transfer (kept live by the client-transfer push), the device
// addresses used lately, and the form as typed, kept here so a look at the Transfers tab while a
// transfer runs does not lose it.
import { create } from 'zustand';
import type { ClientTransferState } from '../../shared/client-contract';
import { INITIAL_SEND_DRAFT, type SendDraft } from '../lib/send-form';

export interface ClientSlice {
  transfer: ClientTransferState;
  recentDevices: readonly string[];
  draft: SendDraft;
}

export const useClientStore = create<ClientSlice>()(() => ({
  transfer: { state: 'idle' },
  recentDevices: [],
  draft: INITIAL_SEND_DRAFT,
}));
