// RFC 3164 section 4.1.2 (HEADER: TIMESTAMP SP HOSTNAME) and 4.1.3 (MSG: TAG and CONTENT), read
// the way devices actually send it, on the text after PRI. Pure, never throws.
//
//   <PRI>Mmm dd hh:mm:ss HOSTNAME TAG[PID]: CONTENT       the RFC (and `logger --rfc3164`)
//   <PRI>Mmm dd hh:mm:ss TAG: CONTENT                     no hostname (busybox, many embedded stacks)
//   <PRI>2024-05-01T12:00:00.123+02:00 HOST TAG: CONTENT  ISO time in 3164 framing (rsyslog forwarding)
//   <PRI>29: R1: *Mar  1 00:01:23.456 UTC: %SYS-5-CONFIG_I: Configured ...   Cisco IOS: counters
//        ("seq: "), origin-id hostname, '*' = clock not synchronised, then %FACILITY-SEVERITY-MNEMONIC
//   <PRI>: 2024 May  1 12:00:00 UTC: %ETHPORT-5-IF_UP: ...                   Cisco NX-OS
//   <PRI>May 01 2024 12:00:00 asa1 : %ASA-6-302013: Built ...                Cisco ASA
//   <PRI>7: RP/0/RSP0/CPU0:Mar  1 12:00:00.123 UTC: config[65739]: %MGBL-CONFIG-6-DB_COMMIT : ...  IOS-XR
//
// Whatever is not recognised stays in the message: a field is only taken when its shape is clear.

export interface Fields3164 {
  timestamp?: string;
  hostname?: string;
  appName?: string;
  procId?: string;
  msgId?: string;
  message: string;
}

const MONTH = '(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)';
const HMS = '\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?';
const TIMESTAMPS: readonly RegExp[] = [
  // "Mmm dd hh:mm:ss": day space-padded ("May  1") or not; Cisco may add a year and milliseconds
  // and mark an unsynchronised clock with '*' (never set) or '.' (lost).
  new RegExp(`^[*.]?${MONTH} {1,2}\\d{1,2}(?: \\d{4})? ${HMS}`),
  // NX-OS: "2024 May  1 12:00:00"
  new RegExp(`^\\d{4} ${MONTH} {1,2}\\d{1,2} ${HMS}`),
  /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?/,
];
// Cisco "service timestamps log uptime": "00:01:23:" or "1d02h:" / "2w3d:"; only before ": ".
const UPTIME = /^(?:\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?|\d+[ywd]\d+[wdh])(?=: )/;
// Cisco "show-timezone": a zone name between the time and the colon.
const ZONE = /^ [A-Z]{2,5}(?=:(?: |$))/;
// Message counters ("29: ", "000045: ") and NX-OS's empty one (": ").
const COUNTER = /^(?:\d{1,10})?: /;
// `logging origin-id`: a hostname between the counters and the time or message.
const ORIGIN = new RegExp(
  `^([A-Za-z][\\w.-]{0,254}): (?=[*.]?${MONTH} |\\d+: |\\d{2}:\\d{2}:\\d{2}|\\d+[ywd]\\d+[wdh]|\\d{4} ${MONTH}|%)`,
);
// IOS-XR: the node ("RP/0/RSP0/CPU0:") glued to the time; it names where on the router the line
// came from, so it stands in for the hostname.
const XR_NODE = new RegExp(`^([A-Z]+(?:/\\w+)+):(?=[*.]?${MONTH} )`);
const HOSTNAME = /^[A-Za-z0-9][\w.:-]{0,254}(?= )/;
// TAG (section 4.1.3: up to 32 alphanumerics; in practice also '/', '.', '-', '_' and longer),
// an optional [PID], then ':'. No ',' or '=' (MikroTik topics, key=value firewall logs).
const TAG = /^([^\s:[\]%=,]{1,48})(?:\[([^\]\s]{1,128})\])?:(?: |$)/;
// %FACILITY[-SUBFACILITY]-SEVERITY-MNEMONIC: (IOS, IOS-XE, NX-OS, ASA; XR puts a space before ':')
const CISCO_CODE = /^%([A-Za-z0-9_]+(?:-[A-Za-z0-9_]+)*?)-([0-7])-([A-Za-z0-9_]+) ?:(?: |$)/;

interface Cursor {
  rest: string;
  fields: Omit<Fields3164, 'message'>;
}

function take(c: Cursor, re: RegExp): RegExpExecArray | undefined {
  const m = re.exec(c.rest);
  if (!m) return undefined;
  c.rest = c.rest.slice(m[0].length);
  return m;
}

/** Cisco counters and the origin-id hostname. */
function ciscoPrefix(c: Cursor): void {
  let counters = 0;
  for (let i = 0; i < 4; i++) {
    if (take(c, COUNTER)) {
      counters++;
      continue;
    }
    const origin =
      counters > 0 && c.fields.hostname === undefined ? (take(c, ORIGIN) ?? take(c, XR_NODE)) : undefined;
    if (!origin) break;
    c.fields.hostname = origin[1];
  }
}

/** The time, and whether a Cisco-style ':' ended it (then no hostname follows). */
function timestamp(c: Cursor): 'none' | 'space' | 'colon' {
  let m: RegExpExecArray | undefined;
  for (const re of TIMESTAMPS) if ((m = take(c, re))) break;
  m ??= take(c, UPTIME);
  if (!m) return 'none';
  const zone = take(c, ZONE);
  c.fields.timestamp = m[0] + (zone ? zone[0] : '');
  if (take(c, /^:(?: |$)/)) return 'colon';
  return take(c, /^ +/) ? 'space' : 'none';
}

function hostname(c: Cursor): void {
  const m = HOSTNAME.exec(c.rest);
  if (!m || m[0].endsWith(':')) return;
  c.fields.hostname = m[0];
  c.rest = c.rest.slice(m[0].length + 1);
  take(c, /^: /); // ASA: "asa1 : %ASA-..."
}

function ciscoCode(c: Cursor): boolean {
  const m = take(c, CISCO_CODE);
  if (!m) return false;
  c.fields.appName ??= m[1];
  c.fields.msgId = `${m[1]}-${m[2]}-${m[3]}`;
  return true;
}

export function parse3164(body: string): Fields3164 {
  const c: Cursor = { rest: body, fields: {} };
  ciscoPrefix(c);
  const ended = timestamp(c);
  if (ended === 'space' && c.fields.hostname === undefined) hostname(c);
  if (!ciscoCode(c)) {
    const tag = take(c, TAG);
    if (tag) {
      c.fields.appName = tag[1];
      if (tag[2] !== undefined) c.fields.procId = tag[2];
      ciscoCode(c); // IOS-XR: "config[65739]: %MGBL-CONFIG-6-DB_COMMIT : ..."
    }
  }
  return { ...c.fields, message: c.rest };
}
