// The app controller as a child process inside the lab's server namespace (app-runner.ts): its
// pushed events recorded as they come, contract calls answered, waits bounded in time. A restart is
// a new process on the same data folder, as after quitting and opening the app again.
import { spawn, type ChildProcess } from 'node:child_process';
import type { EventChannels, TftpInvoke } from '../../../shared/ipc-contract.js';
import { killGroup, onLines } from '../../helpers/run-process.js';
import type { AppCall, AppLine } from './app-runner.js';
import { supportBundles } from './bundle.js';
import type { Lab } from './netns.js';

type Promised<F> = F extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : never;

export class AppProcess {
  readonly events: { channel: keyof EventChannels; payload: unknown }[] = [];
  readonly stderr: string[] = [];
  private readonly replies = new Map<number, (line: { value?: unknown; error?: string }) => void>();
  private nextId = 1;
  private done = false;
  readonly exited: Promise<number | null>;

  private constructor(private readonly child: ChildProcess) {
    onLines(child.stdout, (text) => this.line(text));
    child.stderr?.on('data', (d: Buffer) => this.stderr.push(d.toString('utf8')));
    this.exited = new Promise((resolve) =>
      child.once('exit', (code) => {
        this.done = true;
        for (const reply of this.replies.values()) reply({ error: 'the app runner exited' });
        resolve(code);
      }),
    );
  }

  static async spawn(lab: Lab, options: { dataDir: string; rivalCheckMs?: number }): Promise<AppProcess> {
    const { app: script } = await supportBundles();
    const config = { dataDir: options.dataDir, rivalCheckMs: options.rivalCheckMs ?? 1500 };
    const child = spawn(
      lab.serverExec[0] as string,
      [...lab.serverExec.slice(1), process.execPath, script, JSON.stringify(config)],
      { detached: true, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    return new AppProcess(child);
  }

  /** Calls a method of the contract on the controller. */
  call<K extends keyof TftpInvoke>(
    method: K,
    ...args: Parameters<TftpInvoke[K]>
  ): ReturnType<Promised<TftpInvoke[K]>> {
    return this.send(method, args, method === 'startDhcp' ? 20_000 : 10_000) as ReturnType<
      Promised<TftpInvoke[K]>
    >;
  }

  /** The payloads pushed on a channel so far. */
  pushed<K extends keyof EventChannels>(channel: K): EventChannels[K][] {
    return this.events.filter((e) => e.channel === channel).map((e) => e.payload as EventChannels[K]);
  }

  /** Waits for a push on the channel (already seen or to come) that matches; throws after timeoutMs. */
  async waitFor<K extends keyof EventChannels>(
    channel: K,
    match: (payload: EventChannels[K]) => boolean,
    timeoutMs = 10_000,
  ): Promise<EventChannels[K]> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const found = this.pushed(channel).find(match);
      if (found !== undefined) return found;
      if (Date.now() > end || this.done)
        throw new Error(`no such ${channel} push; seen:\n${JSON.stringify(this.events).slice(-4000)}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }

  /** Closes stdin (the runner disposes of the controller and exits); SIGKILL after graceMs. */
  async exit(graceMs = 5000): Promise<number | null> {
    if (this.done) return this.exited;
    this.child.stdin?.end();
    const timer = setTimeout(() => killGroup(this.child.pid, 'SIGKILL'), graceMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }

  private send(method: keyof TftpInvoke, args: unknown[], timeoutMs: number): Promise<unknown> {
    if (this.done) return Promise.reject(new Error(`the app runner has exited: ${this.stderr.join('')}`));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.replies.delete(id);
        reject(new Error(`no answer to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.replies.set(id, (line) => {
        clearTimeout(timer);
        this.replies.delete(id);
        if (line.error !== undefined) reject(new Error(`${line.error}\n${this.stderr.join('')}`));
        else resolve(line.value);
      });
      this.child.stdin?.write(`${JSON.stringify({ id, method, args } satisfies AppCall)}\n`);
    });
  }

  private line(text: string): void {
    if (!text.trim()) return;
    let line: AppLine;
    try {
      line = JSON.parse(text) as AppLine;
    } catch {
      this.stderr.push(text);
      return;
    }
    if (line.t === 'event')
      this.events.push({ channel: line.channel as keyof EventChannels, payload: line.payload });
    else if (line.t === 'reply') this.replies.get(line.id)?.(line);
    else this.stderr.push(line.message);
  }
}
