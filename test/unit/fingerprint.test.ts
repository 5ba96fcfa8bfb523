import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  fingerprint,
  mayRefuseRepeatedOack,
  takesOnlyTheNextBlock,
} from '../../electron/tftp/fingerprint.js';
import { readRequestAsSent } from '../../electron/tftp/request-as-sent.js';
import type { TftpClientKind } from '../../shared/tftp-types.js';

/** An RRQ (or WRQ) datagram from its fields, NUL after each, as a client's sprintf builds it. */
function datagram(opcode: 1 | 2, fields: readonly string[]): Buffer {
  return Buffer.concat([Buffer.from([0, opcode]), ...fields.map((f) => Buffer.from(`${f}\0`, 'latin1'))]);
}

function shapeOf(opcode: 1 | 2, fields: readonly string[]) {
  const r = readRequestAsSent(datagram(opcode, fields));
  if (!r) throw new Error('not a request');
  return fingerprint(r);
}

// Each row: the bytes the client's request builder writes (see the table atop fingerprint.ts), or
// what the real client sent to a socket here (curl 7.88, tftp-hpa 5.2, atftp 0.8, BusyBox 1.35).
const TABLE: [string, 1 | 2, string[], TftpClientKind, 'likely' | 'guess'][] = [
  [
    'U-Boot, tsize compiled in',
    1,
    ['uImage', 'octet', 'timeout', '5', 'tsize', '0', 'blksize', '1468'],
    'u-boot',
    'likely',
  ],
  [
    'U-Boot with windowsize',
    1,
    ['fit.itb', 'octet', 'timeout', '5', 'tsize', '0', 'blksize', '1468', 'windowsize', '8'],
    'u-boot',
    'likely',
  ],
  [
    'U-Boot, no tsize, default name',
    1,
    ['C0A80164.img', 'octet', 'timeout', '5', 'blksize', '1468'],
    'u-boot',
    'likely',
  ],
  ['iPXE', 1, ['boot.ipxe', 'octet', 'blksize', '1432', 'tsize', '0', 'multicast', ''], 'ipxe', 'likely'],
  [
    'iPXE without multicast, script name',
    1,
    ['menu.ipxe', 'octet', 'blksize', '1432', 'tsize', '0'],
    'ipxe',
    'likely',
  ],
  ['GRUB 2', 1, ['grub/grub.cfg', 'octet', 'blksize', '1024', 'tsize', '0'], 'grub', 'likely'],
  ['pxelinux', 1, ['pxelinux.cfg/default', 'octet', 'tsize', '0', 'blksize', '1408'], 'pxelinux', 'likely'],
  [
    'Windows boot manager',
    1,
    ['\\Boot\\BCD', 'octet', 'tsize', '0', 'blksize', '1456', 'windowsize', '4', 'msftwindow', '31416'],
    'windows-bootmgr',
    'likely',
  ],
  [
    'Windows boot manager, no msftwindow',
    1,
    ['\\Boot\\x64\\boot.sdi', 'octet', 'tsize', '0', 'blksize', '1456', 'windowsize', '4'],
    'windows-bootmgr',
    'likely',
  ],
  [
    'curl download (captured)',
    1,
    ['some/file.bin', 'octet', 'tsize', '0', 'blksize', '512', 'timeout', '6'],
    'curl',
    'likely',
  ],
  [
    'curl upload (captured)',
    2,
    ['up.txt', 'octet', 'tsize', '3', 'blksize', '512', 'timeout', '6'],
    'curl',
    'likely',
  ],
  [
    'curl netascii (captured)',
    1,
    ['file.bin', 'netascii', 'tsize', '0', 'blksize', '512', 'timeout', '6'],
    'curl',
    'likely',
  ],
  ['tftp-hpa default (captured)', 1, ['file.bin', 'netascii'], 'tftp-hpa', 'likely'],
  [
    'atftp with tsize and blksize (captured)',
    1,
    ['file.bin', 'octet', 'tsize', '0', 'blksize', '1024'],
    'atftp',
    'likely',
  ],
  [
    'atftp with timeout and windowsize (captured)',
    1,
    ['file.bin', 'octet', 'timeout', '3', 'windowsize', '4'],
    'atftp',
    'likely',
  ],
  ['BusyBox default (captured)', 1, ['file.bin', 'octet', 'tsize', '0'], 'busybox', 'guess'],
  ['BusyBox upload (captured)', 2, ['up.txt', 'octet', 'tsize', '3'], 'busybox', 'guess'],
  ['PXE firmware size probe', 1, ['pxelinux.0', 'octet', 'tsize', '0'], 'pxe-rom', 'likely'],
  ['PXE firmware with blksize', 1, ['undionly.kpxe', 'octet', 'blksize', '1456'], 'pxe-rom', 'likely'],
  ['Cisco phone config, no options', 1, ['SEP001122AABBCC.cnf.xml', 'octet'], 'cisco', 'guess'],
  ['Cisco IOS autoinstall', 1, ['network-confg', 'octet'], 'cisco', 'guess'],
  ['plain octet, no name hint', 1, ['file.bin', 'octet'], 'unknown', 'guess'],
  ['mode in capitals', 1, ['file.bin', 'OCTET', 'tsize', '0'], 'unknown', 'guess'],
  ['option names in capitals', 1, ['file.bin', 'octet', 'BLKSIZE', '1024', 'TSIZE', '0'], 'unknown', 'guess'],
];

