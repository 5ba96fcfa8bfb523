// The real thing, on a real Windows only: the probe's commands run, the rule is added through the
// elevated path the app uses (PowerShell Start-Process -Verb RunAs -> netsh), the probe then finds
// it for this program and port, and it is deleted again. It runs on CI's windows-latest runner,
// whose administrator elevates without a prompt (the runner image sets ConsentPromptBehaviorAdmin
// to 0); on a person's machine it would raise the UAC prompt, so it runs only where CI is set.
// Everywhere else it skips: the recorded-output tests beside it cover the same code off Windows.
import { describe, expect, it } from 'vitest';
import {
  addRuleCommand,
  deleteRuleCommand,
  firewallRuleName,
} from '../../../electron/app/firewall-advice.js';
import { elevatedInvocation, readElevation } from '../../../electron/app/firewall-elevate.js';
import { firewallNotice } from '../../../electron/app/firewall-notice.js';
import { createExec } from '../../../electron/app/preflight/exec.js';
import { readWindowsFirewall } from '../../../electron/app/preflight/firewall-windows.js';

const REAL_WINDOWS = process.platform === 'win32' && Boolean(process.env.CI);

describe.runIf(REAL_WINDOWS)('Windows Firewall for real (CI on windows-latest)', () => {
  it('reads the firewall, adds the rule elevated, finds it with the probe, deletes it', async () => {
    const exec = createExec(60_000);
    const program = process.execPath;
    // a port of its own per run, so a rule left by a cancelled run never answers for this one
    const port = 40_000 + (process.pid % 10_000);
    const before = await readWindowsFirewall(exec);
    expect(Array.isArray(before.rules)).toBe(true);
    expect(Object.keys(before.states).sort()).toEqual(['domain', 'private', 'public']);

    const add = elevatedInvocation(
      addRuleCommand({ program, port, profiles: ['domain', 'private', 'public'] }),
    );
    try {
      expect(readElevation(await exec(add.file, add.args))).toEqual({ outcome: 'added' });
      const after = await readWindowsFirewall(exec);
      const rules = Array.isArray(after.rules) ? after.rules : [];
      const ours = rules.find((r) => r.name === firewallRuleName(port));
      expect(ours).toMatchObject({
        enabled: true,
        protocol: 'UDP',
        localPort: String(port),
        action: 'allow',
      });
      expect(ours?.program.toLowerCase()).toBe(program.toLowerCase());
      expect(firewallNotice(after, { program, port, adapters: 'all' })).toBeNull();
    } finally {
      const del = elevatedInvocation(deleteRuleCommand(port));
      expect(await exec(del.file, del.args)).toMatchObject({ kind: 'ran', code: 0 });
    }
  }, 180_000);
});
