// What every transfer driver shares: the peer's TID check (RFC 1350 section 4), sending through
// the transfer's own socket, progress reporting and the end-of-transfer record.
import type { Socket, RemoteInfo } from 'node:dgram';
import {
  failedSessionEvent,
  type EngineEvent,
  type LogLevel,
  type TransferStats,
} from '../../shared/events.js';
import { TftpErrorCode, type Direction } from '../../shared/tftp-types.js';
import { cleanErrorMessage, encodeError } from './packet.js';

export interface TransferHost {
  now(): number;
  emit(event: EngineEvent): void;
  log(level: LogLevel, message: string, peer?: string, sessionId?: string): void;
  /** the transfer is over: forget it (socket already closed) */
  ended(transfer: Session): void;
  /** an upload is in place: its name may be uploaded again while the session dallies */
  uploadSaved(transfer: Session): void;
  /** a new request came from the transfer's client port, and the transfer ends for it (next) */
  clientStartedOver(transfer: Session): void;
}

/**
 * What the server holds of a live session, whether it runs on this thread (a Transfer, whose
 * timers its thread's SessionTicker drives) or on a download thread (a stand-in).
 */
export interface Session {
  readonly peer: Peer;
  readonly id: string;
  /** server stop: tell the peer, undo what is half done; resolves when cleaned up */
  abort(): Promise<void>;
  /**
   * a request came from the session's client port: a repeat (`identical` to the first, our answer
   * lost) or a new process there
   */
  requestRepeated(kind: 'rrq' | 'wrq', identical: boolean): void;
}

/** A log event, with the optional fields left out rather than undefined. */
export function logEvent(level: LogLevel, message: string, peer?: string, sessionId?: string): EngineEvent {
  const e: EngineEvent = { type: 'log', time: Date.now(), level, message };
  if (peer !== undefined) e.peer = peer;
  if (sessionId !== undefined) e.sessionId = sessionId;
  return e;
}

export interface Peer {
  address: string;
  port: number;
  family: 'IPv4' | 'IPv6';
}

export const peerLabel = (p: Peer): string =>
  p.family === 'IPv6' ? `[${p.address}]:${p.port}` : `${p.address}:${p.port}`;

const UNKNOWN_TID = encodeError(TftpErrorCode.UnknownTransferId, 'Unknown transfer ID');

export abstract class Transfer implements Session {
  readonly startedAt: number;
  private lastProgressBytes = -1;
  private lastProgressAt: number;
  protected over = false;

