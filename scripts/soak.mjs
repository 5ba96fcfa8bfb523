#!/usr/bin/env node
// `npm run soak`: a few thousand mixed transfers (downloads and uploads by curl, busybox, atftp and
// tftp-hpa, several at once) against the CLI server, every one checked by SHA-256. As root with
// `ip` and `nft` the server and the clients run in a network namespace with light random UDP loss;
// otherwise on plain loopback. Prints the server's RSS and open descriptors at start and end.
// Bounded in count and time. Not part of CI.
//
// Flags: --transfers N (3000)  --minutes M (15)  --workers N (4)  --loss PERCENT (1)  --no-netns
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const flag = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const opts = {
  transfers: flag('transfers', 3000),
  minutes: flag('minutes', 15),
  workers: flag('workers', 4),
  loss: flag('loss', 1),
  netns: !process.argv.includes('--no-netns'),
};
const has = (cmd) => spawnSync('sh', ['-c', 'command -v "$1"', 'sh', cmd]).status === 0;
const sha = (buf) => createHash('sha256').update(buf).digest('hex');
const useNetns = opts.netns && process.getuid?.() === 0 && has('ip') && has('nft');
const ns = useNetns ? `tftpdesk-soak-${randomBytes(3).toString('hex')}` : undefined;
const inNs = (argv) => (ns ? ['ip', 'netns', 'exec', ns, ...argv] : argv);

const root = mkdtempSync(join(tmpdir(), 'tftp-desk-soak-root-'));
const scratch = mkdtempSync(join(tmpdir(), 'tftp-desk-soak-'));
const files = { 'small.bin': 1000, 'block.bin': 512 * 8, 'mid.bin': 64 * 1024, 'big.bin': 1024 * 1024 };
const hashes = {};
for (const [name, size] of Object.entries(files)) {
  const bytes = randomBytes(size);
  writeFileSync(join(root, name), bytes);
  writeFileSync(join(scratch, `src-${name}`), bytes);
  hashes[name] = sha(bytes);
}

