// The server's state (stopped / listening / error), what this host can do, and whether the
// renderer is connected to it (the browser bridge can lose its WebSocket).
import { create } from 'zustand';
import type { ServerState } from '../../shared/events';
import type { Capabilities } from '../../shared/ipc-contract';

export { applyServerEvents } from '../../shared/event-fold';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

export interface ServerSlice {
  server: ServerState;
  capabilities: Capabilities;
  connection: ConnectionState;
  /** false until the first snapshot arrived */
  ready: boolean;
}

export const initialServerSlice: ServerSlice = {
  server: { state: 'stopped' },
  capabilities: { nativeDialogs: false, platform: 'unknown' },
  connection: 'connecting',
  ready: false,
};

export function isRunning(server: ServerState): boolean {
  return server.state === 'listening' || server.state === 'starting';
}

export const useServerStore = create<ServerSlice>()(() => initialServerSlice);
