// RFC 2131 section 4 (server behaviour), RFC 951 (BOOTP), PXE 2.1 / RFC 4578 (proxyDHCP): the pure
// responder. A decoded request, where it came in and the time go in; a reply (or none) and a decision
// saying why in plain words come out. The lease table is the only state.
//
// Before any answer, in this order: a reply (op 2) is not for us; a relayed request (giaddr set) is
// ignored, as this server answers its own segment only; the MAC and vendor class filters; the mode.
// Provision mode answers on port 67 ('dhcp'); proxy mode on 67 ('proxy-67', which is also what a
// 'dhcp' request becomes in proxy mode) and 4011 ('proxy-4011').
import type { DhcpDecision, DhcpLeaseView, DhcpSettings } from '../../shared/dhcp.js';
import type { DhcpMessage } from './codec.js';
import type { Clock, LeaseTable } from './leases.js';
import { handleProxy } from './proxy.js';
import { Provisioner } from './provision.js';
import { clientOf, decision, prepare, type DhcpReply, type Via } from './responder-context.js';

export type { Clock } from './leases.js';
export type { DhcpReply, Via } from './responder-context.js';

export interface Responder {
  handle(
    message: DhcpMessage,
    via: Via,
    from: { address: string; port: number },
  ): { reply?: DhcpReply; decision: DhcpDecision };
  /** for events and the UI */
  leases(): DhcpLeaseView[];
  /** expire offers and leases; true when the lease view changed */
  tick(): boolean;
}

export function createResponder(settings: DhcpSettings, leases: LeaseTable, clock: Clock): Responder {
  const p = prepare(settings);
  const provisioner = new Provisioner(p, leases);
  const prefixes = settings.allowVendorPrefixes.filter((v) => v.length > 0);
  return {
    handle(message, via, from) {
      const now = clock.now();
      const c = clientOf(message);
      const where: Via = settings.mode === 'proxy' && via === 'dhcp' ? 'proxy-67' : via;
      const ignore = (reason: string) => ({ decision: decision(now, c, where, 'ignored', reason) });
      if (message.op !== 1) return ignore(`not a request (BOOTP op ${message.op} is a server's reply)`);
      if (message.giaddr !== '0.0.0.0')
        return ignore(
          `relayed by ${message.giaddr}: this server answers its own network segment only, not through relay agents`,
        );
      if (c.mac === '') return ignore('no hardware address (hlen 0)');
      if (p.allowMacs.size > 0 && !p.allowMacs.has(c.mac))
        return ignore(`MAC ${c.mac} is not in the allowed MACs filter`);
      if (prefixes.length > 0 && !prefixes.some((v) => c.vendorClass?.startsWith(v)))
        return ignore(
          `vendor class ${c.vendorClass === undefined ? '(none)' : `"${c.vendorClass}"`} matches none of the allowed vendor prefixes (${prefixes.join(', ')})`,
        );
      switch (settings.mode) {
        case 'provision':
          if (where !== 'dhcp')
            return ignore("port 4011 is proxyDHCP's, and this server runs in provision mode");
          return provisioner.handle(c, now);
        case 'proxy':
          return handleProxy(p, c, where === 'proxy-4011' ? 'proxy-4011' : 'proxy-67', from, now);
        default:
          return ignore('the DHCP service is off');
      }
    },
    leases: () => leases.views(),
    tick: () => leases.tick(),
  };
}
