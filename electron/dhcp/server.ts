// The DHCP service's sockets: datagrams in, the pure responder's replies out. RFC 951 section 5
// and RFC 2131 section 4.1 (ports 67/68, where replies go), PXE 2.1 section 2.2.1 (port 4011).
//
// Why several sockets (node:dgram cannot say which interface a datagram came in on, and a socket
// bound to a unicast address never sees a 255.255.255.255 broadcast on Linux or macOS):
// - `any`  0.0.0.0:67 hears the clients' broadcasts, from every interface.
// - `own`  <interface address>:67 sends every reply, and hears requests unicast to us (renewals,
//   RFC 2131 section 4.3.2 RENEWING): the kernel gives a unicast datagram to the most specific
//   socket bound to its port. On Linux a datagram to 255.255.255.255 from a socket bound to an
//   address leaves through the interface that owns the address (the route lookup takes the
//   source's device when the destination is the limited broadcast), so replies go out of the
//   chosen interface only; test/dhcp proves it with a client on a second segment.
//   macOS: BSD sockets route the limited broadcast by the routing table (the default route's
//   interface, or the first configured one) unless IP_BOUND_IF is set, which node cannot do; a
//   reply may leave through another interface there. Windows: documented to send a limited
//   broadcast through the interface of the bound source address. Neither is proven here.
// - proxy mode adds <interface address>:4011 and 0.0.0.0:4011 (a PXE client may broadcast its
//   boot server request), answered from the former.
// Both sockets of a port set SO_REUSEADDR, which is what lets the specific and the wildcard bind
// side by side. Each datagram reaches one of them: unicast the most specific, broadcast the
// wildcard only.
//
// What cannot be for us is dropped before the responder (and said in the decision): a relayed
// request (giaddr set: we serve the local segment only) and a client address outside our subnet
// (a renewal meant for another network's server).
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import type { DhcpDecision, DhcpMode } from '../../shared/dhcp.js';
import { parseIpv4, sameSubnet } from '../../shared/ipv4.js';
import { decodeDhcp, encodeDhcp, macOf, type DhcpMessage } from './codec.js';
import { bindProblem, type PortProblem, type PortRole } from './port-errors.js';
import type { DhcpReply, Responder } from './responder.js';

export type Via = DhcpDecision['via'];

export interface DhcpServerOptions {
  mode: Exclude<DhcpMode, 'off'>;
  interfaceAddress: string;
  prefixLength: number;
  serverPort: number;
  proxyPort: number;
  responder: Responder;
  now(): number;
  onDecision(decision: DhcpDecision): void;
  /** a reply could not be sent (the interface went down, no route) */
  onSendError(err: Error, to: { address: string; port: number }): void;
}

export type OpenResult = { ok: true; server: DhcpServer } | { ok: false; problem: PortProblem };

interface SocketPlan {
  address: string;
  port: number;
  role: PortRole;
  via: Via;
  /** replies to requests on this socket leave from this one */
  replyFrom: 'own67' | 'own4011';
  name: 'any67' | 'own67' | 'any4011' | 'own4011';
}

export async function openDhcpServer(options: DhcpServerOptions): Promise<OpenResult> {
  const server = new DhcpServer(options);
  const problem = await server.open();
  if (problem) {
    await server.close();
    return { ok: false, problem };
  }
  return { ok: true, server };
}

export class DhcpServer {
  private readonly sockets = new Map<SocketPlan['name'], Socket>();
  private readonly network: { address: number; prefixLength: number } | undefined;

  constructor(private readonly options: DhcpServerOptions) {
    const address = parseIpv4(options.interfaceAddress);
    this.network = address === undefined ? undefined : { address, prefixLength: options.prefixLength };
  }

