// PXE specification 2.1 sections 2.2.1-2.2.3 and RFC 4578 (proxyDHCP): boot information for PXE ROMs
// beside another DHCP server that hands out the addresses. Pure.
// - Only clients whose option 60 starts with "PXEClient" are answered.
// - Port 67: a DISCOVER gets an OFFER without an address (yiaddr 0.0.0.0, no lease time), with option
//   60 "PXEClient", option 54 and option 43 carrying PXE_DISCOVERY_CONTROL (sub-option 6) = 8: boot
//   the file named in this offer, with no boot server discovery or menu. PXE ROMs drop a proxy offer
//   without option 43.
// - Port 4011: a REQUEST (the boot server request) gets an ACK, unicast back to its sender.
// - The client's UUID (option 97) is echoed, as the PXE spec asks of a proxy reply.
import type { DhcpMessage } from './codec.js';
import { MessageType, Opt, textOption } from './options.js';
import { arrangeOptions, CLIENT_PORT, LIMITED_BROADCAST, replyTo } from './reply.js';
import {
  bootFor,
  bootWords,
  decision,
  networkOptions,
  type Answer,
  type Client,
  type DhcpReply,
  type Prepared,
} from './responder-context.js';

export const PXE_CLIENT = 'PXEClient';
/** Sub-option 6 (PXE_DISCOVERY_CONTROL), length 1, bit 3 set (use the boot file name directly); end. */
export const PXE_DISCOVERY_CONTROL = Buffer.from([6, 1, 8, 255]);

/** What a proxy sends besides boot information: 1 and 66 are harmless, router and DNS are the other server's. */
const PROXY_DROPPED = new Set<number>([Opt.router, Opt.dns, Opt.domainName, Opt.tftpServerAddresses]);

export function handleProxy(
  p: Prepared,
  c: Client,
  via: 'proxy-67' | 'proxy-4011',
  from: { address: string; port: number },
  now: number,
): Answer {
  const ignore = (reason: string): Answer => ({ decision: decision(now, c, via, 'ignored', reason) });
  if (!c.vendorClass?.startsWith(PXE_CLIENT))
    return ignore(
      c.vendorClass === undefined
        ? 'not a PXE client (no option 60): proxyDHCP answers PXE ROMs only'
        : `not a PXE client (vendor class "${c.vendorClass}"): proxyDHCP answers PXE ROMs only`,
    );
  const wanted = via === 'proxy-67' ? MessageType.DISCOVER : MessageType.REQUEST;
  if (c.type !== wanted)
    return ignore(
      via === 'proxy-67'
        ? `${c.kind} on port 67: proxyDHCP answers only DISCOVER there; addresses are the network's DHCP server's job`
        : `${c.kind} on port 4011: the boot server answers only REQUEST`,
    );
  const m = c.message;
  const ip = m.ciaddr !== '0.0.0.0' ? m.ciaddr : via === 'proxy-4011' ? from.address : '0.0.0.0';
  const boot = bootFor(p, c, ip);
  if (boot.file === undefined) return ignore(`nothing to boot: ${boot.why}`);

  const type = via === 'proxy-67' ? MessageType.OFFER : MessageType.ACK;
  const o = new Map<number, Buffer>([
    [Opt.messageType, Buffer.from([type])],
    [Opt.serverId, Buffer.from(p.own.split('.').map(Number))],
    [Opt.vendorClass, textOption(PXE_CLIENT)],
    [Opt.vendorSpecific, PXE_DISCOVERY_CONTROL],
  ]);
  const uuid = m.options.get(Opt.clientUuid);
  if (uuid !== undefined) o.set(Opt.clientUuid, uuid);
  for (const [code, value] of networkOptions(p, boot)) if (!PROXY_DROPPED.has(code)) o.set(code, value);
  const message = replyTo(m, {
    ciaddr: m.ciaddr,
    siaddr: p.own,
    sname: p.serverName,
    file: boot.file,
    cookie: true,
    options: arrangeOptions(o, c.requested, c.maxMessageSize),
  });
  return {
    reply: addressed(message, via, from),
    decision: decision(
      now,
      c,
      via,
      via === 'proxy-67' ? 'offered' : 'acked',
      `proxyDHCP ${via === 'proxy-67' ? 'offer' : 'boot server ACK'} without an address; ${bootWords(boot)}`,
      { bootFile: boot.file },
    ),
  };
}

function addressed(message: DhcpMessage, via: string, from: { address: string; port: number }): DhcpReply {
  if (via === 'proxy-4011') return { message, to: { ...from }, broadcast: false };
  if (message.ciaddr !== '0.0.0.0')
    return { message, to: { address: message.ciaddr, port: CLIENT_PORT }, broadcast: false };
  return { message, to: { address: LIMITED_BROADCAST, port: CLIENT_PORT }, broadcast: true };
}
