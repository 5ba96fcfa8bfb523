// The client's request phase and transfer-ID rules, shared by a get and a put. RFC 1350 section 4
// (TIDs: the server answers from a new port, which then identifies the transfer; a packet from any
// other port gets ERROR 5 and changes nothing), RFC 2347 (OACK, ERROR 8), RFC 1123 4.2.3.2
// (retransmission with backoff, retransmit.ts).
//
// No I/O: the session is fed packets, the time and timer ticks, and asks its output to send. The
// driver (client-transfer.ts) owns the socket and the timer; client-get.ts and client-put.ts the file.
//
//   requesting --OACK accepted / DATA 1 (get) / ACK 0 (put)--> transferring --last block--> done
//       |  \--ERROR 8 to our options: ask once more without them (requesting again)
//       +-- no answer / ERROR / OACK refused -----------------> failed <-- silence, ERROR, local error
//
// Waiting for a device (`waitMs`): recovery modes open their TFTP server for a few seconds after a
// reboot. The request is then resent quietly once a second until the first answer, and the
// transfer starts at once; without it, the request is resent `retries` times, a timeout apart.
import type { ClientNegotiated, TftpClientErrorCode } from '../../shared/tftp-client.js';
import { TftpErrorCode } from '../../shared/tftp-types.js';
import { acceptOack, plainOptions } from './client-options.js';
import type { InvalidPacket, Packet, RequestOption } from './packet.js';
import { RetransmitPolicy } from './retransmit.js';

/** How often the request is resent while waiting for a device to come up. */
export const WAIT_RESEND_MS = 1000;

export type ClientState = 'requesting' | 'transferring' | 'done' | 'failed';

export interface ClientSessionConfig {
  /** the options to ask for; empty: a plain RFC 1350 request */
  options: readonly RequestOption[];
  /** seconds: the request's resend spacing and the transfer's retransmission ceiling */
  timeoutSeconds: number;
  /** resends before giving up */
  retries: number;
  /** keep resending the request quietly this long for a device to come up (0: no waiting) */
  waitMs: number;
}

/** A local failure while reading or writing the file, and what the server is told. */
export interface LocalFailure {
  code: TftpClientErrorCode;
  message: string;
  wire: { code: TftpErrorCode; message: string };
}

export interface ClientOutput {
  /** the RRQ or WRQ to the server's well-known port */
  sendRequest(options: readonly RequestOption[]): void;
  /** an ERROR to a port on the server's address (the transfer's, or a stray one) */
  sendError(port: number, code: TftpErrorCode, message: string): void;
  /** the options the transfer runs with, once known */
  negotiated(options: ClientNegotiated): void;
  finished(): void;
  failed(code: TftpClientErrorCode, message: string, server?: { code: number; message: string }): void;
}

export abstract class ClientSession {
  state: ClientState = 'requesting';
  /** the server's transfer port, once it has answered */
  tid: number | undefined;
  /** packets sent more than once */
  retransmits = 0;
  /** when tick() should next be called; undefined: no timer */
  deadline: number | undefined;
  protected options: ClientNegotiated;
  protected timer: RetransmitPolicy;
  private asked: readonly RequestOption[];
  private fellBack = false;
  private requestsSent = 0;
  private waitUntil = 0;
  /** when the transfer's port last sent anything */
  private lastHeardAt = 0;

  constructor(
    protected readonly config: ClientSessionConfig,
    private readonly output: ClientOutput,
  ) {
    this.asked = config.options;
    this.options = plainOptions(config.timeoutSeconds);
    this.timer = this.newTimer();
  }

  start(now: number): void {
    this.waitUntil = now + this.config.waitMs;
    this.sendRequest(now);
  }

  /** A datagram from the server's address, already decoded; `port` is where it came from. */
  receive(packet: Packet | InvalidPacket, port: number, now: number): void {
    if (!this.live) return;
    if (this.tid !== undefined && port !== this.tid) {
      // RFC 1350 section 4: another TID (a second answer to a resent request, a stray packet).
      if (packet.kind !== 'error')
        this.output.sendError(port, TftpErrorCode.UnknownTransferId, 'Unknown transfer ID');
      return;
    }
    if (packet.kind === 'invalid' || packet.kind === 'rrq' || packet.kind === 'wrq') return;
    if (packet.kind === 'error') return this.serverError(packet.code, packet.message, now);
    if (this.state === 'requesting') return this.firstAnswer(packet, port, now);
    this.lastHeardAt = now;
    this.onPacket(packet, now);
  }

  /** The timer fired. */
  tick(now: number): void {
    if (!this.live || this.deadline === undefined || now < this.deadline) return;
    if (this.state === 'requesting') {
      const waiting = this.config.waitMs > 0;
      if (waiting ? now >= this.waitUntil : this.requestsSent > this.config.retries) {
        const seconds = Math.round(
          (waiting ? this.config.waitMs : this.requestWaitMs * this.requestsSent) / 1000,
        );
        return this.fail('NO_ANSWER', `no answer from the server in ${seconds} s`);
      }
      this.retransmits++;
      return this.sendRequest(now);
    }
    // The resend timer adapts and backs off (retransmit.ts); the silence a transfer survives is
    // bounded by what the caller asked for: (retries + 1) timeouts.
    if (now - this.lastHeardAt >= this.maxSilenceMs || !this.timer.timedOut())
      return this.fail('TIMEOUT', 'the server stopped answering during the transfer');
    this.onTimeout(now);
  }

