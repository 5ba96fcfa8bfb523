// The server's state (stopped / listening / error), what this host can do, and whether the
// renderer is connected to it (the browser bridge can lose its WebSocket).
import { create } from 'zustand';
import type { EngineEvent, ServerState } from '../../shared/events';
import type { Capabilities } from '../../shared/ipc-contract';

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

/** The last `server` event of a batch wins; the others were already superseded. */
export function applyServerEvents(state: ServerState, events: readonly EngineEvent[]): ServerState {
  let next = state;
  for (const event of events) if (event.type === 'server') next = event.server;
  return next;
}

export function isRunning(server: ServerState): boolean {
  return server.state === 'listening' || server.state === 'starting';
}

export const useServerStore = create<ServerSlice>()(() => initialServerSlice);