function sh(argv, input) {
  const r = spawnSync(argv[0], argv.slice(1), { input, timeout: 10_000 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
}

let server;
let sampler;
function cleanup() {
  clearInterval(sampler);
  if (server && server.exitCode === null) server.kill('SIGKILL');
  if (ns) spawnSync('ip', ['netns', 'del', ns]);
  rmSync(root, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
}
process.once('SIGINT', () => {
  cleanup();
  process.exit(130);
});

const port = 20_000 + Math.floor(Math.random() * 40_000);
const H = '127.0.0.1';
// [label, argv(remote, local), upload?]
const kinds = [
  ['curl get', (r, l) => ['curl', '-sS', '-o', l, `tftp://${H}:${port}/${r}`], false],
  ['curl put', (r, l) => ['curl', '-sS', '-T', l, `tftp://${H}:${port}/${r}`], true],
  ['busybox get', (r, l) => ['busybox', 'tftp', '-g', '-r', r, '-l', l, H, String(port)], false],
  ['busybox put', (r, l) => ['busybox', 'tftp', '-p', '-r', r, '-l', l, H, String(port)], true],
  ['atftp get', (r, l) => ['atftp', '-g', '-r', r, '-l', l, H, String(port)], false],
  [
    'atftp get w8',
    (r, l) => ['atftp', '--option', 'windowsize 8', '-g', '-r', r, '-l', l, H, String(port)],
    false,
  ],
  ['atftp put', (r, l) => ['atftp', '-p', '-r', r, '-l', l, H, String(port)], true],
  // No -4: tftp-hpa then asks getaddrinfo for AF_INET with AI_ADDRCONFIG, which finds no IPv4
  // address (loopback does not count) in the namespace and fails even for a literal address.
  ['tftp-hpa get', (r, l) => ['tftp', '-m', 'octet', H, String(port), '-c', 'get', r, l], false],
].filter(([, argv]) => has(argv('x', 'y')[0]));

function run(argv, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stderr = '';
    child.stdout.on('data', (d) => (stderr += d)); // tftp-hpa reports failures on stdout
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => process.kill(-child.pid, 'SIGKILL'), timeoutMs);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

function procStats(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return {
      rssMb: Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024,
      fds: readdirSync(`/proc/${pid}/fd`).length,
    };
  } catch {
    return { rssMb: 0, fds: 0 }; // the server has gone: reported as zero
  }
}
const fmt = (s) => `RSS ${s.rssMb.toFixed(1)} MB, ${s.fds} open fds`;

try {
  if (ns) {
    sh(['ip', 'netns', 'add', ns]);
    sh(inNs(['ip', 'link', 'set', 'lo', 'up']));
    const rule = `meta l4proto udp numgen random mod 100 < ${opts.loss} drop`;
    const table = [
      'table inet soak {',
      ' chain input {',
      '  type filter hook input priority 0;',
      `  ${rule}`,
      ' }',
      '}',
    ];
    sh(inNs(['nft', '-f', '-']), table.join('\n'));
  }
  const cli = [process.execPath, join(repo, 'bin/tftp-desk.js'), 'serve', '--root', root];
  const serverArgv = inNs([...cli, '--host', H, '--port', String(port), '--uploads', 'overwrite', '--json']);
  server = spawn(serverArgv[0], serverArgv.slice(1), { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    server.stdout.on('data', (d) => String(d).includes('"listening"') && resolve());
    server.once('exit', () => reject(new Error('the server exited at start')));
  });
  server.stdout.resume();
  const where = ns ? `namespace ${ns}, ${opts.loss} % UDP loss` : 'plain loopback (no root, ip or nft)';
  console.log(
    `soak: ${opts.transfers} transfers, ${opts.workers} at a time, ${kinds.length} client kinds, ${where}`,
  );
  const start = procStats(server.pid);
  console.log(`server at start: ${fmt(start)}`);
  let peak = start;
  sampler = setInterval(() => {
    const s = procStats(server.pid);
    peak = { rssMb: Math.max(peak.rssMb, s.rssMb), fds: Math.max(peak.fds, s.fds) };
  }, 1000);
  const deadline = Date.now() + opts.minutes * 60_000;
  const tally = new Map();
  let next = 0;
  const worker = async (w) => {
    while (next < opts.transfers && Date.now() < deadline) {
      const n = next++;
      const [label, argv, upload] = kinds[n % kinds.length];
      const name = Object.keys(files)[Math.floor(n / kinds.length) % 4];
      const remote = upload ? `up-${n}-${name}` : name;
      const local = upload ? join(scratch, `src-${name}`) : join(scratch, `got-${w}.bin`);
      // A file left by this worker's previous download must not pass for this one.
      if (!upload) rmSync(local, { force: true });
      const r = await run(inNs(argv(remote, local)), 120_000);
      let got;
      try {
        got = r.code === 0 ? readFileSync(upload ? join(root, remote) : local) : undefined;
      } catch {
        got = undefined; // tftp-hpa exits 0 even when it got nothing
      }
      const ok = got !== undefined && sha(got) === hashes[name];
      if (upload) rmSync(join(root, remote), { force: true });
      const t = tally.get(label) ?? { ok: 0, failed: 0, why: new Set() };
      t[ok ? 'ok' : 'failed']++;
      if (!ok)
        t.why.add(
          `exit ${r.code}${got ? ', bytes differ' : ''}: ${r.stderr.trim().split('\n').at(-1) ?? ''}`,
        );
      tally.set(label, t);
      if ((n + 1) % 250 === 0) console.log(`  ${n + 1} transfers, server ${fmt(procStats(server.pid))}`);
    }
  };
  const began = Date.now();
  await Promise.all(Array.from({ length: opts.workers }, (_, w) => worker(w)));
  clearInterval(sampler);
  await new Promise((r) => setTimeout(r, 3000)); // let the last sessions dally and close
  const end = procStats(server.pid);
  let failures = 0;
  for (const [label, t] of tally) {
    failures += t.failed;
    console.log(
      `  ${label.padEnd(14)} ${t.ok} ok, ${t.failed} failed${t.why.size ? `: ${[...t.why].slice(0, 3).join('; ')}` : ''}`,
    );
  }
  console.log(`${next} transfers in ${((Date.now() - began) / 1000).toFixed(0)} s`);
  console.log(`server at start: ${fmt(start)}\nserver at end:   ${fmt(end)}\nserver peak:     ${fmt(peak)}`);
  process.exitCode = failures === 0 ? 0 : 1;
} catch (err) {
  console.error(`soak: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  cleanup();
}
