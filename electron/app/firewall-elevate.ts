// Runs the firewall advice's `netsh advfirewall` command elevated, once, with the user's consent:
// PowerShell's Start-Process -Verb RunAs raises the administrator (UAC) prompt. No shell string is
// built: the script travels as -EncodedCommand (base64 of UTF-16LE), so neither Node's nor
// PowerShell's command-line quoting can touch it, and the netsh arguments sit inside a PowerShell
// single-quoted literal, where nothing ($, `, %) expands and only quote characters need doubling.
// Start-Process hands that string to netsh as its command line unchanged: exactly the command shown.
import type { ExecResult } from './preflight/exec.js';

/** ERROR_CANCELLED: what ShellExecute reports when the user answers No at the UAC prompt. */
export const UAC_CANCELLED = 1223;

/**
 * A PowerShell single-quoted string literal. PowerShell reads the typographic single quotes
 * (U+2018 to U+201B) as quote marks too, so each of them is doubled like the ASCII one.
 */
export function psSingleQuoted(text: string): string {
  return `'${text.replace(/['\u2018-\u201b]/g, (q) => q + q)}'`;
}

/** The script that asks for elevation and reports netsh's exit code (1223 when declined). */
export function elevationScript(command: string): string {
  if (!command.startsWith('netsh ')) throw new Error('Only a netsh command is run elevated.');
  // a line break or NUL would end netsh's command line early: such a command is not run at all
  if ([...command].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f))
    throw new Error('The command holds a control character.');
  const args = command.slice('netsh '.length);
  return [
    "$ErrorActionPreference = 'Stop'",
    'try {',
    `  $p = Start-Process -FilePath 'netsh' -ArgumentList ${psSingleQuoted(args)} -Verb RunAs -Wait -WindowStyle Hidden -PassThru`,
    '} catch {',
    '  $e = $_.Exception',
    '  while ($e -ne $null -and -not ($e -is [System.ComponentModel.Win32Exception])) { $e = $e.InnerException }',
    `  if ($e -ne $null -and $e.NativeErrorCode -eq ${UAC_CANCELLED}) { exit ${UAC_CANCELLED} }`,
    '  [Console]::Error.WriteLine($_.Exception.Message)',
    '  exit 1',
    '}',
    'exit $p.ExitCode',
  ].join('\n');
}

/** powershell.exe and its arguments (for execFile: no shell) that run `command` elevated. */
export function elevatedInvocation(command: string): { file: string; args: string[] } {
  const encoded = Buffer.from(elevationScript(command), 'utf16le').toString('base64');
  return {
    file: 'powershell.exe',
    args: ['-NoProfile', '-NonInteractive', '-EncodedCommand', encoded],
  };
}

export type ElevationOutcome =
  { outcome: 'added' } | { outcome: 'declined' } | { outcome: 'failed'; message: string };

/** What the elevated run came to, from its exit code and error text. */
export function readElevation(r: ExecResult): ElevationOutcome {
  if (r.kind === 'missing') return { outcome: 'failed', message: 'PowerShell is not available here.' };
  if (r.kind === 'timeout')
    return { outcome: 'failed', message: 'The administrator prompt got no answer in time.' };
  if (r.kind === 'failed') return { outcome: 'failed', message: `PowerShell could not run (${r.message}).` };
  if (r.code === 0) return { outcome: 'added' };
  if (r.code === UAC_CANCELLED || /cancell?ed by the user/i.test(r.stderr)) return { outcome: 'declined' };
  const text = r.stderr.trim().split(/\r?\n/)[0]?.slice(0, 200);
  return {
    outcome: 'failed',
    message: text
      ? `netsh did not add the rule: ${text}`
      : `netsh did not add the rule (exit code ${r.code}).`,
  };
}
