// Argument checks for calls that arrive from a renderer (IPC) or a browser (WebSocket).
// Both are untrusted input: the shape is checked here, the values by the controller.
import { INVOKE_METHODS, type TftpInvoke } from '../../shared/ipc-contract.js';
import { APP_DEFAULTS } from '../../shared/settings.js';

export type InvokeMethod = keyof TftpInvoke;
export type CheckedCall = { ok: true; method: InvokeMethod; args: unknown[] } | { ok: false; error: string };

/** exported logs are text; this bounds one call's memory */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
const MAX_NAME_CHARS = 4096;

const SETTINGS_KEYS = new Set<string>(['root', ...Object.keys(APP_DEFAULTS)]);

const NO_ARGS: readonly InvokeMethod[] = [
  'getSnapshot',
  'startServer',
  'stopServer',
  'chooseRoot',
  'openRoot',
  'listFiles',
  'listInterfaces',
];

export function isInvokeMethod(m: unknown): m is InvokeMethod {
  return typeof m === 'string' && (INVOKE_METHODS as readonly string[]).includes(m);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export function checkInvoke(method: unknown, args: unknown): CheckedCall {
  if (!isInvokeMethod(method)) return { ok: false, error: 'Unknown method.' };
  if (!Array.isArray(args)) return { ok: false, error: 'Arguments must be a list.' };
  const bad = (error: string): CheckedCall => ({ ok: false, error });
  if (NO_ARGS.includes(method)) {
    return args.length === 0 ? { ok: true, method, args } : bad(`${method} takes no arguments.`);
  }
  if (args.length !== 1) return bad(`${method} takes one argument.`);
  const [arg] = args as [unknown];
  switch (method) {
    case 'updateSettings': {
      if (!isPlainObject(arg)) return bad('Settings must be an object.');
      const unknownKey = Object.keys(arg).find((k) => !SETTINGS_KEYS.has(k));
      if (unknownKey !== undefined) return bad(`Unknown setting "${unknownKey.slice(0, 64)}".`);
      return { ok: true, method, args };
    }
    case 'setRoot':
    case 'checksum':
      if (typeof arg !== 'string' || arg.length === 0 || arg.length > MAX_NAME_CHARS)
        return bad(`${method} takes a path.`);
      if (arg.includes('\0')) return bad('Paths cannot contain NUL characters.');
      return { ok: true, method, args };
    case 'exportLog':
      if (typeof arg !== 'string') return bad('The log must be text.');
      if (arg.length > MAX_EXPORT_CHARS) return bad('The log is too large to export.');
      return { ok: true, method, args };
    default:
      return bad('Unknown method.');
  }
}
