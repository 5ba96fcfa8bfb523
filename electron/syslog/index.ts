// The syslog service's front door: hosts (the CLI, the desktop app, the browser UI host) and the
// tests import from here only. Types the UI shares live in shared/syslog.ts.
export {
  createSyslogReceiver,
  type SyslogListener,
  type SyslogReceiver,
  type SyslogReceiverOptions,
} from './receiver.js';
export { parseSyslog, type ParsedSyslog } from './parser.js';
export { parseStructuredData, type SdElement, type SdParam } from './structured-data.js';
export { MAX_DATAGRAM_BYTES } from './text.js';
