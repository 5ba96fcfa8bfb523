// One datagram to one message. Pure, never throws, never drops: what cannot be parsed is kept
// verbatim as 'raw'.
//
// RFC 5424 section 6 (the syslog message):
//   SYSLOG-MSG = HEADER SP STRUCTURED-DATA [SP MSG]
//   HEADER     = PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID
//   PRI        = "<" PRIVAL ">"            ; PRIVAL = facility * 8 + severity, 0-191
//   NILVALUE   = "-"                       ; an absent field
//   MSG        = MSG-ANY / MSG-UTF8         ; MSG-UTF8 = BOM UTF-8-STRING (section 6.4)
// RFC 3164 section 4.1 (the BSD format and its deviations): parser-3164.ts.
// RFC 5426 section 3.1: one message per datagram; section 3.2: receivers keep at least 480 bytes,
// should keep 2048; we keep 8 KiB and mark the cut.
// RFC 6587 section 3.4.1 (octet counting) is TCP framing, but some senders (`logger --octet-count`)
// put it in datagrams too: a leading "LEN " before '<' is removed.
import type { SyslogMessage } from '../../shared/syslog.js';
import { parse3164 } from './parser-3164.js';
import { scanStructuredData } from './structured-data.js';
import { MAX_DATAGRAM_BYTES, safeText, trimTrailing, truncate, truncationMarker } from './text.js';

export type ParsedSyslog = Omit<SyslogMessage, 'id' | 'receivedAt' | 'peer'>;

const OCTET_COUNT = /^\d{1,5} (?=<)/;
const PRI = /^<(\d{1,3})>/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})?$/;
const BOM = '\uFEFF';

type Fields = Omit<ParsedSyslog, 'format' | 'raw' | 'truncatedFrom' | 'facility' | 'severity'>;

const nil = (field: string | undefined) => (field === undefined || field === '-' ? undefined : field);

/** Drops undefined fields, so results compare and serialise cleanly. */
function defined<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * The header after PRI, when it is RFC 5424: "1 " then a NILVALUE or ISO timestamp and four more
 * fields. Undefined otherwise (then it is read as RFC 3164).
 */
function parse5424(body: string): Fields | undefined {
  if (!body.startsWith('1 ')) return undefined;
  const parts: string[] = [];
  let i = 2;
  for (let n = 0; n < 5; n++) {
    const sp = body.indexOf(' ', i);
    if (sp === -1) {
      // The last header field may end the message: "<13>1 - - - - -".
      if (n < 4) return undefined;
      parts.push(body.slice(i));
      i = body.length;
      break;
    }
    parts.push(body.slice(i, sp));
    i = sp + 1;
  }
  const [timestamp, hostname, appName, procId, msgId] = parts;
  if (timestamp === undefined || (timestamp !== '-' && !ISO_TIME.test(timestamp))) return undefined;
  if ([hostname, appName, procId, msgId].some((f) => f === undefined || f === '')) return undefined;
  const fields: Fields = {
    timestamp: nil(timestamp),
    hostname: nil(hostname),
    appName: nil(appName),
    procId: nil(procId),
    msgId: nil(msgId),
    structuredData: undefined,
    message: '',
  };
  if (i >= body.length) return fields;
  let msgStart = i;
  if (body[i] === '-' && (body[i + 1] === ' ' || i + 1 === body.length)) {
    msgStart = i + 2;
  } else {
    const sd = scanStructuredData(body, i);
    // Structured data that does not end where the message begins is not structured data: the
    // whole rest is the message, nothing lost.
    if (sd && (body[sd.end] === ' ' || sd.end === body.length)) {
      fields.structuredData = body.slice(i, sd.end);
      msgStart = sd.end + 1;
    }
  }
  let message = body.slice(msgStart);
  if (message.startsWith(BOM)) message = message.slice(BOM.length);
  fields.message = message;
  return fields;
}

function parseText(text: string): Pick<ParsedSyslog, 'format' | 'facility' | 'severity'> & Fields {
  const body = text.replace(OCTET_COUNT, '');
  const pri = PRI.exec(body);
  const prival = pri ? Number(pri[1]) : NaN;
  if (!pri || prival > 191) return { format: 'raw', message: text };
  const rest = body.slice(pri[0].length);
  const head = { facility: prival >> 3, severity: prival & 7 };
  const f5424 = parse5424(rest);
  if (f5424) return { format: 'rfc5424', ...head, ...f5424 };
  return { format: 'rfc3164', ...head, ...parse3164(rest) };
}

/** Parses one datagram. */
export function parseSyslog(datagram: Uint8Array): ParsedSyslog {
  const size = datagram.length;
  const kept = trimTrailing(truncate(datagram, MAX_DATAGRAM_BYTES));
  const marker = size > MAX_DATAGRAM_BYTES ? truncationMarker(size) : '';
  const text = safeText(kept);
  let parsed: ParsedSyslog;
  try {
    parsed = { ...parseText(text), raw: text };
  } catch {
    // Unreachable by design; a parser bug must still not lose the message.
    parsed = { format: 'raw', message: text, raw: text };
  }
  if (marker) {
    parsed.message += marker;
    parsed.raw += marker;
    parsed.truncatedFrom = size;
  }
  return defined(parsed);
}
