// Who holds UDP 69 (or the chosen port): a bind attempt says whether anyone does; the OS's own
// listing says who (ss on Linux, netstat + tasklist on Windows, lsof on macOS). Where the listing
// cannot run, the check says so and names no one.
import type { PreflightCheck } from '../../../shared/preflight.js';
import { privilegedPortHint } from '../../tftp/index.js';
import type { BindOutcome } from './bind-probe.js';
import { whyNot, type Exec } from './exec.js';
import { parseLsofUdp } from './lsof-parse.js';
import { nameHolders, parseNetstatUdp, parseTasklistCsv } from './netstat-parse.js';
import { describeHolder, holdersOfPort, type PortHolder } from './port-holder.js';
import { parseSsUdp } from './ss-parse.js';

const TITLE = 'Who holds the port';

export type HolderListing =
  { ok: true; holders: PortHolder[]; evidence: string } | { ok: false; reason: string };

/** The platform's socket listing, reduced to the sockets on `port`. */
export async function listHolders(platform: string, port: number, exec: Exec): Promise<HolderListing> {
  if (platform === 'linux') {
    const r = await exec('ss', ['-ulpn']);
    if (r.kind !== 'ran') return { ok: false, reason: whyNot(r) as string };
    if (r.code !== 0) return { ok: false, reason: `ss -ulpn failed: ${r.stderr.trim() || `exit ${r.code}`}` };
    return { ok: true, holders: holdersOfPort(parseSsUdp(r.stdout), port), evidence: 'ss -ulpn' };
  }
  if (platform === 'darwin') {
    const r = await exec('lsof', ['-nP', `-iUDP:${port}`]);
    if (r.kind !== 'ran') return { ok: false, reason: whyNot(r) as string };
    // exit 1 with no output: nothing holds it (or nothing this user may see)
    return {
      ok: true,
      holders: holdersOfPort(parseLsofUdp(r.stdout), port),
      evidence: `lsof -nP -iUDP:${port}`,
    };
  }
  if (platform === 'win32') {
    const r = await exec('netstat', ['-ano', '-p', 'udp']);
    if (r.kind !== 'ran') return { ok: false, reason: whyNot(r) as string };
    // `-p udp` lists IPv4 sockets only; a rival bound to [::]:69 shows under udpv6
    const r6 = await exec('netstat', ['-ano', '-p', 'udpv6']);
    const text = r.stdout + (r6.kind === 'ran' ? r6.stdout : '');
    const holders = holdersOfPort(parseNetstatUdp(text), port);
    const t = await exec('tasklist', ['/FO', 'CSV', '/NH']);
    const names = t.kind === 'ran' ? parseTasklistCsv(t.stdout) : new Map<number, string>();
    return {
      ok: true,
      holders: nameHolders(holders, names),
      evidence: 'netstat -ano -p udp (and udpv6), tasklist /FO CSV /NH',
    };
  }
  return { ok: false, reason: `no socket listing is known for ${platform}` };
}

/** The command that frees the port from a known TFTP server, where there is one. */
export function stopCommand(platform: string, h: PortHolder): string | undefined {
  const name = (h.process ?? '').toLowerCase();
  if (platform === 'linux') {
    if (name === 'in.tftpd') return 'sudo systemctl disable --now tftpd-hpa';
    if (name === 'atftpd') return 'sudo systemctl disable --now atftpd';
    if (name === 'dnsmasq')
      return 'sudo systemctl stop dnsmasq   (or remove enable-tftp from its configuration)';
    if (h.pid !== undefined) return `sudo kill ${h.pid}`;
  }
  if (platform === 'darwin' && (name === 'launchd' || name === 'tftpd'))
    return 'sudo launchctl unload -w /System/Library/LaunchDaemons/tftp.plist';
  if (platform === 'win32' && h.pid !== undefined) return `taskkill /PID ${h.pid}`;
  return undefined;
}

export interface PortInput {
  platform: string;
  port: number;
  bind: BindOutcome;
  listing: HolderListing;
  ourPid: number;
  serverListening: boolean;
}

export function judgePort(input: PortInput): PreflightCheck {
  const { port, listing, platform } = input;
  const others = listing.ok ? listing.holders.filter((h) => h.pid !== input.ourPid) : [];
  const evidence = listing.ok ? listing.evidence : `bind test; ${listing.reason}`;
  const alt = port === 6969 ? 6970 : 6969;
  if (input.bind === 'no-permission') {
    return {
      id: 'port-holder',
      title: TITLE,
      status: 'problem',
      summary: `This user may not open UDP port ${port}.`,
      evidence,
      fix: { text: privilegedPortHint(port, platform as NodeJS.Platform) },
    };
  }
  if (others.length > 0) {
    const first = others[0] as PortHolder;
    const command = stopCommand(platform, first);
    return {
      id: 'port-holder',
      title: TITLE,
      status: input.serverListening ? 'warning' : 'problem',
      summary: `UDP port ${port} is held by ${others.map(describeHolder).join(', ')}.${input.serverListening ? ' Requests may go to it instead of TFTP Desk.' : ''}`,
      evidence,
      fix: {
        text: `Stop that program, or use port ${alt} in TFTP Desk (if the device lets you choose).`,
        ...(command !== undefined ? { command } : {}),
      },
    };
  }
  if (input.bind === 'in-use') {
    if (input.serverListening) {
      return {
        id: 'port-holder',
        title: TITLE,
        status: 'ok',
        summary: `TFTP Desk holds UDP port ${port}.`,
        evidence,
      };
    }
    return {
      id: 'port-holder',
      title: TITLE,
      status: 'problem',
      summary: listing.ok
        ? `UDP port ${port} is in use, but the listing shows no owner this user may see.`
        : `UDP port ${port} is in use by another program; which one could not be told (${listing.reason}).`,
      evidence,
      fix: { text: `Run the check as administrator/root to see the program, or use port ${alt}.` },
    };
  }
  if (input.bind === 'free') {
    return {
      id: 'port-holder',
      title: TITLE,
      status: input.serverListening ? 'warning' : 'ok',
      summary: input.serverListening
        ? `The server says it is running, yet UDP port ${port} could be opened again: it may listen on other addresses only.`
        : `Nothing holds UDP port ${port}: the server can open it.`,
      evidence,
    };
  }
  return {
    id: 'port-holder',
    title: TITLE,
    status: 'unknown',
    summary: `Opening UDP port ${port} for a test failed in an unexpected way.`,
    evidence,
  };
}
