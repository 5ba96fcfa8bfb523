// Send ourselves a TFTP request through the chosen address and wait for the running server's
// answer: real sockets, the same port and address a device uses. The request is an RRQ without a
// mode, which the engine answers with ERROR 4 "Malformed request" straight from the listening
// port, starting no transfer (the log shows one "malformed request refused" line).
import { createSocket } from 'node:dgram';
import type { PreflightCheck } from '../../../shared/preflight.js';

const TITLE = 'Answer through this address';

const PROBE = Buffer.concat([
  Buffer.from([0, 1]),
  Buffer.from('tftp-desk-preflight', 'latin1'),
  Buffer.from([0]),
]);

export type SelfRequestOutcome = { answered: true; opcode: number } | { answered: false; reason: string };

export function sendSelfRequest(
  address: string,
  port: number,
  timeoutMs = 1500,
): Promise<SelfRequestOutcome> {
  return new Promise((resolve) => {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    let timer: NodeJS.Timeout | undefined;
    const done = (outcome: SelfRequestOutcome) => {
      if (timer) clearTimeout(timer);
      socket.removeAllListeners();
      socket.close();
      resolve(outcome);
    };
    socket.on('error', (err: NodeJS.ErrnoException) =>
      done({ answered: false, reason: err.code ?? err.message }),
    );
    socket.on('message', (msg, rinfo) => {
      if (rinfo.address !== address || msg.length < 2) return;
      done({ answered: true, opcode: msg.readUInt16BE(0) });
    });
    // bound to the address, so the request leaves from it and the answer comes back to it
    socket.bind(0, address, () => {
      socket.send(PROBE, port, address);
      timer = setTimeout(() => done({ answered: false, reason: 'timeout' }), timeoutMs);
    });
  });
}

export interface SelfInput {
  address?: string;
  port: number;
  serverListening: boolean;
  /** the allow-list admits our own address (else the server drops the probe by design) */
  allowsSelf: boolean;
  /** the server's listen addresses include this one (else no test is sent) */
  listensOn?: boolean;
  hosts?: readonly string[];
  outcome?: SelfRequestOutcome;
}

export function judgeSelfRequest(input: SelfInput): PreflightCheck {
  const { address, port } = input;
  if (address === undefined)
    return {
      id: 'self-request',
      title: TITLE,
      status: 'skipped',
      summary: 'Choose an interface or an address to send a test request through.',
    };
  if (!input.serverListening)
    return {
      id: 'self-request',
      title: TITLE,
      status: 'skipped',
      summary: 'The server is not running: start it, then check again to send it a test request.',
    };
  if (input.listensOn === false)
    return {
      id: 'self-request',
      title: TITLE,
      status: 'problem',
      summary: `The server listens only on ${(input.hosts ?? []).join(', ')}, not on ${address}: requests to ${address} get no answer.`,
      fix: {
        text: `Add ${address} to the listen addresses (the Interface panel or Settings), or listen on all interfaces.`,
      },
    };
  if (!input.allowsSelf)
    return {
      id: 'self-request',
      title: TITLE,
      status: 'unknown',
      summary: `The allow-list leaves out ${address} itself, so the server drops a test from this machine; this check cannot tell more.`,
    };
  const outcome = input.outcome;
  const where = `${address.includes(':') ? `[${address}]` : address}:${port}`;
  if (outcome?.answered === true)
    return {
      id: 'self-request',
      title: TITLE,
      status: 'ok',
      summary: `The server answered a test request sent to ${where}.`,
      evidence: 'RRQ without a mode; the answer was an ERROR packet, as expected',
    };
  const reason = outcome?.reason ?? 'not sent';
  if (reason === 'EADDRNOTAVAIL')
    // the address check above already reports it as the problem, with its fix
    return {
      id: 'self-request',
      title: TITLE,
      status: 'skipped',
      summary: `${address} is not on this machine yet: add it (see above), then check again to send a test request through it.`,
    };
  return {
    id: 'self-request',
    title: TITLE,
    status: 'problem',
    summary: `No answer to a test request sent to ${where} (${reason === 'timeout' ? 'nothing came back in 1.5 s' : reason}). A firewall on this machine, or the server listening on other addresses only, stops it; devices get no answer either.`,
    fix: { text: 'See the firewall check below, and the listen addresses in Settings.' },
  };
}
