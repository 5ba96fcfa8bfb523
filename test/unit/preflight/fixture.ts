// Reads a recorded command output from fixtures/ (kept byte-exact: CRLF where Windows prints it).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commandLine, type Exec, type ExecResult } from '../../../electron/app/preflight/exec.js';

export function fixture(name: string): string {
  return readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8');
}

/** Answers each command line with a recorded output; any other command is "not installed". */
export function recorded(outputs: Record<string, ExecResult | string>): Exec {
  return async (file, args) => {
    const out = outputs[commandLine(file, args)];
    if (out === undefined) return { kind: 'missing', command: file };
    return typeof out === 'string' ? { kind: 'ran', code: 0, stdout: out, stderr: '' } : out;
  };
}

export const WINDOWS_PROFILES_COMMAND =
  'powershell.exe -NoProfile -NonInteractive -Command "Get-NetConnectionProfile | Format-List Name,InterfaceAlias,NetworkCategory"';
export const WINDOWS_STATES_COMMAND = 'netsh advfirewall show allprofiles state';
export const WINDOWS_RULES_COMMAND = 'netsh advfirewall firewall show rule name=all dir=in verbose';

/**
 * The recorded Windows outputs: "Ethernet 2" on a Public network, "Wi-Fi" on a Private one, the
 * firewall on for every profile (the recorded state had Public off; turned on here), and rules
 * for WIN_PROGRAM that allow it on Private and block it on Public (what dismissing the prompt makes).
 */
export function windowsOutputs(): Record<string, string> {
  return {
    [WINDOWS_PROFILES_COMMAND]: fixture('get-netconnectionprofile.txt'),
    [WINDOWS_STATES_COMMAND]: fixture('netsh-allprofiles-state.txt').replace(
      /Public Profile Settings: \r\n-+\r\nState {33}OFF/,
      (m) => m.replace('OFF', 'ON '),
    ),
    [WINDOWS_RULES_COMMAND]: fixture('netsh-show-rule-in.txt'),
  };
}

export const WIN_PROGRAM = 'C:\\Users\\lab\\AppData\\Local\\Programs\\tftp-desk\\TFTP Desk.exe';
