// What the pre-flight panel asks of the server. Components reach these through renderer/actions.ts.
import type { RendererBridge } from './bridge';
import { requestFromForm } from './lib/preflight';
import { usePreflightStore } from './store/preflight-store';

let bridge: RendererBridge | undefined;

export function connectPreflight(b: RendererBridge): void {
  bridge = b;
}

export function openPreflight(): void {
  usePreflightStore.setState({ open: true });
}

export function closePreflight(): void {
  usePreflightStore.setState({ open: false });
}

/** Runs the check with the panel's form; the report (or why it did not run) lands in the store. */
export async function runPreflight(): Promise<void> {
  const read = requestFromForm(usePreflightStore.getState().form);
  if (!read.ok) {
    usePreflightStore.setState({ error: read.error });
    return;
  }
  if (bridge === undefined) {
    usePreflightStore.setState({ error: 'The UI is not connected to a server yet.' });
    return;
  }
  usePreflightStore.setState({ running: true, error: null, open: true });
  try {
    usePreflightStore.setState({ report: await bridge.runPreflight(read.request), running: false });
  } catch (error) {
    usePreflightStore.setState({
      running: false,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
