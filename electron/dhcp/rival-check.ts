// Before handing out addresses, ask the network whether someone already does: two DHCP servers
// on one segment give clients conflicting answers, and the loser is whoever is slower. We act as
// a client would (RFC 2131 section 3.1, steps 1-2): a DHCPDISCOVER with the BROADCAST flag (so
// any answer is broadcast and reaches us without an address of our own, section 4.1) from a
// made-up, locally administered MAC, and we listen for DHCPOFFERs to that transaction.
//
// Sockets, for the same reason as the server's (see server.ts): the DISCOVER leaves from a socket
// bound to our address on the client port, so on Linux it goes out of the chosen interface only;
// the answers, broadcast to 255.255.255.255, arrive only at a socket bound to 0.0.0.0. Both use
// SO_REUSEADDR so a DHCP client on this machine that also sets it can keep its port.
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { decodeDhcp, encodeDhcp, type DhcpMessage } from './codec.js';
import { bindProblem, type PortProblem } from './port-errors.js';

export interface RivalCheckOptions {
  interfaceAddress: string;
  clientPort: number;
  serverPort: number;
  durationMs: number;
  signal?: AbortSignal;
}

export interface Rival {
  /** where the OFFER came from (its server identifier, option 54, when it gave one) */
  address: string;
  /** the address it offered our made-up client */
  offered: string;
}

export type RivalCheckResult =
  { ok: true; rivals: Rival[]; mac: string } | { ok: false; problem: PortProblem };

const DHCPDISCOVER = 1;
const DHCPOFFER = 2;
const BROADCAST_FLAG = 0x8000;

export async function checkForRivals(options: RivalCheckOptions): Promise<RivalCheckResult> {
  const mac = randomMac();
  const xid = randomBytes(4).readUInt32BE(0);
  const rivals = new Map<string, Rival>();
  const sockets: Socket[] = [];
  try {
    const listen = createSocket({ type: 'udp4', reuseAddr: true });
    sockets.push(listen);
    listen.on('message', (bytes, from) => {
      const decoded = decodeDhcp(bytes);
      if (!decoded.ok) return;
      const rival = offerFrom(decoded.message, xid, mac, from.address);
      if (rival && !rivals.has(rival.address)) rivals.set(rival.address, rival);
    });
    const sender = createSocket({ type: 'udp4', reuseAddr: true });
    sockets.push(sender);
    const bound = await bindAll(
      [
        [listen, '0.0.0.0'],
        [sender, options.interfaceAddress],
      ],
      options.clientPort,
    );
    if (bound) return { ok: false, problem: bound };
    listen.setBroadcast(true);
    sender.setBroadcast(true);
    const discover = encodeDhcp(discoverMessage(mac, xid));
    const send = (): void => sender.send(discover, options.serverPort, '255.255.255.255', () => undefined);
    send();
    // A second DISCOVER partway through, as a client retransmits (section 4.1): one lost datagram
    // must not hide a rival.
    const again = setTimeout(send, Math.floor(options.durationMs * 0.4));
    await wait(options.durationMs, options.signal);
    clearTimeout(again);
    return { ok: true, rivals: [...rivals.values()], mac: macText(mac) };
  } finally {
    await Promise.all(sockets.map(closeQuietly));
  }
}

/** The rival behind an OFFER to our transaction, or undefined when it is not one. */
function offerFrom(m: DhcpMessage, xid: number, mac: Buffer, from: string): Rival | undefined {
  if (m.op !== 2 || m.xid !== xid || !m.chaddr.subarray(0, 6).equals(mac)) return undefined;
  const type = m.options.get(53);
  if (!type || type[0] !== DHCPOFFER) return undefined;
  // A proxy DHCP server (PXE) offers no address; it is no rival for handing out addresses.
  if (m.yiaddr === '0.0.0.0') return undefined;
  const id = m.options.get(54);
  const address = id && id.length === 4 ? [...id].join('.') : from;
  return { address, offered: m.yiaddr };
}

function discoverMessage(mac: Buffer, xid: number): DhcpMessage {
  const chaddr = Buffer.alloc(16);
  mac.copy(chaddr);
  return {
    op: 1,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid,
    secs: 0,
    flags: BROADCAST_FLAG,
    ciaddr: '0.0.0.0',
    yiaddr: '0.0.0.0',
    siaddr: '0.0.0.0',
    giaddr: '0.0.0.0',
    chaddr,
    sname: '',
    file: '',
    cookie: true,
    options: new Map<number, Buffer>([
      [53, Buffer.from([DHCPDISCOVER])],
      // subnet mask, router, DNS, server identifier: what an ordinary client asks for
      [55, Buffer.from([1, 3, 6, 54])],
    ]),
  };
}

/** A random unicast MAC with the locally administered bit set: it can never be a real card's. */
function randomMac(): Buffer {
  const mac = randomBytes(6);
  mac[0] = ((mac[0] ?? 0) & 0xfc) | 0x02;
  return mac;
}

function macText(mac: Buffer): string {
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join(':');
}

async function bindAll(pairs: [Socket, string][], port: number): Promise<PortProblem | undefined> {
  for (const [socket, address] of pairs) {
    const err = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
      socket.once('error', resolve);
      socket.bind({ port, address, exclusive: false }, () => {
        socket.removeListener('error', resolve);
        socket.on('error', () => undefined); // a send error later must not crash the process
        resolve(undefined);
      });
    });
    if (err) return bindProblem(err, address, port, 'client');
  }
  return undefined;
}

function wait(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}

function closeQuietly(socket: Socket): Promise<void> {
  return new Promise((resolve) => {
    try {
      socket.close(() => resolve());
    } catch {
      resolve(); // never bound, or already closed
    }
  });
}
