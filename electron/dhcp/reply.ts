// RFC 2131 section 4.3.1 table 3 (fields of a server reply), RFC 2131 section 4.1 (where a reply
// goes), RFC 2132 sections 9.8 and 9.10 (parameter request list, maximum message size): the shape of
// a reply, built from the request. Pure.
import { MAX_BOOT_FILE_BYTES, MAX_SERVER_NAME_BYTES } from '../../shared/dhcp.js';
import { BOOTP_FIXED_BYTES, BOOTREPLY, MIN_MESSAGE_BYTES, optionsLength, type DhcpMessage } from './codec.js';
import { Opt } from './options.js';

export const CLIENT_PORT = 68;
export const LIMITED_BROADCAST = '255.255.255.255';
/** IP and UDP headers: option 57 counts the whole datagram (RFC 2131 section 2: 576 - 28 = 548). */
const IP_UDP_HEADER_BYTES = 28;

export interface ReplyFields {
  yiaddr?: string;
  ciaddr?: string;
  siaddr: string;
  sname?: string;
  file?: string;
  cookie: boolean;
  options: Map<number, Buffer>;
}

/** A reply to `request`: its xid, flags, hardware address and giaddr, the rest from `f`. */
export function replyTo(request: DhcpMessage, f: ReplyFields): DhcpMessage {
  return {
    op: BOOTREPLY,
    htype: request.htype,
    hlen: request.hlen,
    hops: 0,
    xid: request.xid,
    secs: 0,
    flags: request.flags,
    ciaddr: f.ciaddr ?? '0.0.0.0',
    yiaddr: f.yiaddr ?? '0.0.0.0',
    siaddr: f.siaddr,
    giaddr: request.giaddr,
    chaddr: Buffer.from(request.chaddr),
    sname:
      f.sname !== undefined && Buffer.byteLength(f.sname, 'latin1') <= MAX_SERVER_NAME_BYTES ? f.sname : '',
    file: f.file !== undefined && Buffer.byteLength(f.file, 'latin1') <= MAX_BOOT_FILE_BYTES ? f.file : '',
    cookie: f.cookie,
    options: f.options,
  };
}

/** Options that open every reply, in this order, and are never dropped to fit. */
const LEADING = [Opt.messageType, Opt.serverId, Opt.leaseTime, Opt.renewalTime, Opt.rebindingTime];
const KEPT = new Set<number>([
  ...LEADING,
  Opt.subnetMask,
  Opt.vendorClass,
  Opt.vendorSpecific,
  Opt.clientUuid,
]);

/**
 * Orders the options: the leading ones, then those the client asked for in its order (RFC 2131
 * section 4.3.1 lets a server pick the order; some firmware reads only the first few), then the rest
 * in our order. Then fits them in the client's maximum message size, dropping first what it did not
 * ask for, from the end, then what it asked for; never the leading ones, the mask or the PXE ones.
 */
export function arrangeOptions(
  options: ReadonlyMap<number, Buffer>,
  requested: readonly number[],
  maxMessageSize: number,
): Map<number, Buffer> {
  const order: number[] = [];
  for (const code of [...LEADING, ...requested, ...options.keys()])
    if (options.has(code) && !order.includes(code)) order.push(code);
  const out = new Map(order.map((code) => [code, options.get(code) ?? Buffer.alloc(0)]));
  const limit = Math.max(MIN_MESSAGE_BYTES, maxMessageSize - IP_UDP_HEADER_BYTES);
  // Popped from the end: what it did not ask for goes first, the last of them first.
  const droppable = [
    ...order.filter((c) => !KEPT.has(c) && requested.includes(c)),
    ...order.filter((c) => !KEPT.has(c) && !requested.includes(c)),
  ];
  while (BOOTP_FIXED_BYTES + optionsLength(out) > limit) {
    const code = droppable.pop();
    if (code === undefined) break;
    out.delete(code);
  }
  return out;
}
