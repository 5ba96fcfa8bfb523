// The TFTP engine's front door: the only module hosts (the CLI, the desktop shell, the browser UI host,
// the app layer) import. Everything else in this folder is an implementation detail that may move;
// only tests reach past this file, to prove the pieces one by one. The protocol itself (RFC 1350,
// 2347-2349, 7440) is implemented, and cited, in the modules behind it.
export { createTftpEngine, type EngineOptions } from './server.js';
export type { EngineListener, TftpEngine } from './engine.js';
// The allow-list's semantics (addresses and CIDR ranges, IPv4-mapped peers, empty = everyone), for
// hosts that apply the same list to another service.
export { AllowList } from './allow-list.js';
// Name mapping rules: hosts parse rule text (a --map file, the settings UI) with the engine's parser.
export { parseNameMap, parseRuleList, type NameMapParse } from './name-map.js';
// The mapping tester: a sample name through the rules and the same path check a request gets.
export { probeNameMap } from './name-map-probe.js';
// The client: push a file to a device's TFTP server (firmware into a recovery mode) or pull one.
export {
  CLIENT_DEFAULTS,
  TftpClientError,
  isTftpClientError,
  tftpGet,
  tftpPut,
  type ClientTransferOptions,
} from './client.js';
// The words for "this user may not open a low port" on each OS (the pre-flight check repeats them).
export { privilegedPortHint } from './server-errors.js';
// Which device profile rule applies to a client (first match wins): the engine's own matcher, for
// hosts that tell the user what a device will get (the pre-flight check).
export { ProfileMatcher, type RuleMatch } from '../../shared/profile-match.js';
