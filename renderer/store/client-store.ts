// The "Send to device" panel's transfer (kept live by the client-transfer push) and the device
// addresses used lately.
import { create } from 'zustand';
import type { ClientTransferState } from '../../shared/client-contract';

export interface ClientSlice {
  transfer: ClientTransferState;
  recentDevices: readonly string[];
}

export const useClientStore = create<ClientSlice>()(() => ({
  transfer: { state: 'idle' },
  recentDevices: [],
}));
