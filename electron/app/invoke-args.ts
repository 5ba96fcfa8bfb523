// Argument checks for calls that arrive from a renderer (IPC) or a browser (WebSocket).
// Both are untrusted input: the shape is checked here, the values by the controller.
import { INVOKE_METHODS, type TftpInvoke } from '../../shared/ipc-contract.js';
import { readDhcpSettings } from '../../shared/dhcp-view.js';
import { MAX_RULE_CHARS } from '../../shared/name-map-contract.js';
import { APP_DEFAULTS, MAX_NAME_MAP_RULES } from '../../shared/settings.js';
import { readPreflightRequest } from '../../shared/preflight.js';
import { SYSLOG_DEFAULTS } from '../../shared/syslog.js';

export type InvokeMethod = keyof TftpInvoke;
export type CheckedCall = { ok: true; method: InvokeMethod; args: unknown[] } | { ok: false; error: string };

/** exported logs are text; this bounds one call's memory */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;
const MAX_NAME_CHARS = 4096;

const SETTINGS_KEYS = new Set<string>(['root', ...Object.keys(APP_DEFAULTS)]);

export function isInvokeMethod(m: unknown): m is InvokeMethod {
  return typeof m === 'string' && (INVOKE_METHODS as readonly string[]).includes(m);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

/** What one argument must be; null when it passes. */
type ArgCheck = (arg: unknown) => string | null;

function pathArg(arg: unknown, method: InvokeMethod): string | null {
  if (typeof arg !== 'string' || arg.length === 0 || arg.length > MAX_NAME_CHARS)
    return `${method} takes a path.`;
  if (arg.includes('\0')) return 'Paths cannot contain NUL characters.';
  return null;
}

function settingsPatch(arg: unknown): string | null {
  if (!isPlainObject(arg)) return 'Settings must be an object.';
  const unknownKey = Object.keys(arg).find((k) => !SETTINGS_KEYS.has(k));
  return unknownKey === undefined ? null : `Unknown setting "${unknownKey.slice(0, 64)}".`;
}

const SYSLOG_KEYS = new Set<string>(Object.keys(SYSLOG_DEFAULTS));

function syslogPatch(arg: unknown): string | null {
  if (!isPlainObject(arg)) return 'Syslog settings must be an object.';
  const unknownKey = Object.keys(arg).find((k) => !SYSLOG_KEYS.has(k));
  return unknownKey === undefined ? null : `Unknown syslog setting "${unknownKey.slice(0, 64)}".`;
}

const CLIENT_NUMBERS = ['blksize', 'windowsize', 'timeoutSeconds', 'waitSeconds'] as const;
const CLIENT_KEYS = new Set<string>([
  'direction',
  'device',
  'localName',
  'localPath',
  'remoteName',
  'mode',
  ...CLIENT_NUMBERS,
]);

/** A client transfer request's shape; the engine checks the numbers' ranges. */
function clientRequest(arg: unknown): string | null {
  if (!isPlainObject(arg)) return 'The transfer must be an object.';
  const unknownKey = Object.keys(arg).find((k) => !CLIENT_KEYS.has(k));
  if (unknownKey !== undefined) return `Unknown transfer setting "${unknownKey.slice(0, 64)}".`;
  if (arg.direction !== 'put' && arg.direction !== 'get') return 'The direction must be put or get.';
  for (const key of ['device', 'localName', 'remoteName'] as const) {
    const v = arg[key];
    if (typeof v !== 'string' || v.length > MAX_NAME_CHARS || v.includes('\0')) return `${key} must be text.`;
  }
  if (
    arg.localPath !== undefined &&
    (typeof arg.localPath !== 'string' || pathArg(arg.localPath, 'startClientTransfer') !== null)
  )
    return 'localPath must be a path.';
  if (arg.mode !== undefined && arg.mode !== 'octet' && arg.mode !== 'netascii')
    return 'The mode must be octet or netascii.';
  const bad = CLIENT_NUMBERS.find((k) => arg[k] !== undefined && !Number.isInteger(arg[k]));
  return bad === undefined ? null : `${bad} must be a whole number.`;
}

/** Name mapping rules as lines; the parser judges each line. */
function ruleLines(arg: unknown): string | null {
  if (!Array.isArray(arg) || arg.length > MAX_NAME_MAP_RULES)
    return `The rules must be a list of at most ${MAX_NAME_MAP_RULES} lines.`;
  const bad = arg.some((r) => typeof r !== 'string' || r.length > MAX_RULE_CHARS);
  return bad ? `Each rule must be text of at most ${MAX_RULE_CHARS} characters.` : null;
}

const PROBE_KEYS = new Set(['name', 'rules', 'address', 'kind']);

/** A tester's sample: a name, and optionally the rules, the client's address and the direction. */
function nameMapProbe(arg: unknown): string | null {
  if (!isPlainObject(arg)) return 'The sample must be an object.';
  const unknownKey = Object.keys(arg).find((k) => !PROBE_KEYS.has(k));
  if (unknownKey !== undefined) return `Unknown sample field "${unknownKey.slice(0, 64)}".`;
  if (typeof arg.name !== 'string' || arg.name.length > MAX_NAME_CHARS)
    return 'The sample name must be text.';
  if (arg.rules !== undefined) {
    const bad = ruleLines(arg.rules);
    if (bad !== null) return bad;
  }
  if (arg.address !== undefined && (typeof arg.address !== 'string' || arg.address.length > 64))
    return 'The sample address must be text.';
  if (arg.kind !== undefined && arg.kind !== 'rrq' && arg.kind !== 'wrq')
    return 'The kind must be rrq or wrq.';
  return null;
}

function fileChoice(arg: unknown): string | null {
  if (!isPlainObject(arg)) return 'The choice must be an object.';
  if (Object.keys(arg).some((k) => k !== 'direction' && k !== 'suggestedName'))
    return 'The choice takes a direction and a suggested name.';
  if (arg.direction !== 'put' && arg.direction !== 'get') return 'The direction must be put or get.';
  const name = arg.suggestedName;
  if (name !== undefined && (typeof name !== 'string' || name.length > MAX_NAME_CHARS || name.includes('\0')))
    return 'suggestedName must be text.';
  return null;
}

function logText(arg: unknown): string | null {
  if (typeof arg !== 'string') return 'The log must be text.';
  return arg.length > MAX_EXPORT_CHARS ? 'The log is too large to export.' : null;
}

/**
 * Every call's arguments: none, or one checked argument. A record over the contract's methods, so
 * a call added to TftpInvoke is a type error here until its arguments are checked.
 */
const ARGS: Readonly<Record<InvokeMethod, ArgCheck | 'none'>> = {
  getSnapshot: 'none',
  startServer: 'none',
  stopServer: 'none',
  updateSettings: settingsPatch,
  chooseRoot: 'none',
  setRoot: (arg) => pathArg(arg, 'setRoot'),
  openRoot: 'none',
  listFiles: 'none',
  checksum: (arg) => pathArg(arg, 'checksum'),
  listInterfaces: 'none',
  exportLog: logText,
  getSyslogSnapshot: 'none',
  setSyslogSettings: syslogPatch,
  startSyslog: 'none',
  stopSyslog: 'none',
  clearSyslog: 'none',
  getDhcp: 'none',
  setDhcpSettings: (arg) => {
    const read = readDhcpSettings(arg);
    return read.ok ? null : read.error;
  },
  startDhcp: 'none',
  stopDhcp: 'none',
  getClientState: 'none',
  startClientTransfer: clientRequest,
  cancelClientTransfer: 'none',
  setNameMap: ruleLines,
  testNameMap: nameMapProbe,
  runPreflight: (arg) => {
    const read = readPreflightRequest(arg);
    return read.ok ? null : read.error;
  },
  chooseClientFile: fileChoice,
  addFirewallRule: 'none',
};

export function checkInvoke(method: unknown, args: unknown): CheckedCall {
  if (!isInvokeMethod(method)) return { ok: false, error: 'Unknown method.' };
  if (!Array.isArray(args)) return { ok: false, error: 'Arguments must be a list.' };
  const check = ARGS[method];
  if (check === 'none') {
    return args.length === 0
      ? { ok: true, method, args }
      : { ok: false, error: `${method} takes no arguments.` };
  }
  if (args.length !== 1) return { ok: false, error: `${method} takes one argument.` };
  const error = check(args[0]);
  return error === null ? { ok: true, method, args } : { ok: false, error };
}
