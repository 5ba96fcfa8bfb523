// Which client sent this request? RFC 2347 leaves the option set, its order and its values to each
// client, and each writes them from a fixed template, so the shape of one RRQ/WRQ names the client
// more often than not. The table below was read from the clients' own request builders and checked
// against captures of the real clients (test/interop/fingerprint.test.ts):
//   U-Boot    net/tftp.c tftp_send()        octet timeout N [tsize N] blksize N [windowsize N]
//   iPXE      src/net/udp/tftp.c            octet blksize N tsize 0 [multicast ""]
//   GRUB 2    grub-core/net/tftp.c          octet blksize 1024 tsize 0
//   pxelinux  core/fs/pxe/tftp.c rrq_tail   octet tsize 0 blksize 1408
//   Windows   bootmgr / WDS                 octet tsize 0 blksize N windowsize N [msftwindow 31416]
//   curl      lib/tftp.c                    octet|netascii tsize N blksize N timeout N (6 by default)
//   atftp     (option table order)          any of tsize timeout blksize multicast windowsize, in order
//   BusyBox   networking/tftp.c             octet [blksize N] tsize N
//   tftp-hpa  tftp/tftp.c                   netascii (its default) or octet, never options
//   PXE ROMs  firmware                      octet tsize 0 (size probe) or octet blksize N
// The name is a second witness: U-Boot without a boot file asks for its IP in hex + ".img", Cisco
// phones for SEP<MAC>.cnf.xml, Windows uses backslashes. Spelling counts: every client above writes
// the mode and option names in lower case, so anything else matches none of them.
// Pure, never throws.
import type {
  ClientFingerprint,
  OptionAsSent,
  RequestAsSent,
  TftpClientKind,
} from '../../shared/tftp-types.js';
import { TFTP_CLIENT_NAMES } from '../../shared/tftp-types.js';

export interface RequestShape {
  kind: 'rrq' | 'wrq';
  name: string;
  mode: string;
  options: readonly OptionAsSent[];
}

interface Signature {
  client: TftpClientKind;
  why: string;
  test(r: RequestShape, names: string): boolean;
}

const value = (r: RequestShape, name: string): string | undefined =>
  r.options.find((o) => o.name === name)?.value;
const isNumber = (v: string | undefined): boolean => v !== undefined && /^\d{1,10}$/.test(v);
const octet = (r: RequestShape): boolean => r.mode === 'octet';

/** Is `names` (space-separated) a non-empty subsequence of `order`? */
function inOrder(names: string, order: readonly string[]): boolean {
  if (names === '') return false;
  let at = 0;
  for (const n of names.split(' ')) {
    const i = order.indexOf(n, at);
    if (i < 0) return false;
    at = i + 1;
  }
  return true;
}

const ATFTP_ORDER = ['tsize', 'timeout', 'blksize', 'multicast', 'windowsize'];