  constructor(
    protected readonly host: TransferHost,
    protected readonly socket: Socket,
    readonly peer: Peer,
    readonly id: string,
    readonly direction: Direction,
  ) {
    this.startedAt = host.now();
    this.lastProgressAt = this.startedAt;
    socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
      if (rinfo.port !== peer.port || rinfo.address !== peer.address) {
        this.strangerPacket(msg, rinfo);
        return;
      }
      // guard() inlined: this runs for every packet, and a closure per packet is garbage.
      try {
        this.onPacket(msg);
      } catch (err) {
        this.internalError(err);
      }
    });
    // Without a listener an error event would take the whole process down (F14).
    socket.on('error', (err: NodeJS.ErrnoException) => this.onSocketError(err));
  }

  abstract get bytes(): number;
  abstract get retransmits(): number;
  protected abstract onPacket(msg: Buffer): void;
  abstract tick(now: number): void;
  abstract requestRepeated(kind: 'rrq' | 'wrq', identical: boolean): void;
  /** Server stop: tell the peer, undo what is half done. Resolves when cleaned up. */
  abstract abort(): Promise<void>;

  protected send(buf: Buffer): void {
    this.socket.send(buf, this.peer.port, this.peer.address);
  }

  private strangerPacket(msg: Buffer, rinfo: RemoteInfo): void {
    // Never answer an ERROR (E8: no ERROR ping-pong between servers).
    if (msg.length >= 2 && msg[0] === 0 && msg[1] === 5) return;
    this.socket.send(UNKNOWN_TID, 0, UNKNOWN_TID.length, rinfo.port, rinfo.address);
    this.host.log(
      'warn',
      'packet from an unknown transfer ID answered with ERROR 5',
      `${rinfo.address}:${rinfo.port}`,
      this.id,
    );
  }

  /**
   * Runs a piece of session logic; should it throw (a bug), only this transfer ends, with
   * ERROR 0, and the server keeps serving everyone else.
   */
  guard(work: () => void): void {
    try {
      work();
    } catch (err) {
      this.internalError(err);
    }
  }

  private internalError(err: unknown): void {
    this.host.log(
      'error',
      `internal error in this transfer: ${(err as Error).message}`,
      peerLabel(this.peer),
      this.id,
    );
    this.internalFailure();
  }

  protected abstract internalFailure(): void;

  private onSocketError(err: NodeJS.ErrnoException): void {
    // Send failures are packet loss to us (the retransmit timer deals with them); only a socket
    // that no longer works ends the transfer.
    if (err.code === 'ECONNREFUSED' || err.code === 'EBADF' || err.code === 'ERR_SOCKET_DGRAM_NOT_RUNNING') {
      this.socketFailed(err.code);
    } else {
      this.host.log('debug', `socket error ${err.code ?? 'unknown'}`, peerLabel(this.peer), this.id);
    }
  }

  protected abstract socketFailed(code: string): void;

  /** Emits a progress event when bytes moved since the last one (called ~10 times a second). */
  reportProgress(now: number): void {
    const bytes = this.bytes;
    if (bytes === this.lastProgressBytes || this.over) return;
    const elapsed = Math.max(1, now - this.lastProgressAt);
    const rate = this.lastProgressBytes < 0 ? 0 : ((bytes - this.lastProgressBytes) * 1000) / elapsed;
    this.lastProgressBytes = bytes;
    this.lastProgressAt = now;
    this.host.emit({
      type: 'session-progress',
      time: Date.now(),
      id: this.id,
      bytes,
      rate,
      retransmits: this.retransmits,
    });
  }

  protected closeSocket(): void {
    try {
      this.socket.close();
    } catch {
      // already closed
    }
  }

  /**
   * The end record. `endedAt`: when the last block was acknowledged, if the record comes later (a
   * download waiting for its file's digest); `fileChanged`: see TransferStats.
   */
  protected finish(sha256: string, endedAt = this.host.now(), fileChanged = false): void {
    if (this.over) return;
    this.over = true;
    const durationMs = Math.max(0, endedAt - this.startedAt);
    const stats: TransferStats = {
      bytes: this.bytes,
      durationMs,
      averageRate: durationMs > 0 ? (this.bytes * 1000) / durationMs : this.bytes,
      retransmits: this.retransmits,
      sha256,
    };
    if (fileChanged) stats.fileChanged = true;
    this.host.emit({ type: 'session-finished', time: Date.now(), id: this.id, stats });
    const changed = fileChanged ? ', but the file changed during the transfer (no hash)' : '';
    this.host.log(
      fileChanged ? 'warn' : 'info',
      `${this.direction} finished: ${stats.bytes} bytes in ${(durationMs / 1000).toFixed(2)} s${changed}`,
      peerLabel(this.peer),
      this.id,
    );
  }

  protected fail(code: TftpErrorCode, rawMessage: string, by: 'server' | 'client' | 'timeout'): void {
    if (this.over) return;
    this.over = true;
    // A client's message is untrusted text: printable ASCII, 128 bytes at most (D11).
    const message = by === 'client' ? cleanErrorMessage(rawMessage) || '(no message)' : rawMessage;
    if (by === 'server') {
      const err = encodeError(code, message);
      this.send(err);
    }
    this.host.emit(
      failedSessionEvent({
        time: Date.now(),
        id: this.id,
        code,
        message,
        by,
        bytes: this.bytes,
        durationMs: this.host.now() - this.startedAt,
      }),
    );
    const who = by === 'client' ? 'ended by the client' : by === 'timeout' ? 'timed out' : 'failed';
    this.host.log(
      'warn',
      `${this.direction} ${who}: ${message} (code ${code})`,
      peerLabel(this.peer),
      this.id,
    );
  }
}
