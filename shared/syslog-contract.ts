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

/** The unprivileged port offered when 514 is refused or taken (devices can be pointed at any port). */
export const SYSLOG_FALLBACK_PORT = 5514;
