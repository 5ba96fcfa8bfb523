// TftpBridge over one WebSocket (shared/web-protocol.ts), for the browser UI served by
// `tftp-desk serve --ui`. The auth cookie rides along with the upgrade request. When the socket
// drops, in-flight calls fail (the server may or may not have run them), calls made meanwhile
// wait for the next connection, and the socket reconnects with capped, jittered backoff;
// onConnection tells the app to fetch a fresh snapshot.
import { createEventHub } from '../shared/event-hub';
import { INVOKE_METHODS, isEventChannel, type TftpBridge, type TftpInvoke } from '../shared/ipc-contract';
import type { WebServerMessage } from '../shared/web-protocol';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting';

export interface ConnectionAware {
  onConnection(listener: (state: ConnectionState) => void): () => void;
  close(): void;
}

/** The part of the DOM WebSocket this bridge uses (the `ws` package matches it, for tests in Node). */
export interface SocketLike {
  readonly readyState: number;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  send(data: string): void;
  close(): void;
}

export interface WsBridgeOptions {
  createSocket?: (url: string) => SocketLike;
  /** first reconnect delay in ms; doubles per failed attempt */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** how long a call made while disconnected waits for a connection */
  queueTimeoutMs?: number;
}

interface Pending {
  payload: string;
  sent: boolean;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer?: ReturnType<typeof setTimeout>;
}

const OPEN = 1;
const LOST = 'The connection to the TFTP Desk server was lost before it answered. Try again.';
const OFFLINE = 'Not connected to the TFTP Desk server. Is `tftp-desk serve --ui` still running?';

export function createWsBridge(url: string, options: WsBridgeOptions = {}): TftpBridge & ConnectionAware {
  const createSocket = options.createSocket ?? ((u: string) => new WebSocket(u) as unknown as SocketLike);
  const baseDelay = options.baseDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 10_000;
  const queueTimeout = options.queueTimeoutMs ?? 15_000;
  const pending = new Map<number, Pending>();
  // a listener that throws is reported, and the others still hear the push
  const listeners = createEventHub((error) => console.error(error));
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let socket: SocketLike | null = null;
  let nextId = 1;
  let attempt = 0;
  let closed = false;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  const setState = (state: ConnectionState) => connectionListeners.forEach((l) => l(state));

  const send = (p: Pending) => {
    if (socket === null || socket.readyState !== OPEN) return;
    socket.send(p.payload);
    p.sent = true;
    if (p.timer !== undefined) clearTimeout(p.timer);
    p.timer = undefined;
  };

  const onMessage = (data: unknown) => {
    let msg: WebServerMessage;
    try {
      msg = JSON.parse(String(data)) as WebServerMessage;
    } catch {
      return; // not ours; a proxy or a truncated frame
    }
    if ('push' in msg) {
      if (isEventChannel(msg.push)) listeners.emit(msg.push, msg.payload);
      return;
    }
    const p = pending.get(msg.id);
    if (p === undefined) return;
    pending.delete(msg.id);
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new Error(msg.error));
  };

  const connect = () => {
    if (closed) return;
    const ws = createSocket(url);
    socket = ws;
    ws.onopen = () => {
      attempt = 0;
      setState('open');
      pending.forEach((p) => {
        if (!p.sent) send(p);
      });
    };
    ws.onmessage = (ev) => onMessage(ev.data);
    ws.onerror = () => undefined; // a close event always follows
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = null;
      pending.forEach((p, id) => {
        if (!p.sent) return;
        pending.delete(id);
        p.reject(new Error(LOST));
      });
      if (closed) return;
      setState('reconnecting');
      const delay = Math.min(maxDelay, baseDelay * 2 ** attempt) * (0.75 + Math.random() * 0.5);
      attempt += 1;
      reconnectTimer = setTimeout(connect, delay);
    };
  };

  const call = (method: keyof TftpInvoke, args: unknown[]): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (closed) {
        reject(new Error(OFFLINE));
        return;
      }
      const id = nextId++;
      const p: Pending = { payload: JSON.stringify({ id, method, args }), sent: false, resolve, reject };
      pending.set(id, p);
      send(p);
      if (!p.sent) {
        p.timer = setTimeout(() => {
          if (pending.get(id) !== p || p.sent) return;
          pending.delete(id);
          reject(new Error(OFFLINE));
        }, queueTimeout);
      }
    });

  const bridge: Record<string, unknown> = {
    on: listeners.on,
    onConnection(listener: (state: ConnectionState) => void) {
      connectionListeners.add(listener);
      return () => void connectionListeners.delete(listener);
    },
    close() {
      closed = true;
      if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
      pending.forEach((p) => {
        if (p.timer !== undefined) clearTimeout(p.timer);
        p.reject(new Error(OFFLINE));
      });
      pending.clear();
      socket?.close();
      socket = null;
    },
  };
  for (const method of INVOKE_METHODS) {
    bridge[method] = (...args: unknown[]) => call(method, args);
  }
  connect();
  return bridge as unknown as TftpBridge & ConnectionAware;
}
