// A download thread (worker_threads): runs read transfers handed over by the server, each on its
// own socket, with its own timers. One event loop serves only so many packets a second (node:dgram
// costs ~15 us per datagram); with many clients at once, a second thread on a second core carries
// more (how much, and how to measure it: README.md, Threads). Admission, policy and uploads stay
// with the server; events come back to it.
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parentPort, type MessagePort } from 'node:worker_threads';
import type { EngineEvent, LogLevel } from '../../shared/events.js';
import { SessionTicker } from './session-ticker.js';
import type { DigestPlan, FileIdentity } from './file-digests.js';
import type { FromThread, ToThread } from './thread-messages.js';
import { ReadTransfer } from './transfer-read.js';
import { logEvent, type Session, type TransferHost } from './transfer.js';
import { openTransferSocket } from './transfer-socket.js';

/** Nice value of a download thread (0 is the process default, 19 the lowest priority). */
const THREAD_NICE = 10;

function serve(port: MessagePort): void {
  const transfers = new Map<string, ReadTransfer>();
  /** downloads whose file digest the server sends once it has it (see file-digests.ts) */
  const digests = new Map<string, (sha256: string | undefined) => void>();
  const post = (m: FromThread) => port.postMessage(m);
  const ticker = new SessionTicker(
    () => transfers.values(),
    () => performance.now(),
  );
  const host: TransferHost = {
    now: () => performance.now(),
    emit: (event: EngineEvent) => post({ kind: 'event', event }),
    log: (level: LogLevel, message: string, peer?: string, sessionId?: string) =>
      post({ kind: 'event', event: logEvent(level, message, peer, sessionId) }),
    ended: (t: Session) => {
      transfers.delete(t.id);
      digests.delete(t.id);
      if (transfers.size === 0) ticker.stop();
      post({ kind: 'ended', id: t.id });
    },
    uploadSaved: () => undefined,
    clientStartedOver: (t: Session) => post({ kind: 'started-over', id: t.id }),
  };

  async function start(m: Extract<ToThread, { kind: 'start' }>, digest?: DigestPlan): Promise<void> {
    let socket;
    try {
      socket = await openTransferSocket(m.local, m.portRange, m.cfg.windowsize > 1);
    } catch (err) {
      await m.handle.close().catch(() => undefined);
      digests.delete(m.id);
      post({ kind: 'no-port', id: m.id, code: (err as NodeJS.ErrnoException).code ?? 'error' });
      return;
    }
    const transfer = new ReadTransfer(host, socket, m.peer, m.id, m.handle, m.cfg, digest);
    transfers.set(m.id, transfer);
    // Before begin(): the server announces the session before any of its events arrive.
    post({ kind: 'started', id: m.id });
    ticker.start();
    transfer.guard(() => transfer.begin());
  }

  // Registered as the start message arrives, before anything is awaited: the digest message may
  // come while the transfer's socket is still being bound.
  function awaitDigest(id: string, identity: FileIdentity): DigestPlan {
    return { identity, result: new Promise((resolve) => digests.set(id, resolve)) };
  }

  port.on('message', (m: ToThread) => {
    if (m.kind === 'start') void start(m, m.identity && awaitDigest(m.id, m.identity));
    else if (m.kind === 'digest') {
      digests.get(m.id)?.(m.sha256 ?? undefined);
      digests.delete(m.id);
    } else if (m.kind === 'repeat') transfers.get(m.id)?.requestRepeated(m.request, m.identical);
    else void transfers.get(m.id)?.abort();
  });
  post({ kind: 'ready' });
}

/**
 * Transfers yield to the app's window when the machine is busy: on Linux a thread has its own nice
 * value, set through its thread id (elsewhere the call fails harmlessly and the thread keeps the
 * process priority). A hundred clients then cannot make the UI stutter; an idle machine still gives
 * the transfers every cycle they want.
 */
function lowerThreadPriority(): void {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    if (Number.isInteger(tid) && tid > 0) setPriority(tid, THREAD_NICE);
  } catch {
    // not Linux, or not allowed: keep the process priority
  }
}

if (parentPort) {
  const port = parentPort;
  lowerThreadPriority();
  // Last resort, as the CLI has on the main thread: a bug outside any session's guard is logged
  // and the thread keeps serving its other downloads.
  const report = (err: unknown) =>
    port.postMessage({
      kind: 'event',
      event: logEvent(
        'error',
        `internal error in a download thread: ${(err as Error)?.message ?? String(err)}`,
      ),
    } satisfies FromThread);
  process.on('uncaughtException', report);
  process.on('unhandledRejection', report);
  serve(port);
}
