// The real engine on a loopback address and a free port, with its event stream recorded so a
// test can ask "how did the session for this file end?" and compare stats with the bytes it saw.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type {
  EngineEvent,
  SessionFailedEvent,
  SessionFinishedEvent,
  SessionStartedEvent,
} from '../../shared/events.js';
import { ENGINE_DEFAULTS, type EngineSettings } from '../../shared/settings.js';
import type { TftpEngine } from '../../electron/tftp/engine.js';
import { createTftpEngine, type EngineOptions } from '../../electron/tftp/server.js';
import { freeUdpPort, type LoopbackHost } from './ports.js';

export type ServerOptions = Partial<Omit<EngineSettings, 'root' | 'hosts' | 'port'>> & {
  root: string;
  host?: LoopbackHost;
  /** download threads and their script (default: one thread, running the built script) */
  engine?: EngineOptions;
};

export interface SessionOutcome {
  started: SessionStartedEvent;
  end: SessionFinishedEvent | SessionFailedEvent;
}

export interface TestServer {
  readonly engine: TftpEngine;
  readonly host: LoopbackHost;
  readonly port: number;
  readonly root: string;
  /** every event since start (or since the last clearEvents) */
  readonly events: EngineEvent[];
  /** resolves with the first recorded or future event that matches; rejects after timeoutMs */
  waitFor<E extends EngineEvent>(match: (e: EngineEvent) => e is E, timeoutMs?: number): Promise<E>;
  /** the latest session started for `file`, once it has finished or failed */
  outcome(file: string, timeoutMs?: number): Promise<SessionOutcome>;
  clearEvents(): void;
  /** the recorded events as text, progress left out: for assertion messages when a client fails */
  story(): string;
  stop(): Promise<void>;
}

const running = new Set<TestServer>();
/**
 * The built download-thread script (npm test builds first): the engine under test is the .ts
 * source, which has no thread script beside it, and downloads should run where they do in the app.
 */
export const BUILT_THREAD_SCRIPT = new URL(
  '../../dist-electron/electron/tftp/download-thread.bundle.mjs',
  import.meta.url,
);
const threadOptions = existsSync(fileURLToPath(BUILT_THREAD_SCRIPT))
  ? { threadScript: BUILT_THREAD_SCRIPT }
  : { downloadThreads: 0 };
const BIND_ATTEMPTS = 5;

export async function startServer(options: ServerOptions): Promise<TestServer> {
  const { host = '127.0.0.1', root, engine: engineOptions, ...rest } = options;
  for (let attempt = 1; ; attempt++) {
    const port = await freeUdpPort(host);
    const engine = createTftpEngine(
      { ...ENGINE_DEFAULTS, ...rest, root, hosts: [host], port },
      engineOptions ?? { downloadThreads: 1, ...threadOptions },
    );
    const events: EngineEvent[] = [];
    engine.onEvent((e) => events.push(e));
    const state = await engine.start();
    if (state.state === 'listening') return track(engine, host, port, root, events);
    await engine.stop();
    // Someone took the port between our probe and the bind: try another one.
    if (state.state === 'error' && state.code === 'EADDRINUSE' && attempt < BIND_ATTEMPTS) continue;
    throw new Error(`the engine did not start: ${JSON.stringify(state)}`);
  }
}

/** Stops every server a test left running (for afterAll, after a failed test). */
export async function stopServers(): Promise<void> {
  await Promise.all([...running].map((s) => s.stop()));
}

function track(engine: TftpEngine, host: LoopbackHost, port: number, root: string, events: EngineEvent[]) {
  const server: TestServer = {
    engine,
    host,
    port,
    root,
    events,
    waitFor: (match, timeoutMs = 10_000) => waitForEvent(engine, events, match, timeoutMs),
    async outcome(file, timeoutMs = 10_000) {
      const started = [...events]
        .reverse()
        .find((e): e is SessionStartedEvent => e.type === 'session-started' && e.file === file);
      const start = started ?? (await server.waitFor(isStartedFor(file), timeoutMs));
      const end = await server.waitFor(
        (e): e is SessionFinishedEvent | SessionFailedEvent =>
          (e.type === 'session-finished' || e.type === 'session-failed') && e.id === start.id,
        timeoutMs,
      );
      return { started: start, end };
    },
    clearEvents: () => void events.splice(0),
    story: () =>
      events
        .filter((e) => e.type !== 'session-progress')
        .slice(-40)
        .map((e) => JSON.stringify(e))
        .join('\n'),
    async stop() {
      running.delete(server);
      await engine.stop();
    },
  };
  running.add(server);
  return server;
}

const isStartedFor =
  (file: string) =>
  (e: EngineEvent): e is SessionStartedEvent =>
    e.type === 'session-started' && e.file === file;

function waitForEvent<E extends EngineEvent>(
  engine: TftpEngine,
  events: readonly EngineEvent[],
  match: (e: EngineEvent) => e is E,
  timeoutMs: number,
): Promise<E> {
  const seen = events.find(match);
  if (seen) return Promise.resolve(seen);
  return new Promise<E>((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no matching engine event within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = engine.onEvent((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}
