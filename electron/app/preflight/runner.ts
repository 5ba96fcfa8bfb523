// Runs every pre-flight check for one request and returns the report. The probes run here for
// real (commands through execFile with a deadline, real sockets); the judging is the pure modules
// beside this one. Checks run one after another: they are few, and a bind test must not race the
// self-request.
import type { ProfileRule } from '../../../shared/device-profiles.js';
import type { NetInterface } from '../../../shared/ipc-contract.js';
import type { PreflightReport, PreflightRequest } from '../../../shared/preflight.js';
import { AllowList } from '../../tftp/index.js';
import { checkAddress } from './address-check.js';
import { checkAllow } from './allow-check.js';
import { tryBind } from './bind-probe.js';
import { createExec, type Exec } from './exec.js';
import { checkFirewall } from './firewall-check.js';
import { judgePort, listHolders } from './port-check.js';
import { judgeSelfRequest, sendSelfRequest } from './self-request.js';

export interface PreflightDeps {
  platform: string;
  interfaces: readonly NetInterface[];
  settings: {
    port: number;
    hosts: readonly string[];
    allow: readonly string[];
    maxSessionsPerClient: number;
    profiles?: readonly ProfileRule[];
  };
  serverListening: boolean;
  /** live transfers from an address now */
  liveFrom(address: string): number;
  /** the running program (what firewall rules name) */
  program: string;
  pid: number;
  now(): number;
  exec?: Exec;
  /** how long the self-request waits for its answer */
  answerTimeoutMs?: number;
}

/**
 * The address the checks use: the one asked for, else the chosen interface's first IPv4, else the
 * default route's (where a device on the LAN most likely reaches us).
 */
function addressFor(req: PreflightRequest, interfaces: readonly NetInterface[]): string | undefined {
  if (req.serverAddress !== undefined) return req.serverAddress;
  const iface =
    req.interface !== undefined
      ? interfaces.find((i) => i.name === req.interface)
      : interfaces.find((i) => i.isDefault && !i.internal);
  return (iface?.addresses.find((a) => a.family === 'IPv4') ?? iface?.addresses[0])?.address;
}

/** Whether the server's listen addresses (empty = all) include this one. */
function listensOn(hosts: readonly string[], address: string): boolean {
  return hosts.length === 0 || hosts.some((h) => h === address || h === '0.0.0.0' || h === '::');
}

export async function runPreflight(req: PreflightRequest, deps: PreflightDeps): Promise<PreflightReport> {
  const exec = deps.exec ?? createExec();
  const port = req.port ?? deps.settings.port;
  const address = addressFor(req, deps.interfaces);
  const present =
    address !== undefined && deps.interfaces.some((i) => i.addresses.some((a) => a.address === address));

  const addressCheck = checkAddress({
    platform: deps.platform,
    interfaces: deps.interfaces,
    ...(req.serverAddress !== undefined ? { serverAddress: req.serverAddress } : {}),
    ...(req.prefix !== undefined ? { prefix: req.prefix } : {}),
    ...(req.interface !== undefined ? { interfaceName: req.interface } : {}),
    hosts: deps.settings.hosts,
  });

  const bind = await tryBind(port);
  const listing = await listHolders(deps.platform, port, exec);
  const portCheck = judgePort({
    platform: deps.platform,
    port,
    bind: bind.outcome,
    listing,
    ourPid: deps.pid,
    serverListening: deps.serverListening,
  });

  const allowsSelf = address === undefined || new AllowList(deps.settings.allow).allows(address);
  const listening = address === undefined || listensOn(deps.settings.hosts, address);
  const outcome =
    address !== undefined && present && deps.serverListening && allowsSelf && listening
      ? await sendSelfRequest(address, port, deps.answerTimeoutMs)
      : address !== undefined && !present
        ? { answered: false as const, reason: 'EADDRNOTAVAIL' }
        : undefined;
  const selfCheck = judgeSelfRequest({
    ...(address !== undefined ? { address } : {}),
    port,
    serverListening: deps.serverListening,
    allowsSelf,
    listensOn: listening,
    hosts: deps.settings.hosts,
    ...(outcome !== undefined ? { outcome } : {}),
  });

  const firewall = await checkFirewall(
    {
      platform: deps.platform,
      port,
      ...(req.interface !== undefined ? { interfaceName: req.interface } : {}),
      program: deps.program,
    },
    exec,
  );

  const allow = checkAllow({
    ...(req.deviceAddress !== undefined ? { deviceAddress: req.deviceAddress } : {}),
    allow: deps.settings.allow,
    maxSessionsPerClient: deps.settings.maxSessionsPerClient,
    ...(deps.settings.profiles !== undefined ? { profiles: deps.settings.profiles } : {}),
    liveFromDevice: req.deviceAddress !== undefined ? deps.liveFrom(req.deviceAddress) : 0,
  });

  return {
    platform: deps.platform,
    port,
    ...(address !== undefined ? { serverAddress: address } : {}),
    checks: [addressCheck, portCheck, selfCheck, firewall, allow],
    ranAt: deps.now(),
  };
}
