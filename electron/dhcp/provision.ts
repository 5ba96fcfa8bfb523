// RFC 2131 sections 4.3.1-4.3.5 (DISCOVER, REQUEST in its four states, DECLINE, RELEASE, INFORM),
// RFC 951 and RFC 1542 (plain BOOTP), RFC 1534 (a DHCP server answering BOOTP clients): the answers
// of a DHCP server that hands out addresses. Pure: the lease table and the time come in.
import type { DhcpMessage } from './codec.js';
import type { LeaseTable, OfferWhy } from './leases.js';
import { MessageType, Opt, requestedAddress, serverIdentifier, u32Option } from './options.js';
import { arrangeOptions, CLIENT_PORT, LIMITED_BROADCAST, replyTo } from './reply.js';
import {
  bootFor,
  bootWords,
  decision,
  networkOptions,
  onSubnet,
  type Answer,
  type Boot,
  type Client,
  type DhcpReply,
  type Prepared,
} from './responder-context.js';

const ZERO = '0.0.0.0';

const OFFER_WORDS: Record<OfferWhy, string> = {
  reserved: 'reserved for this MAC',
  current: 'its current address',
  previous: 'the address it had before',
  requested: 'the address it asked for',
  free: 'the next free address in the pool',
  reused: 'released or expired by another client',
  reclaimed: 'taken back from an unanswered offer',
};

/** RFC 2131 section 4.1: NAKs and clients without an address get a broadcast, never ARP-less unicast. */
function addressed(message: DhcpMessage, nak = false): DhcpReply {
  const ci = message.ciaddr;
  if (!nak && ci !== ZERO) return { message, to: { address: ci, port: CLIENT_PORT }, broadcast: false };
  return { message, to: { address: LIMITED_BROADCAST, port: CLIENT_PORT }, broadcast: true };
}

export class Provisioner {
  constructor(
    private readonly p: Prepared,
    private readonly leases: LeaseTable,
  ) {}

  handle(c: Client, now: number): Answer {
    switch (c.type) {
      case undefined:
        return this.bootp(c, now);
      case MessageType.DISCOVER:
        return this.discover(c, now);
      case MessageType.REQUEST:
        return this.request(c, now);
      case MessageType.DECLINE:
        return this.decline(c, now);
      case MessageType.RELEASE:
        return this.release(c, now);
      case MessageType.INFORM:
        return this.inform(c, now);
      default:
        return this.ignore(
          c,
          now,
          `message type ${c.type} (${c.kind}) is not one a client sends to a server`,
        );
    }
  }

  private ignore(c: Client, now: number, reason: string, address?: string): Answer {
    return { decision: decision(now, c, 'dhcp', 'ignored', reason, { address }) };
  }

  private info(c: Client, boot: Boot) {
    return { hostname: c.hostname, vendorClass: c.vendorClass, arch: c.arch, bootFile: boot.file };
  }

  /** OFFER or ACK with an address (INFORM's ACK passes no lease). */
  private dhcpReply(c: Client, type: number, yiaddr: string, boot: Boot, leased: boolean): DhcpMessage {
    const o = new Map<number, Buffer>([
      [Opt.messageType, Buffer.from([type])],
      [Opt.serverId, Buffer.from(this.p.own.split('.').map(Number))],
    ]);
    if (leased) {
      const seconds = this.p.s.leaseSeconds;
      o.set(Opt.leaseTime, u32Option(seconds));
      o.set(Opt.renewalTime, u32Option(seconds / 2)); // T1 and T2 defaults, RFC 2131 section 4.4.5
      o.set(Opt.rebindingTime, u32Option(seconds * 0.875));
    }
    for (const [code, value] of networkOptions(this.p, boot)) o.set(code, value);
    return replyTo(c.message, {
      yiaddr,
      ciaddr: type === MessageType.OFFER ? ZERO : c.message.ciaddr,
      siaddr: this.p.own,
      sname: this.p.serverName,
      file: boot.file,
      cookie: true,
      options: arrangeOptions(o, c.requested, c.maxMessageSize),
    });
  }

  private nak(c: Client, now: number, address: string, reason: string): Answer {
    const message = replyTo(c.message, {
      siaddr: ZERO,
      cookie: true,
      options: new Map([
        [Opt.messageType, Buffer.from([MessageType.NAK])],
        [Opt.serverId, Buffer.from(this.p.own.split('.').map(Number))],
      ]),
    });
    return {
      reply: addressed(message, true),
      decision: decision(now, c, 'dhcp', 'nak', `NAK for ${address}: ${reason}`, { address }),
    };
  }

