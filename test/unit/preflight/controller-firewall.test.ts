// The Windows firewall notice through the app controller: Start succeeds, the probe runs in the
// background and its notice reaches subscribers and the snapshot; "add the rule" runs the elevated
// netsh command, then probes again. Windows' commands cannot run here: the exec layer is the
// boundary, answered with the recorded outputs of the real commands (the pattern this repo uses
// for OS tools that cannot run on this machine), and the elevated run is read back the way Windows
// reads it and played as netsh would (the new rule then appears in `show rule`). The engine is the
// fake one of the controller tests, listening where a Windows machine would ("Ethernet 2").
import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAppController, type AppController } from '../../../electron/app/controller.js';
import { createInterfaceWatcher } from '../../../electron/app/interface-watcher.js';
import type { Exec } from '../../../electron/app/preflight/exec.js';
import { createMemorySettingsStore, defaultSettings } from '../../../electron/app/settings-store.js';
import type { FirewallNotice } from '../../../shared/firewall.js';
import { fakeEngineFactory, manualTimer } from '../app-fakes.js';
import { FIREWALL_PROBE_TIMEOUT_MS } from '../../../electron/app/firewall-host.js';
import type { Timer } from '../../../electron/app/timer.js';
import { argumentListOf, decodeEncodedCommand, netshAddedRule, splitWindowsArgs } from './elevated-netsh.js';
import { recorded, WIN_PROGRAM, WINDOWS_RULES_COMMAND, windowsOutputs } from './fixture.js';

const PORT = 40069;
const OTHER_PROGRAM = 'C:\\Users\\Zoë O’Brien\\AppData\\Local\\Programs\\tftp-desk\\TFTP Desk.exe';

let base: string | undefined;
let controller: AppController | undefined;

afterEach(async () => {
  await controller?.dispose();
  controller = undefined;
  if (base !== undefined) rmSync(base, { recursive: true, force: true });
  base = undefined;
});

/** A Windows machine's commands: recorded outputs, plus netsh's rule list growing when a rule is added. */
function windowsMachine(opts: { uac?: 'yes' | 'no' } = {}) {
  const outputs = windowsOutputs();
  const calls: string[] = [];
  let rulesRead: () => void = () => undefined;
  const exec: Exec = async (file, args) => {
    if (file === 'powershell.exe' && args.includes('-EncodedCommand')) {
      calls.push('elevated');
      if (opts.uac === 'no') return { kind: 'ran', code: 1223, stdout: '', stderr: '' };
      const argv = splitWindowsArgs(argumentListOf(decodeEncodedCommand(args)));
      outputs[WINDOWS_RULES_COMMAND] += netshAddedRule(argv);
      return { kind: 'ran', code: 0, stdout: '', stderr: '' };
    }
    const r = await recorded(outputs)(file, args);
    calls.push([file, ...args].join(' '));
    if (args.includes('verbose')) setImmediate(rulesRead);
    return r;
  };
  /** resolves once the rules were read and their answer had its turn */
  const nextProbe = () => new Promise<void>((resolve) => (rulesRead = resolve));
  return { exec, calls, nextProbe };
}

function start(platform: NodeJS.Platform, exec: Exec, program: string, timer?: Timer) {
  base = mkdtempSync(join(tmpdir(), 'tftp-desk-firewall-'));
  mkdirSync(join(base, 'root'));
  const engines = fakeEngineFactory();
  controller = createAppController({
    dataDir: base,
    settings: createMemorySettingsStore({ ...defaultSettings(join(base, 'root')), port: PORT }),
    createEngine: (s) => {
      const eng = engines.create(s);
      eng.nextStart = {
        state: 'listening',
        root: s.root,
        addresses: [{ address: '192.168.0.66', port: s.port, family: 'IPv4', interface: 'Ethernet 2' }],
      };
      return eng;
    },
    platform,
    exec,
    program,
    ...(timer ? { timer } : {}),
    interfaces: createInterfaceWatcher({
      read: () => [
        {
          name: 'Ethernet 2',
          addresses: [{ address: '192.168.0.66', family: 'IPv4', prefix: 24 }],
          internal: false,
          up: true,
          isDefault: false,
        },
      ],
    }),
  });
  const notices: (FirewallNotice | null)[] = [];
  controller.on('firewall', (n) => notices.push(n));
  return { controller, notices };
}

