// macOS: the application firewall's global state and block-all setting (socketfilterfw).
import type { PreflightCheck } from '../../../shared/preflight.js';
import { whyNot, type Exec } from './exec.js';
import { combine, type FirewallInput } from './firewall-finding.js';
import { parseBlockAll, parseGlobalState } from './mac-firewall-parse.js';

export async function mac(input: FirewallInput, exec: Exec): Promise<PreflightCheck> {
  const tool = '/usr/libexec/ApplicationFirewall/socketfilterfw';
  const g = await exec(tool, ['--getglobalstate']);
  const state = g.kind === 'ran' ? parseGlobalState(g.stdout) : undefined;
  if (!state)
    return combine(
      [],
      [`the application firewall (${whyNot(g) ?? 'unexpected answer from socketfilterfw'})`],
      tool,
    );
  if (!state.enabled)
    return combine(
      [{ status: 'ok', text: 'The macOS application firewall is off.' }],
      [],
      `${tool} --getglobalstate`,
    );
  const b = await exec(tool, ['--getblockall']);
  const blockAll = state.blockAll || (b.kind === 'ran' ? parseBlockAll(b.stdout) === true : false);
  if (blockAll)
    return combine(
      [
        {
          status: 'problem',
          text: 'The macOS firewall blocks all incoming connections.',
          fix: 'Turn off "Block all incoming connections" (System Settings, Network, Firewall, Options).',
          command: `sudo ${tool} --setblockall off`,
        },
      ],
      [],
      `${tool} --getglobalstate, --getblockall`,
    );
  return combine(
    [
      {
        status: 'warning',
        text: 'The macOS firewall is on: it asks once whether TFTP Desk may accept incoming connections, and a "Deny" then drops every request silently.',
        fix: 'Allow TFTP Desk (System Settings, Network, Firewall, Options), or from Terminal:',
        command: `sudo ${tool} --add "${input.program}" && sudo ${tool} --unblockapp "${input.program}"`,
      },
    ],
    [],
    `${tool} --getglobalstate, --getblockall`,
  );
}