// Most specific first: when several match, the first is the guess and the rest are named.
const SIGNATURES: readonly Signature[] = [
  {
    client: 'u-boot',
    why: 'timeout first, then [tsize,] blksize[, windowsize]: the order of U-Boot net/tftp.c',
    test: (r, n) =>
      octet(r) && /^timeout( tsize)? blksize( windowsize)?$/.test(n) && isNumber(value(r, 'timeout')),
  },
  {
    client: 'ipxe',
    why: 'blksize, tsize 0 and an empty multicast option: the iPXE request',
    test: (r, n) => octet(r) && n === 'blksize tsize multicast' && value(r, 'multicast') === '',
  },
  {
    client: 'windows-bootmgr',
    why: 'msftwindow 31416 after tsize, blksize and windowsize: the Windows boot manager',
    test: (r, n) => octet(r) && n === 'tsize blksize windowsize msftwindow',
  },
  {
    client: 'curl',
    why: 'tsize, blksize, timeout in that order: curl lib/tftp.c (its default timeout is 6)',
    test: (r, n) => (r.mode === 'octet' || r.mode === 'netascii') && n === 'tsize blksize timeout',
  },
  {
    client: 'pxelinux',
    why: 'tsize 0 then blksize 1408: the fixed request tail of pxelinux (syslinux core/fs/pxe/tftp.c)',
    test: (r, n) =>
      octet(r) && n === 'tsize blksize' && value(r, 'tsize') === '0' && value(r, 'blksize') === '1408',
  },
  {
    client: 'grub',
    why: 'blksize 1024 then tsize 0: GRUB grub-core/net/tftp.c',
    test: (r, n) =>
      octet(r) && n === 'blksize tsize' && value(r, 'blksize') === '1024' && value(r, 'tsize') === '0',
  },
  {
    client: 'ipxe',
    why: 'blksize then tsize 0: the iPXE order (without its multicast option)',
    test: (r, n) => octet(r) && n === 'blksize tsize' && value(r, 'tsize') === '0',
  },
  {
    client: 'windows-bootmgr',
    why: 'tsize 0, blksize, windowsize: the Windows boot manager order',
    test: (r, n) => octet(r) && n === 'tsize blksize windowsize' && value(r, 'tsize') === '0',
  },
  {
    client: 'busybox',
    why: 'tsize last, after blksize when one is asked: BusyBox networking/tftp.c',
    test: (r, n) => octet(r) && (n === 'tsize' || n === 'blksize tsize' || n === 'blksize'),
  },
  {
    client: 'pxe-rom',
    why: 'a lone tsize 0 (size probe) or a lone blksize: what PXE firmware sends',
    test: (r, n) =>
      octet(r) && r.kind === 'rrq' && ((n === 'tsize' && value(r, 'tsize') === '0') || n === 'blksize'),
  },
  {
    client: 'atftp',
    why: 'options in the order of the atftp option table (tsize, timeout, blksize, multicast, windowsize)',
    test: (r, n) => (r.mode === 'octet' || r.mode === 'netascii') && inOrder(n, ATFTP_ORDER),
  },
  {
    client: 'tftp-hpa',
    why: 'netascii and no options: the tftp-hpa client default (it never sends options)',
    test: (r, n) => r.mode === 'netascii' && n === '',
  },
];

interface NameHint {
  client: TftpClientKind;
  why: string;
  pattern: RegExp;
}

const NAME_HINTS: readonly NameHint[] = [
  {
    client: 'u-boot',
    why: 'the name is an IPv4 address in hex + ".img": U-Boot without a boot file',
    pattern: /^[0-9A-F]{8}\.img$/,
  },
  { client: 'u-boot', why: 'a U-Boot boot script name', pattern: /(^|\/)boot\.scr(\.uimg)?$/ },
  {
    client: 'cisco',
    why: 'a Cisco IP phone file (SEP/CTL/ITL + MAC, XMLDefault)',
    pattern: /^\/?((SEP|CTLSEP|ITLSEP)[0-9A-Fa-f]{12}\b|XMLDefault\.cnf\.xml$|(CTL|ITL)File\.tlv$)/,
  },
  {
    client: 'cisco',
    why: 'a Cisco IOS autoinstall name (network-confg, router-confg, HOST-confg, cisconet.cfg)',
    pattern: /^\/?([\w.-]+-confg|cisconet\.cfg|ciscortr\.cfg|router\.cfg)$/,
  },
  {
    client: 'windows-bootmgr',
    why: 'a Windows boot file name (backslashes, BCD, boot.sdi, .wim, WDS loaders)',
    pattern: /\\|(^|\/)(bcd|boot\.sdi|[^/]*\.wim|bootmgfw\.efi|wdsnbp\.com|wdsmgfw\.efi|pxeboot\.n12)$/i,
  },
  {
    client: 'pxelinux',
    why: 'a pxelinux config or module name (pxelinux.cfg/..., .c32)',
    pattern: /(^|\/)pxelinux\.cfg\/|\.c32$/,
  },
  {
    client: 'grub',
    why: 'a GRUB name (grub.cfg, grub/, platform module folders, .mod)',
    pattern: /(^|\/)grub\.cfg|(^|\/)grub\/|(^|\/)(x86_64|i386|arm64|arm|powerpc)-(efi|pc|ieee1275)\/|\.mod$/,
  },
  { client: 'ipxe', why: 'an iPXE script name (.ipxe)', pattern: /\.ipxe$/i },
  {
    client: 'pxe-rom',
    why: 'a network boot program name (.0, .pxe, .kpxe, .efi, .n12)',
    pattern: /\.(0|pxe|kpxe|kkpxe|efi|n12)$/i,
  },
];

