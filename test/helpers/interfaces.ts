// Network interface fixtures for the renderer's interface and address logic.
import type { NetInterface } from '../../shared/ipc-contract';

/** The loopback interface as every machine reports it. */
export const LOOPBACK: NetInterface = {
  name: 'lo',
  internal: true,
  up: true,
  isDefault: false,
  addresses: [
    { address: '127.0.0.1', family: 'IPv4', prefix: 8 },
    { address: '::1', family: 'IPv6', prefix: 128 },
  ],
};
