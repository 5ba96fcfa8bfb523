#!/usr/bin/env node
// `npm run bench:ui`: N concurrent TFTP downloads (curl, loopback) against `tftp-desk serve --ui`,
// with the UI open in Chromium. Reports the WebSocket messages per second the page received, the
// page's long tasks and its main-thread time, against the goals: 200 sessions, <= ~10 msgs/s,
// no long task over 50 ms. Flags: --clients N (200), --size BYTES (2000000), --blksize N (512),
// --strict (exit 1 when a goal is missed). Bounded: every client and the whole run have timeouts.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

/* global window, document, PerformanceObserver -- these run inside the page */

const GOAL = { sessions: 200, msgsPerSecond: 10, longTaskMs: 50 };
const RUN_LIMIT_MS = 180_000;
const repo = join(dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    clients: { type: 'string', default: '200' },
    size: { type: 'string', default: '2000000' },
    blksize: { type: 'string', default: '512' },
    strict: { type: 'boolean', default: false },
  },
});
const clients = Math.min(1000, Math.max(1, Number(values.clients)));
const size = Math.max(1, Number(values.size));
const blksize = Number(values.blksize);

const freePort = (kind) =>
  new Promise((resolve, reject) => {
    if (kind === 'udp') {
      const s = createSocket('udp4');
      s.once('error', reject);
      s.bind(0, '127.0.0.1', () => {
        const { port } = s.address();
        s.close(() => resolve(port));
      });
    } else {
      const s = createServer();
      s.once('error', reject);
      s.listen(0, '127.0.0.1', () => {
        const { port } = s.address();
        s.close(() => resolve(port));
      });
    }
  });

const root = mkdtempSync(join(tmpdir(), 'tftp-desk-bench-ui-'));
writeFileSync(join(root, 'image.bin'), randomBytes(size));
const port = await freePort('udp');
const uiPort = await freePort('tcp');
const server = spawn(
  process.execPath,
  ['bin/tftp-desk.js', 'serve', '--root', root, '--host', '127.0.0.1', '--port', String(port)]
    .concat(['--max-sessions', String(clients + 10), '--max-per-client', String(clients + 10)])
    .concat(['--ui', '--ui-port', String(uiPort)]),
  { cwd: repo, stdio: ['ignore', 'pipe', 'inherit'] },
);
const curls = new Set();
let browser;

async function cleanup() {
  for (const c of curls) c.kill('SIGKILL');
  await browser?.close().catch(() => undefined);
  server.kill('SIGTERM');
  rmSync(root, { recursive: true, force: true });
}
const overall = setTimeout(() => {
  console.error('bench:ui: the run took too long; stopping.');
  void cleanup().then(() => process.exit(1));
}, RUN_LIMIT_MS);

const url = await new Promise((resolve, reject) => {
  let out = '';
  const timer = setTimeout(() => reject(new Error(`no UI URL from tftp-desk:\n${out}`)), 15_000);
  server.stdout.on('data', (d) => {
    out += d.toString();
    const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=\w+)/.exec(out);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  server.once('exit', (code) => reject(new Error(`tftp-desk exited (${code}):\n${out}`)));
});

browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
// Every long task from the first script on.
await page.addInitScript(() => {
  const w = window;
  w.benchLongTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.benchLongTasks.push(e.duration);
  }).observe({ type: 'longtask' });
});
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
// WebSocket frames as the network stack received them (not when a busy page got round to them).
await cdp.send('Network.enable');
let frameTimes = null;
const frameKinds = {};
cdp.on('Network.webSocketFrameReceived', (e) => {
  if (frameTimes === null) return;
  frameTimes.push(e.timestamp * 1000);
  let kind = 'other';
  try {
    const msg = JSON.parse(e.response.payloadData);
    kind = msg.push ?? 'response';
  } catch {
    // not JSON
  }
  frameKinds[kind] = (frameKinds[kind] ?? 0) + 1;
});
await page.goto(url);
await page.getByText(`Listening on 127.0.0.1:${port}`).waitFor({ timeout: 15_000 });
await page.waitForTimeout(1000);

const metric = async (name) =>
  (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === name)?.value ?? 0;
const METRICS = ['ScriptDuration', 'TaskDuration', 'LayoutDuration', 'RecalcStyleDuration'];
const metrics = async () =>
  Object.fromEntries(await Promise.all(METRICS.map(async (m) => [m, await metric(m)])));
