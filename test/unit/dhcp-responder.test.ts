import { describe, expect, it } from 'vitest';
import { DHCP_DEFAULTS, type DhcpSettings } from '../../shared/dhcp.js';
import { decodeDhcp, encodeDhcp, type DhcpMessage } from '../../electron/dhcp/codec.js';
import { LeaseTable, type Clock, type LeaseRecord, type LeaseStore } from '../../electron/dhcp/leases.js';
import { createResponder, type DhcpReply, type Responder } from '../../electron/dhcp/responder.js';

const DISCOVER = 1;
const OFFER = 2;
const REQUEST = 3;
const DECLINE = 4;
const ACK = 5;
const NAK = 6;
const RELEASE = 7;
const INFORM = 8;
const CLIENT = '52:54:00:12:34:56';
const FROM = { address: '0.0.0.0', port: 68 };

class FakeClock implements Clock {
  t = 5_000_000;
  now(): number {
    return this.t;
  }
}

class MemoryStore implements LeaseStore {
  records: LeaseRecord[] = [];
  load(): LeaseRecord[] {
    return [];
  }
  save(records: LeaseRecord[]): void {
    this.records = structuredClone(records);
  }
}

const PROVISION: DhcpSettings = {
  ...DHCP_DEFAULTS,
  mode: 'provision',
  interfaceAddress: '10.99.0.1',
  prefixLength: 24,
  rangeStart: '10.99.0.100',
  rangeEnd: '10.99.0.109',
  router: '10.99.0.254',
  dns: ['10.99.0.53', '1.1.1.1'],
  domainName: 'lab.example',
  bootFile: 'undionly.kpxe',
  bootFileUefi: 'ipxe.efi',
  bootFileArm64: 'ipxe-arm64.efi',
  bootFileIpxe: 'boot.ipxe',
  customOptions: [
    { code: 43, value: 'hex:01020304' },
    { code: 42, value: 'ip:10.99.0.123' },
  ],
};

function setup(over: Partial<DhcpSettings> = {}): {
  r: Responder;
  clock: FakeClock;
  store: MemoryStore;
  s: DhcpSettings;
} {
  const s = { ...PROVISION, ...over };
  const clock = new FakeClock();
  const store = new MemoryStore();
  const table = new LeaseTable({ start: s.rangeStart, end: s.rangeEnd }, s.reservations, store, clock);
  return { r: createResponder(s, table, clock), clock, store, s };
}

type Opts = [number, number[] | string][];

/** A client request, through the codec both ways as on the wire. */
function req(
  type: number | undefined,
  o: {
    mac?: string;
    ciaddr?: string;
    giaddr?: string;
    flags?: number;
    cookie?: boolean;
    options?: Opts;
    op?: number;
  } = {},
): DhcpMessage {
  const chaddr = Buffer.alloc(16);
  Buffer.from((o.mac ?? CLIENT).replaceAll(':', ''), 'hex').copy(chaddr);
  const options = new Map<number, Buffer>();
  if (type !== undefined) options.set(53, Buffer.from([type]));
  for (const [code, v] of o.options ?? [])
    options.set(code, typeof v === 'string' ? Buffer.from(v, 'latin1') : Buffer.from(v));
  const m: DhcpMessage = {
    op: o.op ?? 1,
    htype: 1,
    hlen: 6,
    hops: 0,
    xid: 0xcafe,
    secs: 3,
    flags: o.flags ?? 0,
    ciaddr: o.ciaddr ?? '0.0.0.0',
    yiaddr: '0.0.0.0',
    siaddr: '0.0.0.0',
    giaddr: o.giaddr ?? '0.0.0.0',
    chaddr,
    sname: '',
    file: '',
    cookie: o.cookie ?? true,
    options,
  };
  const d = decodeDhcp(encodeDhcp(m));
  if (!d.ok) throw new Error(d.error);
  return d.message;
}

/** The reply as the client receives it: encoded, then decoded. */
function wire(reply: DhcpReply | undefined): DhcpMessage {
  if (!reply) throw new Error('no reply');
  const d = decodeDhcp(encodeDhcp(reply.message));
  if (!d.ok) throw new Error(d.error);
  return d.message;
}

