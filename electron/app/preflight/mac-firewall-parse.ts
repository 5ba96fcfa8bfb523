// macOS application firewall, from /usr/libexec/ApplicationFirewall/socketfilterfw.
// --getglobalstate: "Firewall is enabled. (State = 1)", "Firewall is disabled. (State = 0)";
// State = 2 means "block all". --getblockall, older releases: "Block all ENABLED!" / "Block all
// DISABLED!"; newer: "Firewall is set to block all non-essential incoming connections" or
// "Firewall has block all state set to disabled.". Unknown wording reads as undefined.

export function parseGlobalState(text: string): { enabled: boolean; blockAll: boolean } | undefined {
  const state = /State\s*=\s*(\d)/.exec(text);
  if (state) return { enabled: state[1] !== '0', blockAll: state[1] === '2' };
  if (/firewall is enabled/i.test(text)) return { enabled: true, blockAll: false };
  if (/firewall is disabled/i.test(text)) return { enabled: false, blockAll: false };
  return undefined;
}

export function parseBlockAll(text: string): boolean | undefined {
  if (/block all ENABLED|block all non-essential|block all state set to enabled/i.test(text)) return true;
  if (/block all DISABLED|block all state set to disabled/i.test(text)) return false;
  return undefined;
}
