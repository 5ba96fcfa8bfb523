// What happens to a datagram on a listening port, in order: the allow-list, the codec, requests
// only, the rate limit, a live session's port, the session limits; then the client's port is
// reserved and the request goes to admission (session-start.ts). Everything dropped or refused here
// is logged through a throttle, so a flood cannot flood the log.
import type { RemoteInfo, Socket } from 'node:dgram';
import type { LogLevel } from '../../shared/events.js';
import type { EngineSettings } from '../../shared/settings.js';
import { TftpErrorCode } from '../../shared/tftp-types.js';
import { AllowList } from './allow-list.js';
import { answerError } from './listeners.js';
import type { LocalAddress } from './local-addresses.js';
import { decodePacket, type InvalidPacket } from './packet.js';
import { LogThrottle, RequestRateLimiter } from './rate-limit.js';
import type { SessionStarter } from './session-start.js';
import type { Crowding, SessionTable } from './session-table.js';
import type { Peer } from './transfer.js';

export interface RouterHost {
  settings(): EngineSettings;
  log(level: LogLevel, message: string, peer?: string): void;
}

export class RequestRouter {
  private allow: AllowList;
  private limiter: RequestRateLimiter;
  private readonly throttle = new LogThrottle();

  constructor(
    private readonly host: RouterHost,
    private readonly table: SessionTable,
    private readonly starter: SessionStarter,
  ) {
    this.allow = new AllowList(host.settings().allow);
    this.limiter = new RequestRateLimiter(host.settings().maxRequestsPerSecond);
  }

  /** New settings: a new allow-list and rate limit from the next request on. */
  settingsChanged(): void {
    this.allow = new AllowList(this.host.settings().allow);
    this.limiter = new RequestRateLimiter(this.host.settings().maxRequestsPerSecond);
  }

  /**
   * One datagram on a listening port, step by step; each step that ends it says why in the log.
   * A request that passes them all has its client's port reserved and goes to admission.
   */
  route(msg: Buffer, rinfo: RemoteInfo, local: LocalAddress, listener: Socket): void {
    const nowMs = Date.now();
    if (!this.allow.allows(rinfo.address)) {
      this.drop('deny', 'warn', 'request from an address outside the allow-list dropped', rinfo, nowMs);
      return;
    }
    const packet = decodePacket(msg);
    if (packet.kind === 'invalid') {
      this.invalid(packet, rinfo, listener, nowMs);
      return;
    }
    if (packet.kind !== 'rrq' && packet.kind !== 'wrq') {
      // DATA/ACK/ERROR/OACK to the listening port: nothing to answer (A3, E8).
      const message = `${packet.kind.toUpperCase()} sent to the listening port dropped`;
      this.drop('stray', 'debug', message, rinfo, nowMs);
      return;
    }
    if (!this.limiter.take(rinfo.address, nowMs)) {
      this.drop('rate', 'warn', 'request rate limit exceeded: dropped', rinfo, nowMs);
      return;
    }
    const held = { msg, rinfo, local, listener, at: nowMs, serve: false };
    if (this.table.repeatedRequest(held, packet.kind)) return;
    const crowding = this.table.crowding(rinfo.address, this.host.settings());
    if (crowding !== undefined) {
      this.refuseCrowded(crowding, rinfo, listener, nowMs);
      return;
    }
    const peer: Peer = {
      address: rinfo.address,
      port: rinfo.port,
      family: rinfo.family === 'IPv6' ? 'IPv6' : 'IPv4',
    };
    this.table.reserve(peer, msg);
    void this.starter.start(packet, peer, local, listener, msg);
  }

  private drop(kind: string, level: LogLevel, message: string, rinfo: RemoteInfo, nowMs: number): void {
    this.throttledLog(`${kind}|${rinfo.address}`, level, message, `${rinfo.address}:${rinfo.port}`, nowMs);
  }

  /** Too many sessions (all told, or from this address): ERROR 0, no session. */
  private refuseCrowded(crowding: Crowding, rinfo: RemoteInfo, listener: Socket, nowMs: number): void {
    const from = `${rinfo.address}:${rinfo.port}`;
    if (crowding === 'server busy') {
      answerError(listener, rinfo, TftpErrorCode.NotDefined, 'Server busy, try again later');
      this.throttledLog('busy', 'warn', 'concurrent session limit reached: request refused', from, nowMs);
    } else {
      answerError(listener, rinfo, TftpErrorCode.NotDefined, 'Too many transfers from your address');
      const message = 'per-client session limit reached: request refused';
      this.throttledLog(`busy|${rinfo.address}`, 'warn', message, from, nowMs);
    }
  }

  /** Not a request we can read: an ERROR when the codec says one is due (within the rate limit). */
  private invalid(packet: InvalidPacket, rinfo: RemoteInfo, listener: Socket, nowMs: number): void {
    const from = `${rinfo.address}:${rinfo.port}`;
    if (packet.reply && this.limiter.take(rinfo.address, nowMs)) {
      answerError(listener, rinfo, packet.reply.code, packet.reply.message);
      const message = `malformed request refused: ${packet.reason}`;
      this.throttledLog(`bad|${rinfo.address}`, 'warn', message, from, nowMs);
    } else {
      this.throttledLog(`drop|${rinfo.address}`, 'debug', `packet dropped: ${packet.reason}`, from, nowMs);
    }
  }

  private throttledLog(key: string, level: LogLevel, message: string, peer: string, nowMs: number): void {
    const held = this.throttle.admit(key, nowMs);
    if (held === undefined) return;
    this.host.log(level, held > 0 ? `${message} (${held} similar not shown)` : message, peer);
  }
}