const label = (c: TftpClientKind): string => TFTP_CLIENT_NAMES[c];

function unique(list: readonly TftpClientKind[]): TftpClientKind[] {
  return [...new Set(list)];
}

/** Notes on spelling that no known client uses: they explain an `unknown`. */
function spellingNotes(r: RequestShape): string[] {
  const notes: string[] = [];
  if (r.mode !== r.mode.toLowerCase())
    notes.push(`mode spelled "${r.mode}" (known clients write it in lower case)`);
  const odd = r.options.filter((o) => o.name !== o.name.toLowerCase()).map((o) => o.name);
  if (odd.length > 0) notes.push(`option names not in lower case: ${odd.join(', ')}`);
  return notes;
}

function shapeNote(names: string): string {
  return names === '' ? 'no options: a plain RFC 1350 request, which many clients send' : `options ${names}`;
}

/** Guesses the client that sent a request from its mode, options (set, order, values) and name. */
export function fingerprint(r: RequestShape): ClientFingerprint {
  const names = r.options.map((o) => o.name).join(' ');
  const matched = SIGNATURES.filter((s) => s.test(r, names));
  const hints = NAME_HINTS.filter((h) => h.pattern.test(r.name));
  const byOptions = unique(matched.map((s) => s.client));
  const notes = spellingNotes(r);

  if (byOptions.length > 0) {
    // The name decides between clients that send the same options.
    const hinted = hints.find((h) => byOptions.includes(h.client));
    const client = hinted?.client ?? (byOptions[0] as TftpClientKind);
    const sig = matched.find((s) => s.client === client) as Signature;
    const reasons = [sig.why];
    if (hinted) reasons.push(hinted.why);
    const others = byOptions.filter((c) => c !== client);
    if (others.length > 0) reasons.push(`the same options are also sent by ${others.map(label).join(', ')}`);
    const likely = byOptions.length === 1 || hinted !== undefined;
    return { client, confidence: likely ? 'likely' : 'guess', reasons };
  }
  const hint = hints[0];
  if (hint)
    return { client: hint.client, confidence: 'guess', reasons: [hint.why, shapeNote(names), ...notes] };
  return { client: 'unknown', confidence: 'guess', reasons: [shapeNote(names), ...notes] };
}

/**
 * Clients whose downloads take only the block they expect next, read in their sources: busybox
 * networking/tftp.c compares recv_blk with block_nr, atftp tftp_file.c with last_received_block + 1.
 * A lock-step session may send such a client one block ahead with a resend (session-read.ts
 * sendAhead). Not U-Boot or barebox, which store or append a block without that check: a block
 * ahead that arrives without the one before would leave a hole in their image. So the shape must
 * say busybox or atftp, and the name must be none a boot firmware asks for (a PXE ROM sends the
 * same lone `tsize` or `blksize`; wdsnbp.com or pxeboot.n12 is fetched by one, whatever the
 * options look like).
 */
export function takesOnlyTheNextBlock(request: Pick<RequestAsSent, 'name' | 'client'>): boolean {
  const kind = request.client.client;
  if (kind !== 'busybox' && kind !== 'atftp') return false;
  return !NAME_HINTS.some((h) => h.pattern.test(request.name));
}

/**
 * Could atftp have sent this request? atftp takes a second OACK as a fault and aborts the transfer
 * (tftp_file.c: "unexpected OACK"), so when its ACK 0 is lost, an OACK resent before its own timer
 * resends that ACK (5 s, or the timeout option it sent) costs the whole transfer. Any request whose
 * option names fit atftp's option table order counts, whatever the best guess says: a lone
 * blksize is atftp's too, though the guess names BusyBox.
 */
export function mayRefuseRepeatedOack(request: Pick<RequestAsSent, 'mode' | 'options'>): boolean {
  const names = request.options.map((o) => o.name).join(' ');
  return (request.mode === 'octet' || request.mode === 'netascii') && inOrder(names, ATFTP_ORDER);
}
