// What the "Send to device" panel asks of the server, and the push that keeps its store current.
// Components reach these through renderer/actions.ts, which re-exports them.
import {
  pushRecentDevice,
  type ClientFileChoice,
  type ClientTransferRequest,
} from '../shared/client-contract';
import type { Result } from '../shared/ipc-contract';
import type { RendererBridge } from './bridge';
import { useClientStore } from './store/client-store';

let bridge: RendererBridge | undefined;

function clientBridge(): RendererBridge {
  if (bridge === undefined) throw new Error('The UI is not connected to a server yet.');
  return bridge;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Subscribes the client store to the bridge's pushes; `onSaved` hears of a file a get wrote. */
export function connectClient(b: RendererBridge, onSaved: () => void): () => void {
  bridge = b;
  return b.on('client-transfer', (transfer) => {
    useClientStore.setState({ transfer });
    if (transfer.state === 'done' && transfer.request.direction === 'get') onSaved();
  });
}

export async function loadClientState(): Promise<void> {
  try {
    const { transfer, recentDevices } = await clientBridge().getClientState();
    useClientStore.setState({ transfer, recentDevices });
  } catch (error) {
    console.warn('client state failed:', messageOf(error));
  }
}

/** Starts a put or get: null once running, else why not. */
export async function startClientTransfer(request: ClientTransferRequest): Promise<string | null> {
  try {
    const result: Result<unknown> = await clientBridge().startClientTransfer(request);
    if (!result.ok) return result.message;
    useClientStore.setState((s) => ({
      recentDevices: pushRecentDevice(s.recentDevices, request.device.trim()),
    }));
    return null;
  } catch (error) {
    return messageOf(error);
  }
}

/** The desktop's file dialog for a put or a get: the chosen path, or null when cancelled. */
export async function chooseClientFile(choice: ClientFileChoice): Promise<Result<string | null>> {
  try {
    return { ok: true, value: await clientBridge().chooseClientFile(choice) };
  } catch (error) {
    return { ok: false, message: messageOf(error) };
  }
}

export async function cancelClientTransfer(): Promise<void> {
  try {
    useClientStore.setState({ transfer: await clientBridge().cancelClientTransfer() });
  } catch (error) {
    console.warn('cancel failed:', messageOf(error));
  }
}
