// The elevated netsh run, as far as it can be proven off Windows: the argument building is pure,
// and each invocation is read back the way Windows reads it (base64 script -> PowerShell literal ->
// netsh's command line), so a path with spaces, apostrophes, typographic quotes, $, %, backticks or
// non-ASCII letters reaches netsh exactly as shown. The UAC prompt itself is proven only on Windows.
import { describe, expect, it } from 'vitest';
import { addRuleCommand } from '../../../electron/app/firewall-advice.js';
import {
  elevatedInvocation,
  elevationScript,
  psSingleQuoted,
  readElevation,
  UAC_CANCELLED,
} from '../../../electron/app/firewall-elevate.js';
import { argumentListOf, decodeEncodedCommand, splitWindowsArgs } from './elevated-netsh.js';

const PROGRAMS = [
  'C:\\Users\\lab\\AppData\\Local\\Programs\\tftp-desk\\TFTP Desk.exe',
  "C:\\Users\\Sean O'Brien\\AppData\\Local\\Programs\\tftp-desk\\TFTP Desk.exe",
  'C:\\Users\\Zoë O’Brien\\AppData\\Local\\Programs\\tftp-desk\\TFTP Desk.exe',
  'C:\\Users\\李雷\\AppData\\Local\\Programs\\tftp-desk\\TFTP Desk.exe',
  'D:\\Tools ‘beta’ ‚x‛\\$env:TEMP `n %USERPROFILE% (x86)\\TFTP Desk.exe',
];

describe('psSingleQuoted', () => {
  it('doubles every character PowerShell reads as a single quote, and nothing else', () => {
    expect(psSingleQuoted("it's")).toBe("'it''s'");
    expect(psSingleQuoted('O’Brien ‘x‛ ‚y')).toBe("'O’’Brien ‘‘x‛‛ ‚‚y'");
    expect(psSingleQuoted('$env:X `n "q" %P%')).toBe('\'$env:X `n "q" %P%\'');
  });
});

describe('elevatedInvocation', () => {
  it.each(PROGRAMS)('netsh receives exactly the command shown, program included: %s', (program) => {
    const command = addRuleCommand({ program, port: 69, profiles: ['public'] });
    const { file, args } = elevatedInvocation(command);
    expect(file).toBe('powershell.exe');
    // nothing of the path is on PowerShell's own command line: only flags and base64
    expect(args.every((a) => /^[-A-Za-z0-9+/=]+$/.test(a))).toBe(true);
    const script = decodeEncodedCommand(args);
    expect(script).toContain("Start-Process -FilePath 'netsh' -ArgumentList '");
    expect(script).toContain('-Verb RunAs -Wait -WindowStyle Hidden -PassThru');
    const line = argumentListOf(script);
    expect(`netsh ${line}`).toBe(command);
    const argv = splitWindowsArgs(line);
    expect(argv).toContain(`program=${program}`);
    expect(argv).toContain('name=TFTP Desk (UDP 69)');
    expect(argv.slice(0, 4)).toEqual(['advfirewall', 'firewall', 'add', 'rule']);
  });

  it('runs only netsh, and never a command with a line break in it', () => {
    expect(() => elevationScript('cmd /c del x')).toThrow('Only a netsh command');
    expect(() => elevationScript('netsh advfirewall firewall add rule name="a"\r\ncalc')).toThrow(
      'control character',
    );
  });

  it('a path holding a double quote is refused before anything runs (it cannot be a Windows path)', () => {
    expect(() => addRuleCommand({ program: 'C:\\a"b.exe', port: 69, profiles: ['public'] })).toThrow(
      'not a Windows path',
    );
  });
});

describe('readElevation', () => {
  it('exit 0 is added; ERROR_CANCELLED or the cancel text is declined; the rest fails with its words', () => {
    expect(readElevation({ kind: 'ran', code: 0, stdout: '', stderr: '' })).toEqual({ outcome: 'added' });
    expect(readElevation({ kind: 'ran', code: UAC_CANCELLED, stdout: '', stderr: '' })).toEqual({
      outcome: 'declined',
    });
    expect(
      readElevation({
        kind: 'ran',
        code: 1,
        stdout: '',
        stderr: 'This command cannot be run due to the error: The operation was canceled by the user.\r\n',
      }),
    ).toEqual({ outcome: 'declined' });
    expect(
      readElevation({ kind: 'ran', code: 1, stdout: '', stderr: 'The parameter is incorrect.\r\n' }),
    ).toEqual({
      outcome: 'failed',
      message: 'netsh did not add the rule: The parameter is incorrect.',
    });
    expect(readElevation({ kind: 'ran', code: 5, stdout: '', stderr: '' })).toEqual({
      outcome: 'failed',
      message: 'netsh did not add the rule (exit code 5).',
    });
    expect(readElevation({ kind: 'missing', command: 'powershell.exe' })).toMatchObject({
      outcome: 'failed',
    });
    expect(readElevation({ kind: 'timeout', command: 'powershell.exe' })).toMatchObject({
      outcome: 'failed',
      message: 'The administrator prompt got no answer in time.',
    });
  });
});
