// What the firewall notice asks of the server. Components reach these through renderer/actions.ts.
import type { FirewallNotice } from '../shared/firewall';
import type { RendererBridge } from './bridge';
import { useFirewallStore } from './store/firewall-store';

let bridge: RendererBridge | undefined;

/** A new notice (another Start) forgets the previous answer; a cleared one (Stop) keeps nothing. */
export function applyFirewallNotice(notice: FirewallNotice | null): void {
  useFirewallStore.setState((s) =>
    JSON.stringify(s.notice) === JSON.stringify(notice) ? s : { notice, result: null },
  );
}

export function connectFirewall(b: RendererBridge): () => void {
  bridge = b;
  return b.on('firewall', applyFirewallNotice);
}

/** Runs the rule's command elevated (Windows asks the user); the answer lands in the store. */
export async function addFirewallRule(): Promise<void> {
  if (bridge === undefined || useFirewallStore.getState().adding) return;
  useFirewallStore.setState({ adding: true, result: null });
  try {
    const result = await bridge.addFirewallRule();
    useFirewallStore.setState({ adding: false, result, notice: result.notice });
  } catch (error) {
    useFirewallStore.setState({
      adding: false,
      result: {
        outcome: 'failed',
        message: error instanceof Error ? error.message : String(error),
        notice: useFirewallStore.getState().notice,
      },
    });
  }
}

/** Puts away the answer once read. */
export function dismissFirewallResult(): void {
  useFirewallStore.setState({ result: null });
}