  /** The caller cancelled: the server is told (when it has answered) and the session ends. */
  abort(): void {
    if (!this.live) return;
    if (this.tid !== undefined)
      this.output.sendError(this.tid, TftpErrorCode.NotDefined, 'Transfer cancelled');
    this.fail('ABORTED', 'cancelled');
  }

  /** Reading or writing the local file failed: the server is told and the session ends. */
  localFailure(failure: LocalFailure): void {
    if (!this.live) return;
    if (this.tid !== undefined) this.output.sendError(this.tid, failure.wire.code, failure.wire.message);
    this.fail(failure.code, failure.message);
  }

  /** The socket failed (no route, interface gone): nothing more can be sent. */
  networkFailure(message: string): void {
    if (!this.live) return;
    this.fail('NETWORK', message);
  }

  /** While waiting for a device, a send that fails (no route yet, link down) is just another try. */
  get waitingForDevice(): boolean {
    return this.state === 'requesting' && this.config.waitMs > 0;
  }

  get live(): boolean {
    return this.state === 'requesting' || this.state === 'transferring';
  }

  get negotiatedOptions(): ClientNegotiated {
    return this.options;
  }

  /** The transfer starts with the options in `this.options` (the OACK's, or the defaults). */
  protected abstract begin(first: Packet | undefined, now: number): void;
  /** DATA, ACK or OACK from the transfer's port while transferring. */
  protected abstract onPacket(packet: Packet, now: number): void;
  /** Nothing heard for a timeout (the retry budget is not exhausted yet): resend, and count it. */
  protected abstract onTimeout(now: number): void;
  /** Whether this packet, as the server's first answer, means it ignored our options. */
  protected abstract isPlainStart(packet: Packet): boolean;

  protected arm(now: number): void {
    const giveUpAt = Math.max(now, this.lastHeardAt + this.maxSilenceMs);
    this.deadline = Math.min(now + this.timer.currentTimeoutMs(), giveUpAt);
  }

  private get maxSilenceMs(): number {
    return this.config.timeoutSeconds * 1000 * (this.config.retries + 1);
  }

  protected finish(): void {
    this.state = 'done';
    this.deadline = undefined;
    this.output.finished();
  }

  protected fail(
    code: TftpClientErrorCode,
    message: string,
    server?: { code: number; message: string },
  ): void {
    this.state = 'failed';
    this.deadline = undefined;
    this.output.failed(code, message, server);
  }

  /** An ERROR from the transfer's port stops the transfer; the failure says whose fault. */
  protected protocolError(message: string): void {
    if (this.tid !== undefined) this.output.sendError(this.tid, TftpErrorCode.IllegalOperation, message);
    this.fail('PROTOCOL', `the server broke the protocol: ${message}`);
  }

  private get requestWaitMs(): number {
    return this.config.waitMs > 0 ? WAIT_RESEND_MS : this.config.timeoutSeconds * 1000;
  }

  private newTimer(): RetransmitPolicy {
    return new RetransmitPolicy({ ceilingMs: this.options.timeout * 1000, retries: this.config.retries });
  }

  private sendRequest(now: number): void {
    this.requestsSent++;
    this.output.sendRequest(this.asked);
    // Waiting: never past the end of the wait, so NO_ANSWER comes on time.
    const next = now + this.requestWaitMs;
    this.deadline = this.config.waitMs > 0 ? Math.max(now, Math.min(next, this.waitUntil)) : next;
  }

  private serverError(code: number, message: string, now: number): void {
    if (this.state === 'requesting') {
      if (code === TftpErrorCode.OptionRefused && this.asked.length > 0 && !this.fellBack) {
        // RFC 2347: the server refuses the options; ask once more without them.
        this.fellBack = true;
        this.asked = [];
        this.requestsSent = 0;
        this.sendRequest(now);
        return;
      }
      return this.fail('REFUSED', 'the server refused the request', { code, message });
    }
    this.fail('SERVER_ERROR', 'the server stopped the transfer', { code, message });
  }

  private firstAnswer(packet: Packet, port: number, now: number): void {
    if (packet.kind === 'oack') {
      const verdict =
        this.asked.length === 0
          ? { ok: false as const, reason: 'the server sent an OACK to a request without options' }
          : acceptOack(this.asked, packet.options, this.config.timeoutSeconds);
      this.tid = port;
      if (!verdict.ok) {
        this.output.sendError(port, TftpErrorCode.OptionRefused, 'Option negotiation refused');
        return this.fail('PROTOCOL', verdict.reason);
      }
      this.options = verdict.options;
      return this.startTransfer(undefined, now);
    }
    if (!this.isPlainStart(packet)) return; // a stray or stale packet: keep waiting for a real answer
    this.tid = port;
    this.options = plainOptions(this.config.timeoutSeconds);
    this.startTransfer(packet, now);
  }

  private startTransfer(first: Packet | undefined, now: number): void {
    this.state = 'transferring';
    this.lastHeardAt = now;
    this.timer = this.newTimer();
    this.timer.progress(); // the server has answered: it is real
    this.output.negotiated(this.options);
    this.begin(first, now);
  }
}