  private discover(c: Client, now: number): Answer {
    const reservation = this.leases.reservationFor(c.mac);
    const asked = requestedAddress(c.message);
    const chosen = this.leases.offer(c.mac, asked, {
      hostname: c.hostname,
      vendorClass: c.vendorClass,
      arch: c.arch,
    });
    if (!chosen.ok) return this.ignore(c, now, `no address to offer: ${chosen.reason}`);
    const boot = bootFor(this.p, c, chosen.address, reservation?.bootFile);
    this.leases.annotate(c.mac, this.info(c, boot));
    const from = chosen.from === undefined ? '' : ` (${chosen.from})`;
    return {
      reply: addressed(this.dhcpReply(c, MessageType.OFFER, chosen.address, boot, true)),
      decision: decision(
        now,
        c,
        'dhcp',
        'offered',
        `offered ${chosen.address}, ${OFFER_WORDS[chosen.why]}${from}; ${bootWords(boot)}`,
        { address: chosen.address, bootFile: boot.file },
      ),
    };
  }

  private ack(c: Client, now: number, address: string, state: string, bootp = false): Answer {
    const reservation = this.leases.reservationFor(c.mac);
    const boot = bootFor(this.p, c, address, reservation?.bootFile);
    const leaseMs = bootp ? this.p.bootpLeaseMs : this.p.leaseMs;
    const bound = this.leases.commit(c.mac, address, leaseMs, this.info(c, boot));
    if (!bound.ok) {
      if (bootp) return this.ignore(c, now, `no address for this BOOTP client: ${bound.reason}`, address);
      return this.nak(c, now, address, bound.reason);
    }
    if (bootp) return this.bootpReply(c, now, address, boot, `${address} held ${leaseMs / 3_600_000} h`);
    return {
      reply: addressed(this.dhcpReply(c, MessageType.ACK, address, boot, true)),
      decision: decision(
        now,
        c,
        'dhcp',
        'acked',
        `acked ${address} for ${this.p.s.leaseSeconds} s (${state}); ${bootWords(boot)}`,
        { address, bootFile: boot.file },
      ),
    };
  }

  /** RFC 2131 section 4.3.2: SELECTING, INIT-REBOOT, RENEWING / REBINDING, told apart by 54, 50, ciaddr. */
  private request(c: Client, now: number): Answer {
    const m = c.message;
    const sid = serverIdentifier(m);
    const asked = requestedAddress(m);
    if (sid !== undefined) {
      if (sid !== this.p.own) {
        const offered = this.leases.recordFor(c.mac);
        const withdrawn =
          this.leases.withdrawOffer(c.mac) && offered ? `; our offer of ${offered.address} withdrawn` : '';
        return this.ignore(c, now, `the client chose the DHCP server ${sid}${withdrawn}`);
      }
      const address = asked ?? (m.ciaddr !== ZERO ? m.ciaddr : undefined);
      if (address === undefined)
        return this.ignore(c, now, 'REQUEST to us without a requested address (option 50)');
      return this.ack(c, now, address, 'selecting: it took our offer');
    }
    if (asked !== undefined) {
      if (!onSubnet(this.p, asked))
        return this.nak(c, now, asked, `not on this network (${this.p.own}/${this.p.s.prefixLength})`);
      // What we know of the client: its reservation, or a binding (bound, released, expired). An
      // offer it has not taken is not a record of it: its INIT-REBOOT may be for another server.
      const record = this.leases.recordFor(c.mac);
      const known =
        this.leases.reservationFor(c.mac)?.address ??
        (record && (record.state !== 'offered' || record.address === asked) ? record.address : undefined);
      if (known === undefined)
        return this.ignore(
          c,
          now,
          `INIT-REBOOT for ${asked}, but this server has no record of the client: silent, as RFC 2131 4.3.2 asks`,
          asked,
        );
      if (known !== asked) return this.nak(c, now, asked, `its address here is ${known}`);
      return this.ack(c, now, asked, 'init-reboot: it asked to keep its address');
    }
    if (m.ciaddr !== ZERO) {
      if (!onSubnet(this.p, m.ciaddr))
        return this.ignore(c, now, `renewal of ${m.ciaddr}, which is not on this network`, m.ciaddr);
      return this.ack(c, now, m.ciaddr, 'renewing or rebinding');
    }
    return this.ignore(c, now, 'REQUEST with no server identifier, requested address or ciaddr');
  }

