// What the syslog receiver's calls and pushes carry between the app and a window (the contract's
// syslog part, shared/ipc-contract.ts). Pure data (JSON-safe): no Node, no DOM.
import type {
  SyslogDropCounts,
  SyslogDroppedEvent,
  SyslogMessage,
  SyslogSettings,
  SyslogSettingsErrors,
  SyslogState,
} from './syslog.js';

/** What a freshly opened window needs to draw the Syslog tab at once. */
export interface SyslogSnapshot {
  state: SyslogState;
  settings: SyslogSettings;
  /** the newest messages, oldest first, at most `settings.maxMessages` */
  messages: SyslogMessage[];
  /** every drop since the app started */
  dropped: SyslogDropCounts;
  /** the latest drop summary, so a new window can say who is flooding */
  lastDrop: SyslogDroppedEvent | null;
}

export type SetSyslogSettingsResult =
  { ok: true; settings: SyslogSettings; state: SyslogState } | { ok: false; errors: SyslogSettingsErrors };

/**
 * The unprivileged ports offered when the port is refused or taken, the same the receiver's hint
 * names (electron/syslog/bind-errors.ts): 1514, and 5514 when 1514 is the one that failed.
 */
export const SYSLOG_FALLBACK_PORTS = [1514, 5514] as const;
