// What the Boot services tab asks of the server; like actions.ts, the only way its components reach
// the bridge. Answers and failures land in the dhcp store as plain messages, never thrown at a view.
import type { DhcpServiceState } from '../shared/dhcp';
import type { RendererBridge } from './bridge';
import { checkDraft, type DhcpDraft } from './lib/dhcp-form';
import { currentDraft, isDirty, useDhcpStore } from './store/dhcp-store';

let bridge: RendererBridge | undefined;

function currentBridge(): RendererBridge {
  if (bridge === undefined) throw new Error('The UI is not connected to a server yet.');
  return bridge;
}

const FIX_FIELDS = 'Fix the marked fields first.';

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Subscribes the dhcp store to the pushes; returns the unsubscribe. */
export function connectDhcp(b: RendererBridge): () => void {
  bridge = b;
  const offState = b.on('dhcp-state', (state) => useDhcpStore.setState({ state }));
  const offLeases = b.on('dhcp-leases', (leases) => useDhcpStore.setState({ leases }));
  return () => {
    offState();
    offLeases();
  };
}

export async function loadDhcp(): Promise<void> {
  try {
    const view = await currentBridge().getDhcp();
    useDhcpStore.setState({ settings: view.settings, state: view.state, leases: view.leases });
  } catch (error) {
    useDhcpStore.setState({ notice: { text: message(error), error: true } });
  }
}

export function editDhcp(patch: Partial<DhcpDraft>): void {
  useDhcpStore.setState((s) => ({ edits: { ...s.edits, ...patch }, serverErrors: [], notice: null }));
}

export function revertDhcp(): void {
  useDhcpStore.setState({ edits: {}, serverErrors: [], notice: null });
}

/** Saves the form; true when saved (or nothing to save). */
export async function saveDhcp(): Promise<boolean> {
  const s = useDhcpStore.getState();
  const draft = currentDraft(s);
  if (draft === null) return false;
  if (!isDirty(s)) return true;
  const checked = checkDraft(draft);
  if (Object.keys(checked.errors).length > 0) {
    useDhcpStore.setState({ notice: { text: FIX_FIELDS, error: true } });
    return false;
  }
  useDhcpStore.setState({ busy: true });
  try {
    const result = await currentBridge().setDhcpSettings(checked.settings);
    if (result.ok) {
      useDhcpStore.setState({
        settings: result.settings,
        edits: {},
        serverErrors: [],
        notice: { text: 'Saved.', error: false },
      });
      return true;
    }
    useDhcpStore.setState({
      serverErrors: result.errors,
      notice: { text: 'The server refused some values; see the marked fields.', error: true },
    });
    return false;
  } catch (error) {
    useDhcpStore.setState({ notice: { text: message(error), error: true } });
    return false;
  } finally {
    useDhcpStore.setState({ busy: false });
  }
}

async function run(call: () => Promise<DhcpServiceState>): Promise<void> {
  useDhcpStore.setState({ busy: true, notice: null });
  try {
    useDhcpStore.setState({ state: await call() });
  } catch (error) {
    useDhcpStore.setState({ notice: { text: message(error), error: true } });
  } finally {
    useDhcpStore.setState({ busy: false });
  }
}

/** Saves what the form holds, then starts; a refusal shows as the service's state. */
export async function startDhcp(): Promise<void> {
  if (!(await saveDhcp())) {
    // say why it was not saved (marked fields, a refusal, a lost connection), and that nothing started
    const said = useDhcpStore.getState().notice?.text ?? 'The settings could not be saved.';
    const text = said === FIX_FIELDS ? 'Not started: fix the marked fields first.' : `Not started. ${said}`;
    useDhcpStore.setState({ notice: { text, error: true } });
    return;
  }
  useDhcpStore.setState({ notice: null });
  await run(() => currentBridge().startDhcp());
}

export async function stopDhcp(): Promise<void> {
  await run(() => currentBridge().stopDhcp());
}