// CPU seconds of the page's renderer process: unlike task durations, not inflated when other
// processes compete for the cores.
const browserCdp = await browser.newBrowserCDPSession();
const rendererCpu = async () =>
  (await browserCdp.send('SystemInfo.getProcessInfo')).processInfo
    .filter((p) => p.type === 'renderer')
    .reduce((sum, p) => sum + p.cpuTime, 0);
const before = await metrics();
const cpuBefore = await rendererCpu();
await page.evaluate(() => {
  window.benchLongTasks = [];
});
frameTimes = [];

const started = Date.now();
const samples = [];
const sampler = setInterval(() => {
  void page
    .evaluate(() => ({
      live: Number(document.querySelector('[data-testid="live-count"]')?.textContent ?? 0),
    }))
    .then(({ live }) => samples.push({ t: Date.now() - started, live }))
    .catch(() => undefined);
}, 1000);

let failures = 0;
const runs = [];
for (let i = 0; i < clients; i++) {
  const c = spawn('curl', [
    '-s',
    '--tftp-blksize',
    String(blksize),
    '-o',
    '/dev/null',
    `tftp://127.0.0.1:${port}/image.bin`,
  ]);
  curls.add(c);
  const kill = setTimeout(() => c.kill('SIGKILL'), 120_000);
  runs.push(
    new Promise((resolve) =>
      c.once('exit', (code) => {
        clearTimeout(kill);
        curls.delete(c);
        if (code !== 0) failures += 1;
        resolve();
      }),
    ),
  );
  // the server's default limit is 100 new requests per second per client address
  await new Promise((r) => setTimeout(r, 12));
}
await Promise.all(runs);
await page.waitForTimeout(1500);
clearInterval(sampler);
const elapsed = (Date.now() - started) / 1000;
const after = await metrics();
const cpuAfter = await rendererCpu();
const longTasks = await page.evaluate(() => window.benchLongTasks);
const times = frameTimes;
const messages = times.length;
await cleanup();
clearTimeout(overall);

const peakLive = Math.max(0, ...samples.map((s) => s.live));
const busy = samples.filter((s) => s.live > 0);
// the most messages that arrived within any one second (arrival times taken in the page)
let maxMsgs = 0;
for (let i = 0, j = 0; i < times.length; i++) {
  while (times[i] - times[j] >= 1000) j++;
  maxMsgs = Math.max(maxMsgs, i - j + 1);
}
const longest = Math.max(0, ...longTasks);
const result = {
  clients,
  size,
  blksize,
  failures,
  seconds: Number(elapsed.toFixed(1)),
  peakLiveSessions: peakLive,
  wsMessagesPerSecond: { mean: Number((messages / elapsed).toFixed(1)), max: maxMsgs },
  wsMessages: frameKinds,
  longTasks: { count: longTasks.length, longestMs: Math.round(longest) },
  // main-thread milliseconds per second of the run: all tasks, and the script, layout, style parts
  mainThreadMsPerSecond: Object.fromEntries(
    METRICS.map((m) => [m.replace('Duration', ''), Math.round(((after[m] - before[m]) * 1000) / elapsed)]),
  ),
  rendererCpuPercent: Math.round(((cpuAfter - cpuBefore) / elapsed) * 100),
  busySeconds: busy.length,
};
console.log(JSON.stringify(result, null, 2));
const verdicts = [
  [
    `sessions at once: ${peakLive} (goal ${GOAL.sessions})`,
    peakLive >= Math.min(GOAL.sessions, clients) * 0.9,
  ],
  [
    `WebSocket messages/s: ${result.wsMessagesPerSecond.mean} on average, at most ${maxMsgs} in one second (goal <= ~${GOAL.msgsPerSecond})`,
    result.wsMessagesPerSecond.mean <= GOAL.msgsPerSecond,
  ],
  [
    `longest long task: ${Math.round(longest)} ms (goal <= ${GOAL.longTaskMs} ms)`,
    longest <= GOAL.longTaskMs,
  ],
  [`failed downloads: ${failures}`, failures === 0],
];
for (const [text, ok] of verdicts) console.log(`${ok ? 'ok  ' : 'MISS'} ${text}`);
if (values.strict && verdicts.some(([, ok]) => !ok)) process.exitCode = 1;
