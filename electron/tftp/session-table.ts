// Who the server is serving: one entry per client port (a reservation while its request is being
// admitted, then the live session), the request that made it, how many sessions each address
// holds, which upload names are taken, and the request that came from a live session's port while
// it ran (served once that session ends for it: the client started over).
import type { RemoteInfo, Socket } from 'node:dgram';
import type { LocalAddress } from './local-addresses.js';
import { ReadTransfer } from './transfer-read.js';
import { Transfer, type Peer, type Session } from './transfer.js';

/** A request that arrived from the port of a live session. */
export interface HeldRequest {
  msg: Buffer;
  rinfo: RemoteInfo;
  local: LocalAddress;
  listener: Socket;
  /** Date.now() when it arrived */
  at: number;
  /** the session ends for it: serve it then */
  serve: boolean;
}

/** A held request is served only if its session ends this soon after it (it ended because of it). */
const HELD_REQUEST_MS = 1000;

/** Why a new request gets no session: too many in all, or from its address. */
export type Crowding = 'server busy' | 'client busy';

export const peerKey = (p: { address: string; port: number }): string => `${p.address}|${p.port}`;

export class SessionTable {
  /** by peer key: a reservation while the request is being admitted, then the session */
  private readonly sessions = new Map<string, Session | 'pending'>();
  /** by peer key: the request that made the live session (or its reservation) */
  private readonly firstRequests = new Map<string, Buffer>();
  /** by peer key: the last request that came from a live session's port */
  private readonly held = new Map<string, HeldRequest>();
  private readonly perClient = new Map<string, number>();
  private readonly uploadLocks = new Map<Session, string>();
  /** upload targets being written now (admission reserves a name here before its first await) */
  readonly uploadsInFlight = new Set<string>();

  get activeSessions(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s !== 'pending') n++;
    return n;
  }

  /**
   * A request from the port of a live session (or of one being admitted): never a second session
   * beside it. Returns false when the port is free. A client that has not heard from us repeats
   * its request byte for byte (our answer was lost): the session answers it again. When the old
   * client is gone instead, the session ends quietly (clientStartedOver) and the request held here
   * is served once it has (ended).
   */
  repeatedRequest(held: HeldRequest, kind: 'rrq' | 'wrq'): boolean {
    const key = peerKey(held.rinfo);
    const live = this.sessions.get(key);
    if (live === undefined) return false;
    if (live !== 'pending') {
      this.held.set(key, held);
      live.requestRepeated(kind, this.firstRequests.get(key)?.equals(held.msg) === true);
    }
    return true;
  }

  /** Why a request from `address` may not have a session now, or undefined when it may. */
  crowding(
    address: string,
    limits: { maxSessions: number; maxSessionsPerClient: number },
  ): Crowding | undefined {
    if (this.sessions.size >= limits.maxSessions) return 'server busy';
    if ((this.perClient.get(address) ?? 0) >= limits.maxSessionsPerClient) return 'client busy';
    return undefined;
  }

  /** Holds the client's port while its request is admitted. */
  reserve(peer: Peer, msg: Buffer): void {
    const key = peerKey(peer);
    this.sessions.set(key, 'pending');
    this.firstRequests.set(key, msg);
    this.perClient.set(peer.address, (this.perClient.get(peer.address) ?? 0) + 1);
  }

  /** The request was refused: its port and its client's slot are free again. */
  cancel(peer: Peer): void {
    const key = peerKey(peer);
    this.sessions.delete(key);
    this.firstRequests.delete(key);
    this.releaseClient(peer.address);
  }

  /** The reserved port now has its session; an upload holds its name (`lockKey`) until saved. */
  hold(session: Session, lockKey?: string): void {
    this.sessions.set(peerKey(session.peer), session);
    if (lockKey !== undefined) this.uploadLocks.set(session, lockKey);
  }

  unlockUpload(lockKey: string): void {
    this.uploadsInFlight.delete(lockKey);
  }

  /** An upload is in place: its name may be uploaded again while the session dallies. */
  uploadSaved(session: Session): void {
    const lock = this.uploadLocks.get(session);
    if (lock !== undefined) {
      this.uploadLocks.delete(session);
      this.uploadsInFlight.delete(lock);
    }
  }

  /** The session ends because its client started over: serve the request held for its port. */
  clientStartedOver(session: Session): void {
    const held = this.held.get(peerKey(session.peer));
    if (held !== undefined) held.serve = true;
  }

  /**
   * The session is over: forgets it. Returns the request that came from its port just before, when
   * the session ended for it (the client started over) and it is to be served now.
   */
  ended(session: Session): HeldRequest | undefined {
    const key = peerKey(session.peer);
    if (this.sessions.get(key) === session) {
      this.sessions.delete(key);
      this.firstRequests.delete(key);
    }
    this.releaseClient(session.peer.address);
    this.uploadSaved(session);
    const held = this.held.get(key);
    if (held === undefined) return undefined;
    this.held.delete(key);
    return held.serve && Date.now() - held.at <= HELD_REQUEST_MS ? held : undefined;
  }

  /** The listeners closed: no held request can be answered any more. */
  dropHeldRequests(): void {
    this.held.clear();
  }

  live(): Session[] {
    return [...this.sessions.values()].filter((s): s is Session => s !== 'pending');
  }

  /** Sessions whose timers run on this thread. */
  *localTransfers(): Generator<Transfer> {
    for (const s of this.sessions.values()) if (s instanceof Transfer) yield s;
  }

  localDownloads(): number {
    let n = 0;
    for (const s of this.sessions.values()) if (s instanceof ReadTransfer) n++;
    return n;
  }

  private releaseClient(address: string): void {
    const n = (this.perClient.get(address) ?? 1) - 1;
    if (n <= 0) this.perClient.delete(address);
    else this.perClient.set(address, n);
  }
}
