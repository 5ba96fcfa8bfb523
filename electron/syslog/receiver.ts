// The syslog receiver: sockets in, policy (allow-list, per-sender rate limit), parse, a ring of
// the newest messages, and the event stream (shared/syslog.ts). RFC 5426 (syslog over UDP):
// datagrams are only read, never answered, so a spoofed sender can cost us a parse at most.
//
// Order per datagram: the allow-list, then the sender's token bucket, then the parser, so that
// what is dropped is never parsed and a flood costs little more than counting it.
import type { RemoteInfo, Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import {
  SYSLOG_DEFAULTS,
  validateSyslogSettings,
  type SyslogEvent,
  type SyslogMessage,
  type SyslogSettings,
  type SyslogState,
  type SyslogStats,
} from '../../shared/syslog.js';
import { errorState } from './bind-errors.js';
import { closeSockets, openListeners } from './listeners.js';
import { parseSyslog } from './parser.js';
import { DropTally, SenderLimiter } from './rate-limit.js';
import { createRing, type Ring } from './ring.js';

export interface SyslogReceiverOptions extends Pick<
  SyslogSettings,
  'host' | 'port' | 'maxMessages' | 'perSenderPerSecond'
> {
  /**
   * Whether datagrams from `address` are kept: the host passes the app's allow-list here (the
   * same semantics as the TFTP server's: addresses and CIDR ranges, empty = everyone).
   * Port 0 in `port` means any free port (for tools and tests; settings never hold it).
   */
  isAllowed: (address: string) => boolean;
  /** milliseconds, monotonic: the rate limit's clock (default performance.now) */
  now?: () => number;
  /** at most one drop summary per this many ms (default 1000) */
  summaryIntervalMs?: number;
}

export type SyslogListener = (event: SyslogEvent) => void;

export interface SyslogReceiver {
  readonly state: SyslogState;
  /** Opens the sockets; resolves with 'listening' or 'error' (never rejects). */
  start(): Promise<SyslogState>;
  /** Emits what is pending (messages, a last drop summary) and closes the sockets. */
  stop(): Promise<void>;
  /** Subscribes to the event stream; returns the unsubscribe function. */
  onEvent(listener: SyslogListener): () => void;
  /** The newest `maxMessages` messages, oldest first; kept across stop and start. */
  messages(): SyslogMessage[];
  clear(): void;
  stats(): SyslogStats;
}

/** Messages go out together once per turn of the event loop, or sooner when this many wait. */
const MAX_BATCH = 500;

export function createSyslogReceiver(options: SyslogReceiverOptions): SyslogReceiver {
  return new Receiver(options);
}

class Receiver implements SyslogReceiver {
  private current: SyslogState = { state: 'stopped' };
  private readonly subscribers = new Set<SyslogListener>();
  private readonly ring: Ring<SyslogMessage>;
  private readonly limiter: SenderLimiter;
  private readonly tally = new DropTally(Date.now());
  private readonly now: () => number;
  private readonly summaryIntervalMs: number;
  private sockets: Socket[] = [];
  private pending: SyslogMessage[] = [];
  private flushScheduled = false;
  private summaryTimer: NodeJS.Timeout | undefined;
  private nextId = 1;
  private received = 0;
  private accepted = 0;

  constructor(private readonly options: SyslogReceiverOptions) {
    const valid = Object.keys(this.problems()).length === 0;
    this.ring = createRing(valid ? options.maxMessages : SYSLOG_DEFAULTS.maxMessages);
    this.limiter = new SenderLimiter(valid ? options.perSenderPerSecond : SYSLOG_DEFAULTS.perSenderPerSecond);
    this.now = options.now ?? (() => performance.now());
    this.summaryIntervalMs = options.summaryIntervalMs ?? 1000;
  }

  get state(): SyslogState {
    return this.current;
  }

  onEvent(listener: SyslogListener): () => void {
    this.subscribers.add(listener);
    return () => this.subscribers.delete(listener);
  }

  messages(): SyslogMessage[] {
    return this.ring.toArray();
  }

  clear(): void {
    this.ring.clear();
  }

  stats(): SyslogStats {
    return { received: this.received, accepted: this.accepted, dropped: this.tally.total };
  }

  async start(): Promise<SyslogState> {
    if (this.current.state !== 'stopped' && this.current.state !== 'error') return this.current;
    this.setState({ state: 'starting' });
    const problems = Object.values(this.problems());
    if (problems.length > 0) return this.setState(errorState('INVALID_SETTINGS', problems.join(' ')));
    const { host, port } = this.options;
    const opened = await openListeners(host, port, (msg, rinfo) => this.onDatagram(msg, rinfo));
    if ('state' in opened) return this.setState(opened);
    // stop() during the bind: it found no sockets to close, so close them here.
    if (this.state.state !== 'starting') {
      await closeSockets(opened.sockets);
      return this.current;
    }
    this.sockets = opened.sockets;
    return this.setState({ state: 'listening', addresses: opened.addresses });
  }

  async stop(): Promise<void> {
    if (this.current.state === 'stopped' || this.current.state === 'stopping') return;
    const wasOpen = this.sockets;
    this.sockets = [];
    this.setState({ state: 'stopping' });
    await closeSockets(wasOpen);
    this.flush();
    this.summarise();
    this.setState({ state: 'stopped' });
  }

  private problems() {
    const { host, port, maxMessages, perSenderPerSecond } = this.options;
    // Port 0 (any free port) is not offered to users, but tools and tests may ask for it.
    return validateSyslogSettings({ host, port: port === 0 ? 514 : port, maxMessages, perSenderPerSecond });
  }

  private onDatagram(msg: Buffer, rinfo: RemoteInfo): void {
    this.received++;
    const address = rinfo.address;
    if (!this.allowed(address)) return this.drop(address, 'notAllowed');
    if (!this.limiter.take(address, this.now())) return this.drop(address, 'rateLimited');
    const message: SyslogMessage = {
      id: this.nextId++,
      receivedAt: Date.now(),
      peer: { address, port: rinfo.port },
      ...parseSyslog(msg),
    };
    this.accepted++;
    this.ring.push(message);
    this.pending.push(message);
    if (this.pending.length >= MAX_BATCH) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private allowed(address: string): boolean {
    try {
      return this.options.isAllowed(address);
    } catch {
      return false; // a broken predicate must not open the door
    }
  }

  private drop(address: string, reason: 'notAllowed' | 'rateLimited'): void {
    this.tally.add(address, reason);
    if (this.summaryTimer === undefined) {
      this.summaryTimer = setTimeout(() => this.summarise(), this.summaryIntervalMs);
      this.summaryTimer.unref();
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.pending.length === 0) return;
    const messages = this.pending;
    this.pending = [];
    this.emit({ type: 'syslog-messages', service: 'syslog', time: Date.now(), messages });
  }

  private summarise(): void {
    if (this.summaryTimer !== undefined) clearTimeout(this.summaryTimer);
    this.summaryTimer = undefined;
    const time = Date.now();
    const s = this.tally.summary(time);
    if (!s) return;
    // Messages accepted before the drops go out first, so the stream reads in order.
    this.flush();
    this.emit({ type: 'syslog-dropped', service: 'syslog', time, ...s, total: this.tally.total });
  }

  private setState(state: SyslogState): SyslogState {
    this.current = state;
    this.emit({ type: 'syslog-state', service: 'syslog', time: Date.now(), state });
    return state;
  }

  private emit(event: SyslogEvent): void {
    for (const l of this.subscribers) {
      try {
        l(event);
      } catch {
        // a subscriber's bug must not break the receiver
      }
    }
  }
}