describe('fingerprint', () => {
  it.each(TABLE)('%s', (_, opcode, fields, client, confidence) => {
    const f = shapeOf(opcode, fields);
    expect({ client: f.client, confidence: f.confidence }).toEqual({ client, confidence });
    expect(f.reasons.length).toBeGreaterThan(0);
  });

  it('names the other clients that send the same options', () => {
    const f = shapeOf(1, ['file.bin', 'octet', 'tsize', '0']);
    expect(f.reasons.join(' ')).toMatch(/also sent by .*PXE firmware/);
  });

  it('says why it cannot tell', () => {
    expect(shapeOf(1, ['x', 'octet']).reasons[0]).toMatch(/plain RFC 1350/);
    expect(shapeOf(1, ['x', 'Octet']).reasons.join(' ')).toMatch(/mode spelled "Octet"/);
  });

  it('never throws and always answers, whatever the request holds', () => {
    const field = fc.string({ maxLength: 12 }).filter((s) => !s.includes('\0'));
    fc.assert(
      fc.property(
        fc.constantFrom<1 | 2>(1, 2),
        fc.array(field, { minLength: 2, maxLength: 12 }),
        (op, fields) => {
          const f = shapeOf(op, fields);
          expect(f.reasons.length).toBeGreaterThan(0);
          expect(['likely', 'guess']).toContain(f.confidence);
        },
      ),
    );
  });
});

describe('readRequestAsSent', () => {
  it('keeps spelling, case and order', () => {
    const r = readRequestAsSent(datagram(1, ['A/b.BIN', 'OcTeT', 'BlkSize', '1024', 'tsize', '0']));
    expect(r).toEqual({
      kind: 'rrq',
      name: 'A/b.BIN',
      mode: 'OcTeT',
      options: [
        { name: 'BlkSize', value: '1024' },
        { name: 'tsize', value: '0' },
      ],
    });
  });

  it('refuses what is not a request', () => {
    expect(readRequestAsSent(Buffer.from([0, 3, 0, 1]))).toBeUndefined();
    expect(readRequestAsSent(Buffer.from([0, 1, 0x61]))).toBeUndefined();
    expect(readRequestAsSent(Buffer.from([0, 1, 0x61, 0]))).toBeUndefined();
  });
});

describe('takesOnlyTheNextBlock: who may get a block ahead in lock-step', () => {
  const client = (fields: string[]) => ({ name: fields[0] as string, client: shapeOf(1, fields) });

  it('busybox and atftp requests do (both drop a block that is not the next one)', () => {
    expect(takesOnlyTheNextBlock(client(['f.bin', 'octet', 'tsize', '0']))).toBe(true); // busybox -b 512
    expect(takesOnlyTheNextBlock(client(['f.bin', 'octet', 'blksize', '1468']))).toBe(true); // atftp, one option
    expect(
      takesOnlyTheNextBlock(client(['f.bin', 'octet', 'tsize', '0', 'timeout', '5', 'blksize', '1468'])),
    ).toBe(true); // atftp
  });

  it("U-Boot, iPXE, GRUB, pxelinux, curl, any request for a boot firmware's file name, and unknown clients do not", () => {
    const none = [
      ['uImage', 'octet', 'timeout', '5', 'tsize', '0', 'blksize', '1468'],
      ['boot.ipxe', 'octet', 'blksize', '1432', 'tsize', '0', 'multicast', ''],
      ['grub.cfg', 'octet', 'blksize', '1024', 'tsize', '0'],
      ['pxelinux.0', 'octet', 'tsize', '0', 'blksize', '1408'],
      ['f.bin', 'octet', 'tsize', '0', 'blksize', '512', 'timeout', '6'],
      ['pxelinux.0', 'octet', 'tsize', '0'],
      ['f.bin', 'octet', 'blksize', '1468', 'tsize', '0'], // busybox -b 1468, but iPXE's shape too
      ['f.bin', 'octet'],
      ['wdsnbp.com', 'octet', 'blksize', '1456'], // a PXE ROM fetching a WDS loader: its shape is busybox's
      ['boot.scr', 'octet', 'tsize', '0'], // a name only U-Boot asks for
    ];
    for (const fields of none) expect(takesOnlyTheNextBlock(client(fields)), fields.join(' ')).toBe(false);
  });
});

describe('mayRefuseRepeatedOack: whose OACK resend must wait for the client timer (atftp)', () => {
  const request = (mode: string, ...pairs: string[]) => ({
    mode,
    options: pairs.map((p) => ({ name: p.split('=')[0] as string, value: p.split('=')[1] ?? '' })),
  });

  it("every option list in atftp's table order, whatever the best guess (a lone blksize says BusyBox)", () => {
    expect(mayRefuseRepeatedOack(request('octet', 'blksize=1468'))).toBe(true);
    expect(mayRefuseRepeatedOack(request('octet', 'blksize=1468', 'windowsize=8'))).toBe(true);
    expect(mayRefuseRepeatedOack(request('netascii', 'tsize=0', 'timeout=5', 'blksize=512'))).toBe(true);
  });

  it('not curl, iPXE, pxelinux-style tsize-after-blksize, U-Boot with tsize, nor a request without options', () => {
    expect(mayRefuseRepeatedOack(request('octet', 'tsize=0', 'blksize=512', 'timeout=6'))).toBe(false);
    expect(mayRefuseRepeatedOack(request('octet', 'blksize=1432', 'tsize=0', 'multicast='))).toBe(false);
    expect(mayRefuseRepeatedOack(request('octet', 'timeout=5', 'tsize=0', 'blksize=1468'))).toBe(false);
    expect(mayRefuseRepeatedOack(request('octet', 'blksize=1468', 'tsize=0'))).toBe(false);
    expect(mayRefuseRepeatedOack(request('octet'))).toBe(false);
    expect(mayRefuseRepeatedOack(request('mail', 'blksize=1468'))).toBe(false);
  });
});
