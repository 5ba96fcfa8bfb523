// What is measured: five run types, each a list of configurations, the servers compared and where
// server and client run. Lockstep TFTP is latency-bound and this machine has two speeds (same CPU vs
// across CPUs, ~4x apart), so every single-transfer run pins both ends explicitly.
import { measureConcurrent } from './measure-concurrent.mjs';
import { measureTransfer } from './measure-transfer.mjs';
import { MiB } from './files.mjs';

// The node:dgram floor serves lock-step downloads and uploads (no windowed uploads).
const ALL = ['tftp-desk', 'node-floor', 'tftpd-hpa', 'atftpd'];
const SAME_CPU = { server: '0', client: '0', label: 'server and client on CPU 0' };

function sizes(quick) {
  return quick
    ? { big: 4 * MiB, each: 1 * MiB, clients: 100 }
    : { big: 32 * MiB, each: 8 * MiB, clients: 100 };
}

/** `cpus` is the number of CPUs; with one CPU the split runs share it (and say so). */
export function runPlans({ quick, cpus }) {
  const size = sizes(quick);
  const split = {
    server: '0',
    client: cpus > 1 ? '1' : '0',
    label: cpus > 1 ? 'server CPU 0, client CPU 1' : 'one CPU only',
  };
  const mib = (bytes) => `${bytes / MiB} MiB`;
  const mbps = { key: 'mbps', label: 'MB/s', digits: 1 };
  return [
    {
      type: 'lockstep',
      title: `Lockstep download, ${mib(size.big)}, curl, ${SAME_CPU.label}`,
      servers: ALL,
      pin: SAME_CPU,
      files: { dl: size.big },
      configs: [512, 1468, 8192].map((blksize) => ({ label: `blksize ${blksize}`, blksize })),
      metrics: [mbps],
      measure: (server, config, ctx) =>
        measureTransfer(
          server,
          {
            direction: 'get',
            client: 'curl',
            blksize: config.blksize,
            source: ctx.files.dl,
            clientCpus: SAME_CPU.client,
          },
          ctx,
        ),
    },
    {
      type: 'windowed',
      title: `Windowed download (RFC 7440), ${mib(size.big)}, atftp, ${split.label}`,
      servers: ['tftp-desk', 'node-floor', 'atftpd'],
      pin: split,
      files: { dl: size.big },
      configs: [1468, 8192].flatMap((blksize) =>
        [1, 8, 32].map((windowsize) => ({ label: `blksize ${blksize} w${windowsize}`, blksize, windowsize })),
      ),
      // A window lost to a full socket buffer shows up as the client's retransmit timeouts.
      metrics: [mbps],
      annotations: [{ key: 'clientTimeouts', label: 'client timeouts' }],
      measure: (server, config, ctx) =>
        measureTransfer(
          server,
          { direction: 'get', client: 'atftp', ...config, source: ctx.files.dl, clientCpus: split.client },
          ctx,
        ),
    },
    {
      type: 'upload',
      title: `Upload, ${mib(size.big)}, curl -T, ${split.label}`,
      servers: ALL,
      pin: split,
      files: { up: size.big },
      configs: [{ label: 'blksize 1468', blksize: 1468 }],
      metrics: [mbps],
      measure: (server, config, ctx) =>
        measureTransfer(
          server,
          {
            direction: 'put',
            client: 'curl',
            blksize: config.blksize,
            source: ctx.files.up,
            clientCpus: split.client,
          },
          ctx,
        ),
    },
    {
      type: 'concurrent',
      title: `${size.clients} concurrent curl clients x ${mib(size.each)}, blksize 1468, unpinned, tftp-desk --max-per-client ${size.clients}`,
      servers: ALL,
      pin: { server: undefined, client: undefined, label: 'unpinned' },
      files: { each: size.each },
      // Every client comes from 127.0.0.1, so our per-address cap (a guard against one noisy host)
      // would refuse most of them; peers get the same room (atftpd --maxthread 300, tftpd-hpa forks).
      serverArgs: { 'tftp-desk': ['--max-per-client', String(size.clients)] },
      timeoutFactor: 2,
      configs: [{ label: `${size.clients} x ${mib(size.each)}`, blksize: 1468, clients: size.clients }],
      metrics: [
        { key: 'aggMBps', label: 'aggregate MB/s', digits: 1 },
        { key: 'failed', label: 'failed transfers', digits: 0, sum: true, of: 'transfers' },
        { key: 'peakRssMiB', label: 'peak RSS MiB', digits: 1, lowerIsBetter: true },
      ],
      measure: (server, config, ctx) => measureConcurrent(server, { ...config, source: ctx.files.each }, ctx),
    },
    {
      type: 'cpu',
      title: `Server CPU per MB, ${mib(size.big)} download, curl, ${SAME_CPU.label}`,
      servers: ALL,
      pin: SAME_CPU,
      files: { dl: size.big },
      configs: [{ label: 'blksize 1468', blksize: 1468 }],
      metrics: [{ key: 'cpuMsPerMB', label: 'CPU ms/MB', digits: 2, lowerIsBetter: true }, mbps],
      measure: (server, config, ctx) =>
        measureTransfer(
          server,
          {
            direction: 'get',
            client: 'curl',
            blksize: config.blksize,
            source: ctx.files.dl,
            clientCpus: SAME_CPU.client,
          },
          ctx,
        ),
    },
  ];
}
