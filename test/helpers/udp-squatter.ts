// Another process holding a UDP port: a child node that binds it and says "ready". Run through a
// prefix (`ip netns exec NS`) to hold a port inside a namespace. The pre-flight tests need a
// holder that is not the test process itself, as a rival TFTP server would be.
import { spawn, type ChildProcess } from 'node:child_process';
import { onLines } from './run-process.js';

export interface Squatter {
  readonly pid: number;
  stop(): Promise<void>;
}

const SCRIPT =
  "const s=require('node:dgram').createSocket('udp4');" +
  "s.on('error',e=>{console.log('error '+e.code);process.exit(1)});" +
  's.bind(Number(process.argv[1]),process.argv[2],()=>console.log("ready"));' +
  'setTimeout(()=>process.exit(0),120000);';

export function squatUdp(
  port: number,
  address = '0.0.0.0',
  prefix: readonly string[] = [],
): Promise<Squatter> {
  const argv = [...prefix, process.execPath, '-e', SCRIPT, String(port), address];
  const child: ChildProcess = spawn(argv[0] as string, argv.slice(1), {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('the squatter did not start'));
    }, 10_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the squatter exited (${code})`));
    });
    onLines(child.stdout, (line) => {
      if (line !== 'ready') return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve({
        pid: child.pid as number,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill();
          }),
      });
    });
  });
}
