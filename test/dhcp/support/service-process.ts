// The DHCP service as a child process inside the lab's server namespace (service-runner.ts): its
// events recorded as they come, commands answered, and waits bounded in time. A restart is a new
// process on the same data folder, as after a reboot.
import { spawn, type ChildProcess } from 'node:child_process';
import type {
  DhcpDecision,
  DhcpEvent,
  DhcpLeaseView,
  DhcpServiceState,
  DhcpSettings,
} from '../../../shared/dhcp.js';
import { DHCP_DEFAULTS } from '../../../shared/dhcp.js';
import type { EngineEvent } from '../../../shared/events.js';
import { killGroup, onLines } from '../../helpers/run-process.js';
import { supportBundles } from './bundle.js';
import type { Lab } from './netns.js';
import { PREFIX_LENGTH, SERVER_ADDRESS } from './netns.js';
import type { RunnerCommand, RunnerConfig, RunnerLine } from './service-runner.js';

export interface ServiceOptions {
  settings: Partial<DhcpSettings>;
  dataDir: string;
  rivalCheckMs?: number;
  /** serve this folder over TFTP on port 69 of the server namespace too */
  tftpRoot?: string;
  /** runs the runner through this inside the namespace, e.g. setpriv as another user */
  wrap?: string[];
}

export class ServiceProcess {
  readonly events: DhcpEvent[] = [];
  /** the TFTP engine's events, when it runs (ServiceOptions.tftpRoot) */
  readonly tftpEvents: EngineEvent[] = [];
  readonly fatal: string[] = [];
  readonly stderr: string[] = [];
  private readonly replies = new Map<number, (value: unknown) => void>();
  private nextId = 1;
  readonly exited: Promise<number | null>;
  private done = false;

  private constructor(private readonly child: ChildProcess) {
    onLines(child.stdout, (text) => this.line(text));
    child.stderr?.on('data', (d: Buffer) => this.stderr.push(d.toString('utf8')));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.done = true;
        for (const resolveReply of this.replies.values()) resolveReply(undefined);
        resolve(code);
      }),
    );
  }

  /** Starts the runner (not yet the service: call start()). */
  static async spawn(lab: Lab, options: ServiceOptions): Promise<ServiceProcess> {
    const { runner } = await supportBundles();
    const settings: DhcpSettings = {
      ...DHCP_DEFAULTS,
      mode: 'provision',
      interfaceAddress: SERVER_ADDRESS.lan,
      prefixLength: PREFIX_LENGTH,
      ...options.settings,
    };
    const config: RunnerConfig = {
      settings,
      dataDir: options.dataDir,
      rivalCheckMs: options.rivalCheckMs ?? 1500,
      ...(options.tftpRoot !== undefined ? { tftpRoot: options.tftpRoot } : {}),
    };
    const child = spawn(
      lab.serverExec[0] as string,
      [...lab.serverExec.slice(1), ...(options.wrap ?? []), process.execPath, runner, JSON.stringify(config)],
      { detached: true, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    return new ServiceProcess(child);
  }

  /** Spawns and starts; throws unless the service is running. */
  static async running(lab: Lab, options: ServiceOptions): Promise<ServiceProcess> {
    const service = await ServiceProcess.spawn(lab, options);
    const state = await service.start();
    if (state.status !== 'running') {
      await service.exit();
      throw new Error(`the service did not start: ${JSON.stringify(state)}`);
    }
    return service;
  }

  start(): Promise<DhcpServiceState> {
    return this.command('start', 20_000) as Promise<DhcpServiceState>;
  }

  stop(): Promise<DhcpServiceState> {
    return this.command('stop') as Promise<DhcpServiceState>;
  }

  leases(): Promise<DhcpLeaseView[]> {
    return this.command('leases') as Promise<DhcpLeaseView[]>;
  }

  memory(): Promise<NodeJS.MemoryUsage> {
    return this.command('memory') as Promise<NodeJS.MemoryUsage>;
  }

  get alive(): boolean {
    return !this.done;
  }

  decisions(): DhcpDecision[] {
    return this.events.flatMap((e) => (e.type === 'dhcp-decision' ? [e.decision] : []));
  }

  states(): DhcpServiceState[] {
    return this.events.flatMap((e) => (e.type === 'dhcp-state' ? [e.state] : []));
  }

  /** Waits for the first decision (already seen or to come) that matches; throws after timeoutMs. */
  async decision(match: (d: DhcpDecision) => boolean, timeoutMs = 10_000): Promise<DhcpDecision> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.decisions().find(match);
      if (found) return found;
      if (Date.now() > end || this.done) throw new Error(`no such decision; seen:\n${this.story()}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** The decisions so far, one line each, for failure messages. */
  story(): string {
    const lines = this.decisions().map(
      (d) =>
        `${d.kind} ${d.mac} xid=${d.xid.toString(16)} ${d.outcome} ${d.address ?? ''} ${d.bootFile ?? ''}: ${d.reason}`,
    );
    return [...lines, ...this.tftpStory(), ...this.fatal, ...this.stderr].join('\n');
  }

  /** The TFTP transfers so far, one line per start and end. */
  private tftpStory(): string[] {
    return this.tftpEvents.flatMap((e) => {
      if (e.type === 'session-started') return [`tftp ${e.id} ${e.peer} ${e.direction} ${e.file}`];
      if (e.type === 'session-finished') return [`tftp ${e.id} finished ${e.stats.bytes} bytes`];
      if (e.type === 'session-failed') return [`tftp ${e.id} failed (${e.by}): ${e.message}`];
      if (e.type === 'log' && e.level !== 'debug') return [`tftp ${e.level}: ${e.message}`];
      return [];
    });
  }

  /** Closes stdin (the runner stops the service and exits); SIGKILL after graceMs. */
  async exit(graceMs = 5000): Promise<number | null> {
    if (this.done) return this.exited;
    this.child.stdin?.end();
    const timer = setTimeout(() => killGroup(this.child.pid, 'SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  private command(cmd: RunnerCommand['cmd'], timeoutMs = 10_000): Promise<unknown> {
    if (this.done) return Promise.reject(new Error(`the runner has exited: ${this.story()}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replies.delete(id);
        reject(new Error(`no answer to ${cmd} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.replies.set(id, (value) => {
        clearTimeout(timer);
        this.replies.delete(id);
        if (this.done && value === undefined) reject(new Error(`the runner exited: ${this.story()}`));
        else resolve(value);
      });
      this.child.stdin?.write(`${JSON.stringify({ id, cmd } satisfies RunnerCommand)}\n`);
    });
  }

  private line(text: string): void {
    if (!text.trim()) return;
    let line: RunnerLine;
    try {
      line = JSON.parse(text) as RunnerLine;
    } catch {
      this.stderr.push(text);
      return;
    }
    if (line.t === 'event') this.events.push(line.event as DhcpEvent);
    else if (line.t === 'tftp') this.tftpEvents.push(line.event as EngineEvent);
    else if (line.t === 'reply') this.replies.get(line.id)?.(line.value);
    else this.fatal.push(line.message);
  }
}