  private decline(c: Client, now: number): Answer {
    const sid = serverIdentifier(c.message);
    if (sid !== undefined && sid !== this.p.own)
      return this.ignore(c, now, `DECLINE meant for the server ${sid}`);
    const address = requestedAddress(c.message);
    if (address === undefined) return this.ignore(c, now, 'DECLINE without the declined address (option 50)');
    const declined = this.leases.decline(c.mac, address);
    if (!declined.ok)
      return this.ignore(c, now, `DECLINE of ${address} not taken: ${declined.reason}`, address);
    const minutes = Math.round(this.leases.quarantineMinutes);
    const reason = `the client found ${address} already in use (another device answers ARP for it); kept out of the pool for ${minutes} min`;
    return { decision: decision(now, c, 'dhcp', 'declined', reason, { address }) };
  }

  private release(c: Client, now: number): Answer {
    const sid = serverIdentifier(c.message);
    if (sid !== undefined && sid !== this.p.own)
      return this.ignore(c, now, `RELEASE meant for the server ${sid}`);
    const address = c.message.ciaddr;
    if (!this.leases.release(c.mac, address))
      return this.ignore(c, now, `released ${address}, but this MAC has no lease on it here`, address);
    return { decision: decision(now, c, 'dhcp', 'released', `released ${address}`, { address }) };
  }

  /** RFC 2131 section 4.3.5: configuration only; the client already has its address, no lease. */
  private inform(c: Client, now: number): Answer {
    const ci = c.message.ciaddr;
    const boot = bootFor(this.p, c, ci, this.leases.reservationFor(c.mac)?.bootFile);
    return {
      reply: addressed(this.dhcpReply(c, MessageType.ACK, ZERO, boot, false)),
      decision: decision(
        now,
        c,
        'dhcp',
        'informed',
        `configuration for ${ci}, no lease; ${bootWords(boot)}`,
        {
          address: ci === ZERO ? undefined : ci,
          bootFile: boot.file,
        },
      ),
    };
  }

  /**
   * RFC 951 / RFC 1534: no option 53 in the reply (MikroTik and old boot loaders drop replies that
   * carry one); the RFC 1048 vendor area, with the cookie, only when the request had the cookie.
   */
  private bootp(c: Client, now: number): Answer {
    const ci = c.message.ciaddr;
    if (ci !== ZERO) {
      const boot = bootFor(this.p, c, ci, this.leases.reservationFor(c.mac)?.bootFile);
      return this.bootpReply(c, now, undefined, boot, `it knows its address ${ci}: boot information only`);
    }
    const chosen = this.leases.offer(c.mac, undefined, { vendorClass: c.vendorClass, arch: c.arch });
    if (!chosen.ok) return this.ignore(c, now, `no address for this BOOTP client: ${chosen.reason}`);
    return this.ack(c, now, chosen.address, 'BOOTP', true);
  }

  private bootpReply(c: Client, now: number, yiaddr: string | undefined, boot: Boot, words: string): Answer {
    const o = new Map<number, Buffer>();
    if (c.message.cookie)
      for (const [code, value] of networkOptions(this.p, boot))
        if (BOOTP_OPTIONS.has(code)) o.set(code, value);
    const message = replyTo(c.message, {
      yiaddr,
      ciaddr: c.message.ciaddr,
      siaddr: this.p.own,
      sname: this.p.serverName,
      file: boot.file,
      cookie: c.message.cookie,
      options: o,
    });
    return {
      reply: addressed(message),
      decision: decision(now, c, 'dhcp', 'bootp-replied', `BOOTP reply: ${words}; ${bootWords(boot)}`, {
        address: yiaddr ?? (c.message.ciaddr === ZERO ? undefined : c.message.ciaddr),
        bootFile: boot.file,
      }),
    };
  }
}

/** The plain RFC 1048 options an old BOOTP client expects, and nothing else. */
const BOOTP_OPTIONS: ReadonlySet<number> = new Set([
  Opt.subnetMask,
  Opt.router,
  Opt.dns,
  Opt.logServer,
  Opt.tftpServerName,
  Opt.bootFile,
]);
