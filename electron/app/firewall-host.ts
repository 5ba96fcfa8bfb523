// The Windows firewall around the running server, as the controller offers it: after each Start the
// probe runs once in the background (bounded; Start never waits for it) and its notice goes to the
// UI; "add the rule" runs the notice's netsh command elevated, then probes again to confirm.
// Elsewhere than Windows it does nothing, and adding a rule answers that it is for Windows only.
import type { ServerState } from '../../shared/events.js';
import type { AddFirewallRuleResult, FirewallNotice } from '../../shared/firewall.js';
import type { NetInterface } from '../../shared/ipc-contract.js';
import { elevatedInvocation, readElevation } from './firewall-elevate.js';
import { firewallNotice, listeningAdapters } from './firewall-notice.js';
import type { Exec } from './preflight/exec.js';
import { readWindowsFirewall } from './preflight/firewall-windows.js';
import type { Timer } from './timer.js';

export const FIREWALL_PROBE_TIMEOUT_MS = 20_000;

export interface FirewallHostDeps {
  platform: string;
  /** the running program (what a rule names) */
  program: string;
  /** runs the probe's commands */
  exec: Exec;
  /** runs the elevated command (a longer deadline: the user reads the prompt) */
  elevate: Exec;
  interfaces(): readonly NetInterface[];
  emit(notice: FirewallNotice | null): void;
  timer: Timer;
  probeTimeoutMs?: number;
}

export interface FirewallHost {
  /** every server state the UIs see passes here */
  serverChanged(state: ServerState): void;
  current(): FirewallNotice | null;
  addRule(): Promise<AddFirewallRuleResult>;
  /** resolves when the probe under way (if any) has ended: for tests and clean shutdown */
  idle(): Promise<void>;
  dispose(): void;
}

export function createFirewallHost(deps: FirewallHostDeps): FirewallHost {
  const windows = deps.platform === 'win32';
  let notice: FirewallNotice | null = null;
  let listening: Extract<ServerState, { state: 'listening' }> | null = null;
  let generation = 0;
  let probing: Promise<void> = Promise.resolve();
  let adding: Promise<AddFirewallRuleResult> | null = null;
  let disposed = false;

  function set(next: FirewallNotice | null): void {
    if (JSON.stringify(next) === JSON.stringify(notice)) return;
    notice = next;
    deps.emit(next);
  }

  /** The notice for the listening server now; undefined when the probe could not finish in time. */
  function probe(
    state: Extract<ServerState, { state: 'listening' }>,
  ): Promise<FirewallNotice | null | undefined> {
    const port = state.addresses[0]?.port;
    if (port === undefined) return Promise.resolve(null);
    const adapters = listeningAdapters(state.addresses, deps.interfaces());
    if (adapters !== 'all' && adapters.length === 0) return Promise.resolve(null);
    return new Promise((resolve) => {
      const handle = deps.timer.setTimeout(
        () => resolve(undefined),
        deps.probeTimeoutMs ?? FIREWALL_PROBE_TIMEOUT_MS,
      );
      readWindowsFirewall(deps.exec).then(
        (reading) => {
          deps.timer.clearTimeout(handle);
          resolve(firewallNotice(reading, { program: deps.program, port, adapters }));
        },
        () => {
          deps.timer.clearTimeout(handle);
          resolve(undefined);
        },
      );
    });
  }

  function serverChanged(state: ServerState): void {
    if (!windows || disposed) return;
    if (state.state !== 'listening') {
      if (state.state === 'starting') return;
      generation++;
      listening = null;
      set(null);
      return;
    }
    if (JSON.stringify(state) === JSON.stringify(listening)) return;
    listening = state;
    const mine = ++generation;
    probing = probe(state).then((found) => {
      // a later start or a stop made this answer stale; a probe that timed out says nothing
      if (mine === generation && !disposed && found !== undefined) set(found);
    });
  }

  async function addNow(): Promise<AddFirewallRuleResult> {
    const command = notice?.command;
    if (command === undefined)
      return {
        outcome: 'failed',
        message: notice
          ? 'An allow rule would not help here: remove the rule that blocks TFTP Desk (see above).'
          : 'Nothing to add: the last check found no missing firewall rule for the running server.',
        notice,
      };
    let invocation: { file: string; args: string[] };
    try {
      invocation = elevatedInvocation(command);
    } catch (err) {
      return { outcome: 'failed', message: (err as Error).message, command, notice };
    }
    const ran = readElevation(await deps.elevate(invocation.file, invocation.args));
    if (ran.outcome === 'declined')
      return {
        outcome: 'declined',
        message:
          'No rule was added: the administrator prompt was declined. You can run the command yourself in a Command Prompt opened as administrator.',
        command,
        notice,
      };
    if (ran.outcome === 'failed') return { outcome: 'failed', message: ran.message, command, notice };
    // confirm: the same probe as after Start, on the server as it is now
    const state = listening;
    const mine = generation;
    const after = state ? await probe(state) : null;
    if (after !== undefined && mine === generation && !disposed) set(after);
    const now = after === undefined ? notice : after;
    return {
      outcome: 'added',
      message:
        after === undefined
          ? 'The rule was added; checking it again took too long.'
          : now === null
            ? 'The rule was added. Checked again: Windows Firewall now lets devices reach the server.'
            : `The rule was added, but checked again the firewall is still in the way: ${now.message}`,
      command,
      notice: now,
    };
  }

  return {
    serverChanged,
    current: () => notice,
    async addRule() {
      if (!windows)
        return {
          outcome: 'unsupported',
          message: 'Adding a firewall rule is only on Windows.',
          notice: null,
        };
      adding ??= addNow().finally(() => (adding = null));
      return adding;
    },
    idle: () => probing,
    dispose() {
      disposed = true;
      generation++;
    },
  };
}
