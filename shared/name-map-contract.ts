// What the name mapping calls carry between the app and a window (the contract's mapping part,
// shared/ipc-contract.ts). Rules travel as the lines of the rule syntax (electron/tftp/name-map.ts,
// the README): the app parses them with the engine's own parser, so a rule the UI shows is exactly
// the rule the server applies. Pure data (JSON-safe): no Node, no DOM.
import type { AppSettings } from './settings.js';
import type { TftpErrorCode } from './tftp-types.js';

/** At most this many characters in one rule line (the parser's own limit). */
export const MAX_RULE_CHARS = 4096;

/** A rule the parser refused: its position in the list (0 = first) and why. */
export interface NameMapRuleError {
  index: number;
  message: string;
}

export type SetNameMapResult =
  { ok: true; settings: AppSettings } | { ok: false; errors: NameMapRuleError[] };

/** A sample request for the tester: the name as a device would send it. */
export interface NameMapProbe {
  name: string;
  /** the rules to try, as lines; the saved rules when absent */
  rules?: string[];
  /** the client's address, for \i and \x in a replacement (127.0.0.1 when absent) */
  address?: string;
  /** a read (RRQ, the default) or a write (WRQ): rules with G or P apply to one only */
  kind?: 'rrq' | 'wrq';
}

export type NameMapProbeResult =
  | { ok: false; errors: NameMapRuleError[] }
  | {
      ok: true;
      /** the name after the rules (the sample itself when none matched) */
      mapped: string;
      /** the rules that changed it, as written, in order; empty when none matched */
      matched: string[];
      /** what the server would do with the mapped name: the same path check and lookup a request gets */
      resolved:
        | { ok: true; file: string; size?: number; exists: boolean }
        | { ok: false; code: TftpErrorCode; reason: string };
    };
