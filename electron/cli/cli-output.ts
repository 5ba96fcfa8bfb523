// How `tftp-desk serve` prints the event stream: one human line per transfer start and end, one
// for a refused request (or NDJSON with --json). Client-supplied text is escaped so it cannot
// drive the terminal (B19).
import type { EngineEvent, SessionFailedEvent, SessionStartedEvent } from '../../shared/events.js';
import { TFTP_CLIENT_NAMES } from '../../shared/tftp-types.js';

/** Control characters (and DEL) shown as \xNN: an ANSI escape in a file name stays inert. */
export function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = -1;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[i]}`;
}

const clock = (t: number) => new Date(t).toTimeString().slice(0, 8);

/** `download`/`upload` for the server's transfers; `put`/`get` for ours ("Send to device" in `--ui`). */
function verb(s: SessionStartedEvent | undefined): string {
  if (s === undefined) return 'transfer';
  if (s.role === 'client') return s.direction === 'download' ? 'put' : 'get';
  return s.direction;
}

/** Who ended a failed transfer: the server's peer is a client; for ours, the peer is the device. */
function endedBy(s: SessionStartedEvent | undefined, by: SessionFailedEvent['by']): string {
  if (by === 'timeout') return 'timed out';
  if (s?.role === 'client') return by === 'server' ? 'from the device' : 'here';
  return by === 'client' ? 'from the client' : 'sent to the client';
}

export class HumanPrinter {
  private readonly started = new Map<string, SessionStartedEvent>();
  /**
   * A start line held back until the current turn ends: a refused request's start, end and warning
   * come in one turn, and then one line says it all.
   */
  private pendingStart: SessionStartedEvent | undefined;
  /** the refused session just printed: its warning repeats the line */
  private refusedId: string | undefined;

  constructor(
    private readonly out: (line: string) => void,
    private readonly err: (line: string) => void,
    private readonly verbose: boolean,
  ) {}

  print(e: EngineEvent): void {
    if (e.type === 'session-failed' && e.reason !== undefined && this.pendingStart?.id === e.id) {
      this.printRefusal(this.pendingStart, e);
      return;
    }
    if (e.type === 'log' && e.sessionId !== undefined && e.sessionId === this.refusedId) {
      this.refusedId = undefined;
      return;
    }
    this.flushStart();
    switch (e.type) {
      case 'server':
        if (e.server.state === 'listening') {
          for (const a of e.server.addresses) {
            const where = a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
            this.out(`listening on ${where}${a.interface ? ` (${a.interface})` : ''}`);
          }
        } else if (e.server.state === 'error') {
          this.err(`error: ${e.server.message}${e.server.hint ? `\n  ${e.server.hint}` : ''}`);
        }
        return;
      case 'session-started': {
        this.started.set(e.id, e);
        this.pendingStart = e;
        queueMicrotask(() => this.flushStart());
        return;
      }
      case 'session-finished': {
        const s = this.started.get(e.id);
        this.started.delete(e.id);
        const st = e.stats;
        const rate = formatBytes(st.averageRate);
        const hash = st.fileChanged
          ? 'file changed during transfer (no hash)'
          : st.sha256
            ? `sha256 ${st.sha256}`
            : 'no hash';
        this.out(
          `[${clock(e.time)}] ${verb(s)} finished ${s?.peer ?? ''}  ${printable(s?.file ?? '')}  ${formatBytes(st.bytes)} in ${(st.durationMs / 1000).toFixed(2)} s (${rate}/s, ${st.retransmits} resent) ${hash}`,
        );
        return;
      }
      case 'session-failed': {
        const s = this.started.get(e.id);
        this.started.delete(e.id);
        this.out(
          `[${clock(e.time)}] ${verb(s)} failed   ${s?.peer ?? ''}  ${printable(s?.file ?? '')}  ERROR ${e.code}: ${printable(e.message)} (${endedBy(s, e.by)})`,
        );
        return;
      }
      case 'log':
        if (e.level === 'error' || e.level === 'warn' || this.verbose) {
          // Errors at start are already printed from the server state.
          if (e.level === 'error' && !e.peer && !e.sessionId) return;
          this.err(`[${clock(e.time)}] ${e.level}: ${printable(e.message)}${e.peer ? ` (${e.peer})` : ''}`);
        }
        return;
      case 'session-progress':
        return;
    }
  }

  private flushStart(): void {
    const e = this.pendingStart;
    if (e === undefined) return;
    this.pendingStart = undefined;
    const size = e.size !== undefined ? `, ${formatBytes(e.size)}` : '';
    const o = e.options;
    const profile = e.profile !== undefined ? `, profile ${printable(e.profile)}` : '';
    this.out(
      `[${clock(e.time)}] ${verb(e)} started  ${e.peer}${clientLabel(e)}  ${printable(e.file)}${askedAs(e)}  (${e.mode}, blksize ${o.blksize}, window ${o.windowsize}${size}${profile})`,
    );
  }

  private printRefusal(s: SessionStartedEvent, e: SessionFailedEvent): void {
    this.pendingStart = undefined;
    this.started.delete(e.id);
    this.refusedId = e.id;
    this.out(
      `[${clock(e.time)}] ${s.direction} refused  ${s.peer}${clientLabel(s)}  ${printable(s.file)}  ERROR ${e.code}: ${printable(e.message)} (${e.reason ?? ''})${didYouMean(e)}`,
    );
  }
}

/** ` [iPXE]`, or ` [BusyBox tftp?]` for a guess, beside the peer; nothing for an unknown client. */
function clientLabel(e: SessionStartedEvent): string {
  const c = e.request?.client;
  if (c === undefined || c.client === 'unknown') return '';
  return ` [${TFTP_CLIENT_NAMES[c.client]}${c.confidence === 'guess' ? '?' : ''}]`;
}

/** ` (asked for "NAME")` when a mapping rule answered another name than the one sent. */
function askedAs(e: SessionStartedEvent): string {
  return e.request?.mapped ? ` (asked for "${printable(e.request.name)}")` : '';
}

/** `; did you mean "Boot/BCD" (case)` after a not-found refusal, from the names the engine suggests. */
function didYouMean(e: SessionFailedEvent): string {
  const s = e.suggestions;
  if (s === undefined || s.length === 0) return '';
  return `; did you mean ${s.map((x) => `"${printable(x.file)}" (${x.reason})`).join(', ')}`;
}