const ip = (a: string) => a.split('.').map(Number);
const u32 = (n: number) => [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const opt = (m: DhcpMessage, code: number) =>
  m.options.has(code) ? [...(m.options.get(code) ?? [])] : undefined;
const text = (m: DhcpMessage, code: number) => m.options.get(code)?.toString('latin1');
const BROADCAST = { address: '255.255.255.255', port: 68 };

describe('provision mode: DISCOVER -> OFFER', () => {
  it('offers the first pool address with every option, broadcast', () => {
    const { r, clock } = setup();
    const { reply, decision } = r.handle(
      req(DISCOVER, { options: [[55, [1, 3, 6, 15, 66, 67]]] }),
      'dhcp',
      FROM,
    );
    expect(reply?.to).toEqual(BROADCAST);
    expect(reply?.broadcast).toBe(true);
    const m = wire(reply);
    expect(m).toMatchObject({
      op: 2,
      xid: 0xcafe,
      yiaddr: '10.99.0.100',
      siaddr: '10.99.0.1',
      ciaddr: '0.0.0.0',
      giaddr: '0.0.0.0',
      sname: '10.99.0.1',
      file: 'undionly.kpxe',
      cookie: true,
    });
    expect(opt(m, 53)).toEqual([OFFER]);
    expect(opt(m, 54)).toEqual(ip('10.99.0.1'));
    expect(opt(m, 51)).toEqual(u32(3600));
    expect(opt(m, 58)).toEqual(u32(1800));
    expect(opt(m, 59)).toEqual(u32(3150));
    expect(opt(m, 1)).toEqual([255, 255, 255, 0]);
    expect(opt(m, 3)).toEqual(ip('10.99.0.254'));
    expect(opt(m, 6)).toEqual([...ip('10.99.0.53'), ...ip('1.1.1.1')]);
    expect(text(m, 15)).toBe('lab.example');
    expect(text(m, 66)).toBe('10.99.0.1');
    expect(text(m, 67)).toBe('undionly.kpxe');
    expect(opt(m, 150)).toEqual(ip('10.99.0.1'));
    expect(opt(m, 43)).toEqual([1, 2, 3, 4]);
    expect(opt(m, 42)).toEqual(ip('10.99.0.123'));
    expect(decision).toEqual({
      at: clock.t,
      mac: CLIENT,
      xid: 0xcafe,
      kind: 'DISCOVER',
      outcome: 'offered',
      reason:
        'offered 10.99.0.100, the next free address in the pool; boot file undionly.kpxe (no architecture given: the default boot file)',
      address: '10.99.0.100',
      bootFile: 'undionly.kpxe',
      via: 'dhcp',
    });
    expect(r.leases()).toMatchObject([
      { mac: CLIENT, address: '10.99.0.100', state: 'offered', bootFile: 'undionly.kpxe' },
    ]);
  });

  it('points devices at us as their log server (option 7) when asked, in DHCP and BOOTP replies', () => {
    const { r } = setup({ offerLogServer: true });
    const m = wire(r.handle(req(DISCOVER, { options: [[55, [1, 7]]] }), 'dhcp', FROM).reply);
    expect(opt(m, 7)).toEqual(ip('10.99.0.1'));
    expect([...m.options.keys()].slice(5, 7)).toEqual([1, 7]);
    const bootp = wire(setup({ offerLogServer: true }).r.handle(req(undefined), 'dhcp', FROM).reply);
    expect(opt(bootp, 7)).toEqual(ip('10.99.0.1'));
    // off by default, and a custom option 7 names another log server instead
    expect(opt(wire(setup().r.handle(req(DISCOVER), 'dhcp', FROM).reply), 7)).toBeUndefined();
    const custom = setup({ offerLogServer: true, customOptions: [{ code: 7, value: 'ip:10.99.0.9' }] });
    expect(opt(wire(custom.r.handle(req(DISCOVER), 'dhcp', FROM).reply), 7)).toEqual(ip('10.99.0.9'));
  });

  it('puts the options the client asked for in its order, right after the leading ones, and still sends the rest', () => {
    const { r } = setup();
    const m = wire(r.handle(req(DISCOVER, { options: [[55, [67, 66, 6, 3]]] }), 'dhcp', FROM).reply);
    expect([...m.options.keys()]).toEqual([53, 54, 51, 58, 59, 67, 66, 6, 3, 1, 15, 150, 43, 42]);
  });

  it('sends no router, DNS, domain or boot file options that are not set', () => {
    const { r } = setup({
      router: undefined,
      dns: [],
      domainName: undefined,
      bootFile: undefined,
      customOptions: [],
    });
    const { reply, decision } = r.handle(req(DISCOVER), 'dhcp', FROM);
    const m = wire(reply);
    expect([...m.options.keys()]).toEqual([53, 54, 51, 58, 59, 1, 66]);
    expect(m.file).toBe('');
    expect(decision.reason).toMatch(/no boot file \(no architecture given and no default boot file is set\)/);
  });

  it('fits the reply in 576 bytes unless option 57 allows more, dropping unrequested custom options from the end', () => {
    const big = [200, 201, 202].map((code) => ({ code, value: `hex:${'ab'.repeat(200)}` }));
    const { r } = setup({ customOptions: big });
    const small = r.handle(req(DISCOVER, { options: [[55, [1, 3, 201]]] }), 'dhcp', FROM).reply;
    const bytes = encodeDhcp(small?.message as DhcpMessage);
    expect(bytes.length).toBeLessThanOrEqual(548);
    const m = wire(small);
    expect(m.options.has(201)).toBe(true);
    expect(m.options.has(202)).toBe(false);
    expect(m.options.has(1) && m.options.has(51) && m.options.has(54)).toBe(true);
    const roomy = wire(
      r.handle(req(DISCOVER, { mac: '02:00:00:00:00:09', options: [[57, [0x05, 0xdc]]] }), 'dhcp', FROM)
        .reply,
    );
    expect([200, 201, 202].every((c) => roomy.options.has(c))).toBe(true);
  });

  it('ignores a DISCOVER when the pool is full of bound leases, and says so', () => {
    const { r } = setup({ rangeStart: '10.99.0.100', rangeEnd: '10.99.0.100' });
    r.handle(
      req(REQUEST, {
        mac: '02:00:00:00:00:01',
        options: [
          [54, ip('10.99.0.1')],
          [50, ip('10.99.0.100')],
        ],
      }),
      'dhcp',
      FROM,
    );
    const { reply, decision } = r.handle(req(DISCOVER), 'dhcp', FROM);
    expect(reply).toBeUndefined();
    expect(decision.outcome).toBe('ignored');
    expect(decision.reason).toBe(
      'no address to offer: all 1 addresses of the pool 10.99.0.100-10.99.0.100 are bound, reserved or quarantined',
    );
  });

  it('offers a reserved MAC its address', () => {
    const { r } = setup({ reservations: [{ mac: '52-54-00-12-34-56', address: '10.99.0.20' }] });
    const { reply, decision } = r.handle(req(DISCOVER, { options: [[50, ip('10.99.0.105')]] }), 'dhcp', FROM);
    expect(wire(reply).yiaddr).toBe('10.99.0.20');
    expect(decision.reason).toMatch(/^offered 10\.99\.0\.20, reserved for this MAC;/);
  });
});

describe('boot file by client', () => {
  const cases: [string, Opts, string, RegExp][] = [
    [
      'BIOS (arch 0)',
      [[93, [0, 0]]],
      'undionly.kpxe',
      /BIOS client \(architecture 0\): the default boot file/,
    ],
    ['x64 UEFI (arch 7)', [[93, [0, 7]]], 'ipxe.efi', /x64 UEFI client \(architecture 7\)/],
    ['EFI BC (arch 9)', [[93, [0, 9]]], 'ipxe.efi', /x64 UEFI client \(architecture 9\)/],
    ['ARM64 UEFI (arch 11)', [[93, [0, 11]]], 'ipxe-arm64.efi', /ARM64 UEFI client/],
    [
      'x86 UEFI (arch 6)',
      [[93, [0, 6]]],
      'undionly.kpxe',
      /architecture 6 \(efi32\) has no boot file of its own: the default/,
    ],
    [
      'iPXE on UEFI',
      [
        [93, [0, 7]],
        [77, 'iPXE'],
      ],
      'boot.ipxe',
      /already runs iPXE/,
    ],
    ['iPXE as an RFC 3004 class list', [[77, [4, ...Buffer.from('iPXE')]]], 'boot.ipxe', /already runs iPXE/],
  ];
  for (const [name, options, file, why] of cases) {
    it(`${name} gets ${file}`, () => {
      const { r } = setup();
      const { reply, decision } = r.handle(req(DISCOVER, { options }), 'dhcp', FROM);
      const m = wire(reply);
      expect(m.file).toBe(file);
      expect(text(m, 67)).toBe(file);
      expect(decision.bootFile).toBe(file);
      expect(decision.reason).toMatch(why);
    });
  }

  it('carries the arch and user class into the decision', () => {
    const { r } = setup();
    const { decision } = r.handle(
      req(DISCOVER, {
        options: [
          [93, [0, 7]],
          [77, 'iPXE'],
          [60, 'PXEClient:Arch:00007:UNDI:003016'],
        ],
      }),
      'dhcp',
      FROM,
    );
    expect(decision).toMatchObject({
      arch: 7,
      userClass: 'iPXE',
      vendorClass: 'PXEClient:Arch:00007:UNDI:003016',
    });
  });

  it("a reservation's boot file wins over the architecture, but not over iPXE", () => {
    const reservations = [{ mac: CLIENT, address: '10.99.0.20', bootFile: 'special-$MAC$.efi' }];
    const { r } = setup({ reservations });
    expect(wire(r.handle(req(DISCOVER, { options: [[93, [0, 7]]] }), 'dhcp', FROM).reply).file).toBe(
      'special-52-54-00-12-34-56.efi',
    );
    expect(wire(r.handle(req(DISCOVER, { options: [[77, 'iPXE']] }), 'dhcp', FROM).reply).file).toBe(
      'boot.ipxe',
    );
  });

  it('replaces $MAC$, $IP$ and $ARCH$', () => {
    const { r } = setup({ bootFileUefi: 'hosts/$MAC$/$IP$-$ARCH$.efi' });
    const m = wire(r.handle(req(DISCOVER, { options: [[93, [0, 7]]] }), 'dhcp', FROM).reply);
    expect(m.file).toBe('hosts/52-54-00-12-34-56/10.99.0.100-efi64.efi');
  });

  it('leaves the file field empty, with option 67 only, when the expanded name outgrows it', () => {
    const { r } = setup({ bootFile: `${'d/'.repeat(55)}$MAC$.bin` });
    const m = wire(r.handle(req(DISCOVER), 'dhcp', FROM).reply);
    expect(m.file).toBe('');
    expect(text(m, 67)).toBe(`${'d/'.repeat(55)}52-54-00-12-34-56.bin`);
  });
});

describe('provision mode: REQUEST (RFC 2131 4.3.2)', () => {
  const sid: [number, number[]] = [54, ip('10.99.0.1')];

  it('SELECTING: acks the offered address, broadcast, and binds it', () => {
    const { r, store } = setup();
    r.handle(req(DISCOVER), 'dhcp', FROM);
    const { reply, decision } = r.handle(
      req(REQUEST, { options: [sid, [50, ip('10.99.0.100')]] }),
      'dhcp',
      FROM,
    );
    expect(reply?.to).toEqual(BROADCAST);
    const m = wire(reply);
    expect(opt(m, 53)).toEqual([ACK]);
    expect(m).toMatchObject({ yiaddr: '10.99.0.100', siaddr: '10.99.0.1', file: 'undionly.kpxe' });
    expect(opt(m, 51)).toEqual(u32(3600));
    expect(decision.outcome).toBe('acked');
    expect(decision.reason).toMatch(/^acked 10\.99\.0\.100 for 3600 s \(selecting: it took our offer\)/);
    expect(r.leases()).toMatchObject([{ address: '10.99.0.100', state: 'bound', bootFile: 'undionly.kpxe' }]);
    expect(store.records).toMatchObject([{ mac: CLIENT, address: '10.99.0.100', state: 'bound' }]);
  });

  it('the client chose another server: our offer is withdrawn, no answer', () => {
    const { r } = setup();
    r.handle(req(DISCOVER), 'dhcp', FROM);
    const { reply, decision } = r.handle(
      req(REQUEST, {
        options: [
          [54, ip('10.99.0.2')],
          [50, ip('10.99.0.77')],
        ],
      }),
      'dhcp',
      FROM,
    );
    expect(reply).toBeUndefined();
    expect(decision).toMatchObject({
      outcome: 'ignored',
      reason: 'the client chose the DHCP server 10.99.0.2; our offer of 10.99.0.100 withdrawn',
    });
    expect(r.leases()).toEqual([]);
  });

  it('NAKs an address another client holds: broadcast, siaddr 0, only 53 and 54', () => {
    const { r } = setup();
    r.handle(req(DISCOVER, { mac: '02:00:00:00:00:01' }), 'dhcp', FROM);
    const { reply, decision } = r.handle(
      req(REQUEST, { options: [sid, [50, ip('10.99.0.100')]] }),
      'dhcp',
      FROM,
    );
    expect(reply?.to).toEqual(BROADCAST);
    const m = wire(reply);
    expect(m).toMatchObject({ yiaddr: '0.0.0.0', siaddr: '0.0.0.0', ciaddr: '0.0.0.0' });
    expect([...m.options]).toEqual([
      [53, Buffer.from([NAK])],
      [54, Buffer.from(ip('10.99.0.1'))],
    ]);
    expect(decision).toMatchObject({
      outcome: 'nak',
      address: '10.99.0.100',
      reason: 'NAK for 10.99.0.100: 10.99.0.100 is offered to 02:00:00:00:00:01',
    });
  });

  it('INIT-REBOOT: acks a known client its address, NAKs another or an off-network one, stays silent for a stranger', () => {
    const { r } = setup();
    r.handle(req(DISCOVER), 'dhcp', FROM);
    r.handle(req(REQUEST, { options: [sid, [50, ip('10.99.0.100')]] }), 'dhcp', FROM);
    const again = r.handle(req(REQUEST, { options: [[50, ip('10.99.0.100')]] }), 'dhcp', FROM);
    expect(opt(wire(again.reply), 53)).toEqual([ACK]);
    expect(again.decision.reason).toMatch(/init-reboot/);
    const wrong = r.handle(req(REQUEST, { options: [[50, ip('10.99.0.105')]] }), 'dhcp', FROM);
    expect(wrong.decision).toMatchObject({
      outcome: 'nak',
      reason: 'NAK for 10.99.0.105: its address here is 10.99.0.100',
    });
    const away = r.handle(req(REQUEST, { options: [[50, ip('192.168.1.40')]] }), 'dhcp', FROM);
    expect(away.decision).toMatchObject({
      outcome: 'nak',
      reason: 'NAK for 192.168.1.40: not on this network (10.99.0.1/24)',
    });
    const stranger = r.handle(
      req(REQUEST, { mac: '02:00:00:00:00:07', options: [[50, ip('10.99.0.101')]] }),
      'dhcp',
      FROM,
    );
    expect(stranger.reply).toBeUndefined();
    expect(stranger.decision.reason).toMatch(/no record of the client: silent, as RFC 2131 4\.3\.2 asks/);
  });

  it('INIT-REBOOT: an offer the client has not taken is no record of it', () => {
    const { r } = setup();
    r.handle(req(DISCOVER), 'dhcp', FROM);
    const other = r.handle(req(REQUEST, { options: [[50, ip('10.99.0.150')]] }), 'dhcp', FROM);
    expect(other.reply).toBeUndefined();
    expect(other.decision.outcome).toBe('ignored');
  });

  it('RENEWING: acks unicast to ciaddr with ciaddr filled in; NAKs an address someone else holds', () => {
    const { r, clock } = setup();
    r.handle(req(DISCOVER), 'dhcp', FROM);
    r.handle(req(REQUEST, { options: [sid, [50, ip('10.99.0.100')]] }), 'dhcp', FROM);
    clock.t += 1_800_000;
    const renew = r.handle(req(REQUEST, { ciaddr: '10.99.0.100' }), 'dhcp', {
      address: '10.99.0.100',
      port: 68,
    });
    expect(renew.reply?.to).toEqual({ address: '10.99.0.100', port: 68 });
    expect(renew.reply?.broadcast).toBe(false);
    expect(wire(renew.reply)).toMatchObject({ ciaddr: '10.99.0.100', yiaddr: '10.99.0.100' });
    expect(r.leases()[0]?.expiresAt).toBe(clock.t + 3_600_000);
    const thief = r.handle(req(REQUEST, { mac: '02:00:00:00:00:08', ciaddr: '10.99.0.100' }), 'dhcp', FROM);
    expect(thief.decision.outcome).toBe('nak');
    expect(thief.reply?.to).toEqual(BROADCAST);
  });

  it('REQUEST with nothing to go on is ignored with the reason', () => {
    const { r } = setup();
    expect(r.handle(req(REQUEST), 'dhcp', FROM).decision.reason).toBe(
      'REQUEST with no server identifier, requested address or ciaddr',
    );
  });
});

describe('provision mode: DECLINE, RELEASE, INFORM', () => {
  const sid: [number, number[]] = [54, ip('10.99.0.1')];

  it('DECLINE quarantines the address: no reply, and it is not offered again', () => {
    const { r } = setup();
    r.handle(req(DISCOVER), 'dhcp', FROM);
    r.handle(req(REQUEST, { options: [sid, [50, ip('10.99.0.100')]] }), 'dhcp', FROM);
    const { reply, decision } = r.handle(
      req(DECLINE, { options: [sid, [50, ip('10.99.0.100')]] }),
      'dhcp',
      FROM,
    );
    expect(reply).toBeUndefined();
    expect(decision).toMatchObject({ outcome: 'declined', address: '10.99.0.100' });
    expect(decision.reason).toMatch(/already in use .* kept out of the pool for 10 min/);
    expect(wire(r.handle(req(DISCOVER), 'dhcp', FROM).reply).yiaddr).toBe('10.99.0.101');
  });

  it("a DECLINE of another client's address changes nothing", () => {
    const { r } = setup();
    r.handle(req(DISCOVER), 'dhcp', FROM);
    r.handle(req(REQUEST, { options: [sid, [50, ip('10.99.0.100')]] }), 'dhcp', FROM);
    const stray = r.handle(
      req(DECLINE, { mac: '02:00:00:00:00:03', options: [sid, [50, ip('10.99.0.100')]] }),
      'dhcp',
      FROM,
    );
    expect(stray.decision).toMatchObject({
      outcome: 'ignored',
      reason: `DECLINE of 10.99.0.100 not taken: 10.99.0.100 is leased to ${CLIENT}, not this client`,
    });
    expect(r.leases()).toMatchObject([{ mac: CLIENT, state: 'bound' }]);
  });

  it('RELEASE frees the lease: no reply', () => {
    const { r } = setup();
    r.handle(req(DISCOVER), 'dhcp', FROM);
    r.handle(req(REQUEST, { options: [sid, [50, ip('10.99.0.100')]] }), 'dhcp', FROM);
    const { reply, decision } = r.handle(
      req(RELEASE, { ciaddr: '10.99.0.100', options: [sid] }),
      'dhcp',
      FROM,
    );
    expect(reply).toBeUndefined();
    expect(decision).toMatchObject({ outcome: 'released', reason: 'released 10.99.0.100' });
    expect(r.leases()[0]?.state).toBe('released');
    const twice = r.handle(req(RELEASE, { ciaddr: '10.99.0.100', options: [sid] }), 'dhcp', FROM);
    expect(twice.decision).toMatchObject({ outcome: 'ignored' });
  });

  it('INFORM: an ACK with configuration, no address and no lease, unicast to ciaddr', () => {
    const { r } = setup();
    const { reply, decision } = r.handle(req(INFORM, { ciaddr: '10.99.0.42' }), 'dhcp', {
      address: '10.99.0.42',
      port: 68,
    });
    expect(reply?.to).toEqual({ address: '10.99.0.42', port: 68 });
    const m = wire(reply);
    expect(m).toMatchObject({ yiaddr: '0.0.0.0', ciaddr: '10.99.0.42', siaddr: '10.99.0.1' });
    expect(opt(m, 53)).toEqual([ACK]);
    expect(m.options.has(51) || m.options.has(58) || m.options.has(59)).toBe(false);
    expect(opt(m, 3)).toEqual(ip('10.99.0.254'));
    expect(decision.outcome).toBe('informed');
    expect(r.leases()).toEqual([]);
  });

  it('ignores message types a client does not send', () => {
    const { r } = setup();
    expect(r.handle(req(OFFER), 'dhcp', FROM).decision).toMatchObject({
      outcome: 'ignored',
      kind: 'OFFER',
      reason: 'message type 2 (OFFER) is not one a client sends to a server',
    });
  });
});

describe('plain BOOTP', () => {
  it('without the cookie: a reply without a vendor area, an address held at least a day', () => {
    const { r, clock } = setup();
    const { reply, decision } = r.handle(req(undefined, { cookie: false }), 'dhcp', FROM);
    expect(reply?.to).toEqual(BROADCAST);
    const m = wire(reply);
    expect(m).toMatchObject({
      op: 2,
      cookie: false,
      yiaddr: '10.99.0.100',
      siaddr: '10.99.0.1',
      sname: '10.99.0.1',
      file: 'undionly.kpxe',
    });
    expect(m.options.size).toBe(0);
    expect(encodeDhcp(reply?.message as DhcpMessage).length).toBe(300);
    expect(decision).toMatchObject({ kind: 'BOOTP', outcome: 'bootp-replied', address: '10.99.0.100' });
    expect(r.leases()).toMatchObject([{ state: 'bound', expiresAt: clock.t + 86_400_000 }]);
    // the same MAC gets the same address back
    expect(wire(r.handle(req(undefined, { cookie: false }), 'dhcp', FROM).reply).yiaddr).toBe('10.99.0.100');
  });

  it('with the cookie: plain options 1, 3, 6, 66, 67 and never option 53', () => {
    const { r } = setup();
    const m = wire(r.handle(req(undefined), 'dhcp', FROM).reply);
    expect(m.cookie).toBe(true);
    expect([...m.options.keys()]).toEqual([1, 3, 6, 66, 67]);
  });

  it('a reserved BOOTP client gets its reservation; one that knows its address gets boot information only', () => {
    const { r } = setup({ reservations: [{ mac: CLIENT, address: '10.99.0.30', bootFile: 'routeros.npk' }] });
    const m = wire(r.handle(req(undefined, { cookie: false }), 'dhcp', FROM).reply);
    expect(m).toMatchObject({ yiaddr: '10.99.0.30', file: 'routeros.npk' });
    const known = r.handle(req(undefined, { mac: '02:00:00:00:00:05', ciaddr: '10.99.0.77' }), 'dhcp', FROM);
    expect(known.reply?.to).toEqual({ address: '10.99.0.77', port: 68 });
    expect(wire(known.reply)).toMatchObject({
      yiaddr: '0.0.0.0',
      ciaddr: '10.99.0.77',
      file: 'undionly.kpxe',
    });
    expect(known.decision.reason).toMatch(/knows its address 10\.99\.0\.77/);
  });
});

describe('filters and what is never answered', () => {
  it('ignores relayed requests, replies, filtered MACs and vendor classes, and says which', () => {
    const { r } = setup({ allowMacs: ['52:54:00:12:34:56'], allowVendorPrefixes: ['PXEClient'] });
    const pxe: Opts = [[60, 'PXEClient:Arch:00000']];
    expect(r.handle(req(DISCOVER, { giaddr: '10.50.0.1', options: pxe }), 'dhcp', FROM).decision.reason).toBe(
      'relayed by 10.50.0.1: this server answers its own network segment only, not through relay agents',
    );
    expect(r.handle(req(DISCOVER, { op: 2, options: pxe }), 'dhcp', FROM).decision.reason).toMatch(
      /not a request/,
    );
    expect(
      r.handle(req(DISCOVER, { mac: '02:00:00:00:00:01', options: pxe }), 'dhcp', FROM).decision.reason,
    ).toBe('MAC 02:00:00:00:00:01 is not in the allowed MACs filter');
    expect(r.handle(req(DISCOVER, { options: [[60, 'MSFT 5.0']] }), 'dhcp', FROM).decision.reason).toBe(
      'vendor class "MSFT 5.0" matches none of the allowed vendor prefixes (PXEClient)',
    );
    expect(r.handle(req(DISCOVER), 'dhcp', FROM).decision.reason).toMatch(
      /vendor class \(none\) matches none/,
    );
    expect(r.handle(req(DISCOVER, { options: pxe }), 'dhcp', FROM).decision.outcome).toBe('offered');
  });

  it('answers nothing when off, and nothing on port 4011 in provision mode', () => {
    expect(setup({ mode: 'off' }).r.handle(req(DISCOVER), 'dhcp', FROM).decision.reason).toBe(
      'the DHCP service is off',
    );
    const { r } = setup();
    expect(r.handle(req(REQUEST), 'proxy-4011', FROM).decision).toMatchObject({
      outcome: 'ignored',
      via: 'proxy-4011',
    });
  });

  it('tick() drops a lapsed offer and reports the change', () => {
    const { r, clock } = setup();
    r.handle(req(DISCOVER), 'dhcp', FROM);
    expect(r.tick()).toBe(false);
    clock.t += 30_000;
    expect(r.tick()).toBe(true);
    expect(r.leases()).toEqual([]);
  });
});

describe('proxyDHCP', () => {
  const PROXY: Partial<DhcpSettings> = {
    mode: 'proxy',
    rangeStart: '',
    rangeEnd: '',
    router: undefined,
    customOptions: [],
  };
  const pxe = (arch = 7): Opts => [
    [60, `PXEClient:Arch:0000${arch}:UNDI:003016`],
    [93, [0, arch]],
    [97, [0, ...Array.from({ length: 16 }, (_, i) => i)]],
  ];

  it('port 67: answers a PXE DISCOVER with boot information and no address', () => {
    const { r } = setup(PROXY);
    const { reply, decision } = r.handle(req(DISCOVER, { options: pxe() }), 'proxy-67', FROM);
    expect(reply?.to).toEqual(BROADCAST);
    const m = wire(reply);
    expect(m).toMatchObject({ yiaddr: '0.0.0.0', siaddr: '10.99.0.1', file: 'ipxe.efi', sname: '10.99.0.1' });
    expect(opt(m, 53)).toEqual([OFFER]);
    expect(opt(m, 54)).toEqual(ip('10.99.0.1'));
    expect(text(m, 60)).toBe('PXEClient');
    expect(opt(m, 43)).toEqual([6, 1, 8, 255]);
    expect(opt(m, 97)).toEqual([0, ...Array.from({ length: 16 }, (_, i) => i)]);
    expect(text(m, 67)).toBe('ipxe.efi');
    for (const code of [51, 58, 59, 3, 6]) expect(m.options.has(code)).toBe(false);
    expect(decision).toMatchObject({ outcome: 'offered', via: 'proxy-67', bootFile: 'ipxe.efi' });
    expect(decision.address).toBeUndefined();
    expect(r.leases()).toEqual([]);
  });

  it('a request that came in as "dhcp" in proxy mode is the port 67 one', () => {
    const { r } = setup(PROXY);
    expect(r.handle(req(DISCOVER, { options: pxe() }), 'dhcp', FROM).decision.via).toBe('proxy-67');
  });

  it('port 4011: ACKs a REQUEST, unicast back to the sender', () => {
    const { r } = setup(PROXY);
    const from = { address: '10.99.0.150', port: 4011 };
    const { reply, decision } = r.handle(
      req(REQUEST, { ciaddr: '10.99.0.150', options: pxe(0) }),
      'proxy-4011',
      from,
    );
    expect(reply?.to).toEqual(from);
    expect(reply?.broadcast).toBe(false);
    const m = wire(reply);
    expect(opt(m, 53)).toEqual([ACK]);
    expect(m).toMatchObject({ yiaddr: '0.0.0.0', ciaddr: '10.99.0.150', file: 'undionly.kpxe' });
    expect(decision).toMatchObject({ outcome: 'acked', via: 'proxy-4011' });
  });

  it('ignores what is not a PXE DISCOVER on 67 or a PXE REQUEST on 4011, with the reason', () => {
    const { r } = setup(PROXY);
    expect(r.handle(req(DISCOVER), 'proxy-67', FROM).decision.reason).toBe(
      'not a PXE client (no option 60): proxyDHCP answers PXE ROMs only',
    );
    expect(r.handle(req(DISCOVER, { options: [[60, 'udhcp 1.36']] }), 'proxy-67', FROM).decision.reason).toBe(
      'not a PXE client (vendor class "udhcp 1.36"): proxyDHCP answers PXE ROMs only',
    );
    expect(r.handle(req(REQUEST, { options: pxe() }), 'proxy-67', FROM).decision.reason).toMatch(
      /^REQUEST on port 67: proxyDHCP answers only DISCOVER there/,
    );
    expect(r.handle(req(DISCOVER, { options: pxe() }), 'proxy-4011', FROM).decision.reason).toBe(
      'DISCOVER on port 4011: the boot server answers only REQUEST',
    );
    const none = setup({ ...PROXY, bootFile: undefined, bootFileArm64: undefined, bootFileIpxe: undefined });
    expect(none.r.handle(req(DISCOVER, { options: pxe(11) }), 'proxy-67', FROM).decision.reason).toBe(
      'nothing to boot: architecture 11 (arm64) has no boot file of its own and no default boot file is set',
    );
  });

  it('a custom option 43 replaces the PXE discovery control', () => {
    const { r } = setup({ ...PROXY, customOptions: [{ code: 43, value: 'hex:0601030a0400' }] });
    expect(opt(wire(r.handle(req(DISCOVER, { options: pxe() }), 'proxy-67', FROM).reply), 43)).toEqual([
      6, 1, 3, 10, 4, 0,
    ]);
  });
});
