// Real TFTP clients (curl, busybox tftp) run against the server on loopback.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';

export interface ClientResult {
  code: number | null;
  stderr: string;
}

export function run(cmd: string, args: string[], timeoutMs = 60_000): Promise<ClientResult> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

export function curlGet(port: number, name: string, out: string, blksize?: number): Promise<ClientResult> {
  const args = ['-sS', '-o', out, `tftp://127.0.0.1:${port}/${name}`];
  if (blksize !== undefined) args.unshift('--tftp-blksize', String(blksize));
  return run('curl', args);
}

export function curlPut(port: number, localFile: string, remoteName: string): Promise<ClientResult> {
  return run('curl', ['-sS', '-T', localFile, `tftp://127.0.0.1:${port}/${remoteName}`]);
}

export function busyboxGet(port: number, name: string, out: string, blksize = 512): Promise<ClientResult> {
  return run('busybox', [
    'tftp',
    '-g',
    '-b',
    String(blksize),
    '-r',
    name,
    '-l',
    out,
    '127.0.0.1',
    String(port),
  ]);
}

/** Writes `size` random bytes and returns their SHA-256. */
export async function randomFile(path: string, size: number): Promise<string> {
  const data = randomBytes(size);
  await writeFile(path, data);
  return createHash('sha256').update(data).digest('hex');
}

export async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}
