// Maps 16-bit wire block numbers to absolute block sequence numbers. Block numbers roll over
// 65535 -> 0 (what curl, tftp-hpa, atftp and busybox expect), so files of any size work; inside
// the engine every block has a unique sequence number (block 1 = seq 1), exact up to 2^53.

/**
 * The sequence number in [low, low + 65535] whose low 16 bits are `wire`.
 * With low = the oldest block that may still be answered for, this is unambiguous as long as the
 * window is smaller than 65536 blocks, which RFC 7440's limit of 65535 guarantees.
 */
export function seqFromWire(wire: number, low: number): number {
  return low + ((wire - (low & 0xffff)) & 0xffff);
}