describe('on Windows', () => {
  it('Public adapter, no rule: the notice after Start, then the rule added elevated and confirmed', async () => {
    const machine = windowsMachine();
    const { controller, notices } = start('win32', machine.exec, OTHER_PROGRAM);
    const probed = machine.nextProbe();
    expect((await controller.startServer()).state).toBe('listening');
    await probed;
    expect(notices).toHaveLength(1);
    const notice = notices[0]!;
    expect(notice).toMatchObject({ port: PORT, profile: 'public', adapter: 'Ethernet 2' });
    expect(notice.command).toBe(
      `netsh advfirewall firewall add rule name="TFTP Desk (UDP ${PORT})" dir=in action=allow protocol=UDP localport=${PORT} program="${OTHER_PROGRAM}" profile=public enable=yes`,
    );
    expect((await controller.getSnapshot()).firewall).toEqual(notice);

    const result = await controller.addFirewallRule();
    expect(result).toMatchObject({ outcome: 'added', command: notice.command, notice: null });
    expect(result.message).toContain('now lets devices reach the server');
    expect(notices).toEqual([notice, null]);
    expect(machine.calls.filter((c) => c === 'elevated')).toHaveLength(1);
    expect((await controller.getSnapshot()).firewall).toBeUndefined();
  });

  it('the administrator prompt declined: said so, the notice and its command stay', async () => {
    const machine = windowsMachine({ uac: 'no' });
    const { controller, notices } = start('win32', machine.exec, OTHER_PROGRAM);
    const probed = machine.nextProbe();
    await controller.startServer();
    await probed;
    const result = await controller.addFirewallRule();
    expect(result.outcome).toBe('declined');
    expect(result.message).toContain('administrator prompt was declined');
    expect(result.notice).toEqual(notices[0]);
    expect(notices).toHaveLength(1);
  });

  it('the prompt-made block rule on Public: the notice names it and offers no allow rule', async () => {
    const machine = windowsMachine();
    const { controller, notices } = start('win32', machine.exec, WIN_PROGRAM);
    const probed = machine.nextProbe();
    await controller.startServer();
    await probed;
    expect(notices[0]?.message).toContain('"TFTP Desk" blocks TFTP Desk');
    expect(notices[0]?.command).toBeUndefined();
    expect((await controller.addFirewallRule()).outcome).toBe('failed');
    expect(machine.calls).not.toContain('elevated');
  });

  it('Start never waits for the probe, and a probe that never answers is given up, saying nothing', async () => {
    const timer = manualTimer();
    const asked: string[] = [];
    const silent: Exec = (file) => {
      asked.push(file);
      return new Promise(() => undefined);
    };
    const { controller, notices } = start('win32', silent, OTHER_PROGRAM, timer);
    expect((await controller.startServer()).state).toBe('listening');
    expect(asked).toEqual(['powershell.exe']);
    timer.advance(FIREWALL_PROBE_TIMEOUT_MS);
    await new Promise((resolve) => setImmediate(resolve));
    expect(notices).toEqual([]);
    expect((await controller.getSnapshot()).firewall).toBeUndefined();
    expect((await controller.addFirewallRule()).message).toContain('Nothing to add');
  });

  it('a stop takes the notice away', async () => {
    const machine = windowsMachine();
    const { controller, notices } = start('win32', machine.exec, OTHER_PROGRAM);
    const probed = machine.nextProbe();
    await controller.startServer();
    await probed;
    await controller.stopServer();
    expect(notices.map((n) => n?.profile ?? null)).toEqual(['public', null]);
  });
});

it('elsewhere than Windows: no probe after Start, and adding a rule answers "only on Windows"', async () => {
  const machine = windowsMachine();
  const { controller, notices } = start('linux', machine.exec, '/usr/bin/tftp-desk');
  await controller.startServer();
  const result = await controller.addFirewallRule();
  expect(result).toEqual({
    outcome: 'unsupported',
    message: 'Adding a firewall rule is only on Windows.',
    notice: null,
  });
  expect(machine.calls).toEqual([]);
  expect(notices).toEqual([]);
});
