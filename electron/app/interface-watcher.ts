// Polls the interface list (a cable plugged in, a VPN up, DHCP renewed) and reports only changes.
import type { NetInterface } from '../../shared/ipc-contract.js';
import { listInterfaces } from './interfaces.js';
import { realTimer, type Timer } from './timer.js';

export const INTERFACE_POLL_MS = 2000;

export interface InterfaceWatcher {
  current(): NetInterface[];
  onChange(listener: (interfaces: NetInterface[]) => void): () => void;
  dispose(): void;
}

export function createInterfaceWatcher(
  opts: { read?: () => NetInterface[]; timer?: Timer; intervalMs?: number } = {},
): InterfaceWatcher {
  const read = opts.read ?? (() => listInterfaces());
  const timer = opts.timer ?? realTimer;
  const interval = opts.intervalMs ?? INTERFACE_POLL_MS;
  const listeners = new Set<(interfaces: NetInterface[]) => void>();
  let last = read();
  let lastKey = JSON.stringify(last);
  let handle: unknown = null;
  let disposed = false;

  function tick(): void {
    handle = null;
    if (disposed) return;
    try {
      const next = read();
      const key = JSON.stringify(next);
      if (key !== lastKey) {
        last = next;
        lastKey = key;
        for (const l of [...listeners]) l(next);
      }
    } finally {
      if (!disposed) handle = timer.setTimeout(tick, interval);
    }
  }
  handle = timer.setTimeout(tick, interval);

  return {
    current: () => last,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      disposed = true;
      if (handle !== null) timer.clearTimeout(handle);
      handle = null;
      listeners.clear();
    },
  };
}
