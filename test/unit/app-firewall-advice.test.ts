// The Windows firewall advice: the words a user reads and the exact netsh commands, as pure data.
import { describe, expect, it } from 'vitest';
import {
  addRuleCommand,
  deleteRuleCommand,
  firewallAdvice,
  firewallRuleName,
} from '../../electron/app/firewall-advice.js';

const PROGRAM = 'C:\\Users\\me\\AppData\\Local\\Programs\\tftp-desk\\tftp-desk.exe';

describe('addRuleCommand', () => {
  it('admits UDP on the port for the app only, on the profiles asked for, in a fixed order', () => {
    expect(addRuleCommand({ program: PROGRAM, port: 69, profiles: ['public', 'private'] })).toBe(
      'netsh advfirewall firewall add rule name="TFTP Desk (UDP 69)" dir=in action=allow protocol=UDP ' +
        `localport=69 program="${PROGRAM}" profile=private,public enable=yes`,
    );
  });

  it('refuses what cannot be a rule: no profile, a bad port, a quote in the path', () => {
    expect(() => addRuleCommand({ program: PROGRAM, port: 69, profiles: [] })).toThrow(/profile/);
    expect(() => addRuleCommand({ program: PROGRAM, port: 0, profiles: ['private'] })).toThrow(/port/);
    expect(() => addRuleCommand({ program: PROGRAM, port: 65536, profiles: ['private'] })).toThrow(/port/);
    expect(() => addRuleCommand({ program: 'C:\\a" & calc & "', port: 69, profiles: ['private'] })).toThrow(
      /not a Windows path/,
    );
  });

  it('is undone by deleting the rule of the same name', () => {
    expect(firewallRuleName(6969)).toBe('TFTP Desk (UDP 6969)');
    expect(deleteRuleCommand(6969)).toBe(
      'netsh advfirewall firewall delete rule name="TFTP Desk (UDP 6969)"',
    );
  });
});

describe('firewallAdvice', () => {
  it('says nothing when a rule already admits the port', () => {
    expect(
      firewallAdvice({ program: PROGRAM, port: 69, adapterProfile: 'public', ruleAllows: true }),
    ).toBeNull();
  });

  it('explains a Public network in plain words, with both ways out', () => {
    const advice = firewallAdvice({
      program: PROGRAM,
      port: 69,
      adapterProfile: 'public',
      ruleAllows: false,
    });
    expect(advice?.message).toMatch(
      /^The server is running, but Windows Firewall drops requests on this network/,
    );
    expect(advice?.message).toContain('Windows marks it Public');
    expect(advice?.message).toContain('Mark the network Private');
    expect(advice?.command).toContain('profile=public enable=yes');
    expect(advice?.undo).toBe('netsh advfirewall firewall delete rule name="TFTP Desk (UDP 69)"');
  });

  it('asks for a rule on the adapter’s own profile on a Private or Domain network', () => {
    const advice = firewallAdvice({
      program: PROGRAM,
      port: 6969,
      adapterProfile: 'domain',
      ruleAllows: false,
    });
    expect(advice?.message).toContain('on this Domain network');
    expect(advice?.message).not.toContain('Mark the network Private');
    expect(advice?.command).toContain('localport=6969');
    expect(advice?.command).toContain('profile=domain enable=yes');
  });
});
