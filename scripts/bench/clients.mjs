// Command lines of the real TFTP clients the bench drives. Only atftp can ask for windowsize
// (RFC 7440); curl and busybox are lockstep clients.
import { execFileSync } from 'node:child_process';

const HOST = '127.0.0.1';

export const CLIENTS = {
  curl: {
    get: ({ port, name, out, blksize }) => [
      'curl',
      ['-sS', '--tftp-blksize', String(blksize), '-o', out, `tftp://${HOST}:${port}/${name}`],
    ],
    put: ({ port, name, src, blksize }) => [
      'curl',
      ['-sS', '--tftp-blksize', String(blksize), '-T', src, `tftp://${HOST}:${port}/${name}`],
    ],
  },
  atftp: {
    // atftp prints this on stderr each time its retransmit timer fires: a stalled window.
    timeoutPattern: /timeout: retrying/,
    get: ({ port, name, out, blksize, windowsize = 1 }) => [
      'atftp',
      ['--option', `blksize ${blksize}`, '--option', `windowsize ${windowsize}`].concat([
        '-g',
        '-r',
        name,
        '-l',
        out,
        HOST,
        String(port),
      ]),
    ],
  },
  busybox: {
    get: ({ port, name, out, blksize }) => [
      'busybox',
      ['tftp', '-g', '-r', name, '-l', out, '-b', String(blksize), HOST, String(port)],
    ],
  },
};

/** Client binaries that are not on PATH (each is an apt package of the same name). */
export function missingClients(names) {
  return names.filter((name) => {
    try {
      execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
}
