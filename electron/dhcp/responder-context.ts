// What every answer of the responder needs: the settings read once, the client as the request
// describes it, the decision record, the boot file and the options common to every reply. Pure.
import type { DhcpDecision, DhcpSettings } from '../../shared/dhcp.js';
import { normalizeMac, parseIpv4, sameSubnet } from '../../shared/ipv4.js';
import { chooseBootFile, expandBootFile } from './boot-file.js';
import { macOf, type DhcpMessage } from './codec.js';
import {
  clientArch,
  customOptionValue,
  hostname,
  ipOption,
  maskOption,
  maxMessageSize,
  messageType,
  messageTypeName,
  Opt,
  parameterRequestList,
  textOption,
  userClasses,
  vendorClass,
} from './options.js';

export type Via = DhcpDecision['via'];

export interface DhcpReply {
  message: DhcpMessage;
  to: { address: string; port: number };
  broadcast: boolean;
}

export interface Answer {
  reply?: DhcpReply;
  decision: DhcpDecision;
}

/** The settings as the responder uses them, read once. */
export interface Prepared {
  s: DhcpSettings;
  own: string;
  ownNumber: number;
  leaseMs: number;
  /** BOOTP clients never renew or release: they keep their address at least a day past the last request */
  bootpLeaseMs: number;
  serverName: string;
  custom: Map<number, Buffer>;
  allowMacs: Set<string>;
}

export function prepare(s: DhcpSettings): Prepared {
  const custom = new Map<number, Buffer>();
  for (const o of s.customOptions) {
    const v = customOptionValue(o.value);
    if (v !== undefined && o.code > 0 && o.code < 255) custom.set(o.code, v);
  }
  const allowMacs = new Set<string>();
  for (const m of s.allowMacs) {
    const mac = normalizeMac(m);
    if (mac !== undefined) allowMacs.add(mac);
  }
  return {
    s,
    own: s.interfaceAddress,
    ownNumber: parseIpv4(s.interfaceAddress) ?? 0,
    leaseMs: s.leaseSeconds * 1000,
    bootpLeaseMs: Math.max(s.leaseSeconds, 86_400) * 1000,
    serverName: s.tftpServerName || s.interfaceAddress,
    custom,
    allowMacs,
  };
}

export function onSubnet(p: Prepared, address: string): boolean {
  const a = parseIpv4(address);
  return a !== undefined && sameSubnet(a, p.ownNumber, p.s.prefixLength);
}

/** The client as its request describes it. */
export interface Client {
  message: DhcpMessage;
  mac: string;
  /** option 53; undefined = plain BOOTP */
  type?: number;
  kind: string;
  vendorClass?: string;
  arch?: number;
  userClasses: string[];
  hostname?: string;
  requested: number[];
  maxMessageSize: number;
}

export function clientOf(m: DhcpMessage): Client {
  const type = messageType(m);
  return {
    message: m,
    mac: macOf(m),
    type,
    kind: messageTypeName(type),
    vendorClass: vendorClass(m),
    arch: clientArch(m),
    userClasses: userClasses(m),
    hostname: hostname(m),
    requested: parameterRequestList(m),
    maxMessageSize: maxMessageSize(m),
  };
}

export function decision(
  now: number,
  c: Client,
  via: Via,
  outcome: DhcpDecision['outcome'],
  reason: string,
  extra: { address?: string; bootFile?: string } = {},
): DhcpDecision {
  const d: DhcpDecision = { at: now, mac: c.mac, xid: c.message.xid, kind: c.kind, outcome, reason, via };
  if (extra.address !== undefined) d.address = extra.address;
  if (extra.bootFile !== undefined) d.bootFile = extra.bootFile;
  if (c.vendorClass !== undefined) d.vendorClass = c.vendorClass;
  if (c.arch !== undefined) d.arch = c.arch;
  if (c.userClasses.length > 0) d.userClass = c.userClasses.join(',');
  return d;
}

export interface Boot {
  /** the expanded name; undefined when no boot file applies */
  file?: string;
  why: string;
}

export function bootFor(p: Prepared, c: Client, ip: string, reservedBootFile?: string): Boot {
  const choice = chooseBootFile(p.s, {
    mac: c.mac,
    arch: c.arch,
    userClasses: c.userClasses,
    reservedBootFile,
  });
  if (choice.template === undefined) return { why: choice.why };
  return { file: expandBootFile(choice.template, { mac: c.mac, ip, arch: c.arch }), why: choice.why };
}

/**
 * Subnet mask, router, DNS, log server (7, when asked to point devices' syslog here), domain, TFTP
 * server (66, and 67/150 with a boot file), custom options.
 */
export function networkOptions(p: Prepared, boot: Boot): Map<number, Buffer> {
  const o = new Map<number, Buffer>();
  o.set(Opt.subnetMask, maskOption(p.s.prefixLength));
  if (p.s.router) o.set(Opt.router, ipOption([p.s.router]));
  if (p.s.dns && p.s.dns.length > 0) o.set(Opt.dns, ipOption(p.s.dns));
  if (p.s.offerLogServer === true) o.set(Opt.logServer, ipOption([p.own]));
  if (p.s.domainName) o.set(Opt.domainName, textOption(p.s.domainName));
  o.set(Opt.tftpServerName, textOption(p.serverName));
  if (boot.file !== undefined) {
    o.set(Opt.bootFile, textOption(boot.file));
    o.set(Opt.tftpServerAddresses, ipOption([p.own]));
  }
  for (const [code, value] of p.custom) o.set(code, value);
  return o;
}

export function bootWords(boot: Boot): string {
  return boot.file === undefined ? `no boot file (${boot.why})` : `boot file ${boot.file} (${boot.why})`;
}
