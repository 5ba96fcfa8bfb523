// The engine's public face: what the CLI, the Electron main process, the browser UI host, the
// tests and the benchmarks use. Everything else in electron/tftp/ is an implementation detail.
import type { EngineEvent, ServerState } from '../../shared/events.js';
import type { EngineSettings } from '../../shared/settings.js';

export type EngineListener = (event: EngineEvent) => void;

export interface TftpEngine {
  /** Current state (also emitted as `server` events). */
  readonly state: ServerState;
  /**
   * Opens the listening sockets. Resolves with `listening` or `error` state (never rejects):
   * EADDRINUSE, EACCES and a missing root come back as an error state with a message and a hint.
   */
  start(): Promise<ServerState>;
  /**
   * Aborts every transfer (ERROR 0 "server shutting down" to each peer), removes upload temp
   * files, closes every socket. Resolves once the ports are released.
   */
  stop(): Promise<void>;
  /** New settings apply to new sessions; a changed port or host list needs stop() + start(). */
  updateSettings(settings: EngineSettings): void;
  readonly settings: EngineSettings;
  /** Subscribes to the event stream; returns the unsubscribe function. */
  onEvent(listener: EngineListener): () => void;
  /** Number of live sessions (for the tray icon and tests). */
  readonly activeSessions: number;
}