  /** Binds every socket; the first that fails says why. */
  async open(): Promise<PortProblem | undefined> {
    const o = this.options;
    const via67: Via = o.mode === 'proxy' ? 'proxy-67' : 'dhcp';
    const plans: SocketPlan[] = [
      {
        name: 'any67',
        address: '0.0.0.0',
        port: o.serverPort,
        role: 'server',
        via: via67,
        replyFrom: 'own67',
      },
      {
        name: 'own67',
        address: o.interfaceAddress,
        port: o.serverPort,
        role: 'server',
        via: via67,
        replyFrom: 'own67',
      },
    ];
    if (o.mode === 'proxy') {
      plans.push(
        {
          name: 'any4011',
          address: '0.0.0.0',
          port: o.proxyPort,
          role: 'proxy',
          via: 'proxy-4011',
          replyFrom: 'own4011',
        },
        {
          name: 'own4011',
          address: o.interfaceAddress,
          port: o.proxyPort,
          role: 'proxy',
          via: 'proxy-4011',
          replyFrom: 'own4011',
        },
      );
    }
    for (const plan of plans) {
      const socket = createSocket({ type: 'udp4', reuseAddr: true });
      this.sockets.set(plan.name, socket);
      const err = await bind(socket, plan.address, plan.port);
      if (err) return bindProblem(err, plan.address, plan.port, plan.role);
      socket.setBroadcast(true);
      socket.on('message', (bytes, from) => this.receive(bytes, from, plan));
    }
    return undefined;
  }

  async close(): Promise<void> {
    const sockets = [...this.sockets.values()];
    this.sockets.clear();
    await Promise.all(sockets.map(closeQuietly));
  }

  private receive(bytes: Buffer, from: RemoteInfo, plan: SocketPlan): void {
    let decision: DhcpDecision;
    try {
      decision = this.handle(bytes, from, plan);
    } catch (err) {
      // The responder is pure and should never throw; if it does, this request is lost, not the service.
      decision = this.ignored(
        undefined,
        plan.via,
        `internal error while answering: ${(err as Error).message}`,
      );
    }
    this.options.onDecision(decision);
  }

  private handle(bytes: Buffer, from: RemoteInfo, plan: SocketPlan): DhcpDecision {
    const decoded = decodeDhcp(bytes);
    if (!decoded.ok) {
      return this.ignored(
        undefined,
        plan.via,
        `not a BOOTP/DHCP request from ${from.address}:${from.port}: ${decoded.error}`,
      );
    }
    const message = decoded.message;
    const unfit = this.notForUs(message);
    if (unfit) return this.ignored(message, plan.via, unfit);
    const { reply, decision } = this.options.responder.handle(message, plan.via, {
      address: from.address,
      port: from.port,
    });
    if (reply) this.send(reply, plan.replyFrom);
    return decision;
  }

  /** Why a request cannot be for this server, or undefined when it may be. */
  private notForUs(m: DhcpMessage): string | undefined {
    if (m.op !== 1) return `not a request (BOOTP op ${m.op})`;
    if (m.giaddr !== '0.0.0.0') {
      return `relayed by ${m.giaddr}: this server answers its own network segment only, not through relay agents`;
    }
    if (m.ciaddr !== '0.0.0.0' && this.network) {
      const ci = parseIpv4(m.ciaddr);
      if (ci === undefined || !sameSubnet(ci, this.network.address, this.network.prefixLength)) {
        const net = `${this.options.interfaceAddress}/${this.network.prefixLength}`;
        return `the client's address ${m.ciaddr} is outside our network ${net}: meant for another server`;
      }
    }
    return undefined;
  }

  private send(reply: DhcpReply, fromName: SocketPlan['name']): void {
    const socket = this.sockets.get(fromName);
    if (!socket) return;
    const bytes = encodeDhcp(reply.message);
    socket.send(bytes, reply.to.port, reply.to.address, (err) => {
      if (err) this.options.onSendError(err, reply.to);
    });
  }

  private ignored(message: DhcpMessage | undefined, via: Via, reason: string): DhcpDecision {
    return {
      at: this.options.now(),
      mac: message ? macOf(message) : '',
      xid: message?.xid ?? 0,
      kind: message ? messageKind(message) : 'MALFORMED',
      outcome: 'ignored',
      reason,
      via,
    };
  }
}

const KINDS = ['', 'DISCOVER', 'OFFER', 'REQUEST', 'DECLINE', 'ACK', 'NAK', 'RELEASE', 'INFORM'];

function messageKind(m: DhcpMessage): string {
  const type = m.options.get(53);
  if (!type || type.length !== 1) return 'BOOTP';
  return KINDS[type[0] ?? 0] || `TYPE ${type[0]}`;
}

function bind(socket: Socket, address: string, port: number): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    socket.once('error', resolve);
    socket.bind({ address, port }, () => {
      socket.removeListener('error', resolve);
      // Every socket keeps an error listener: an ICMP error or a failed send must not crash the process.
      socket.on('error', () => undefined);
      resolve(undefined);
    });
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
