// RFC 4578 section 2.1 (option 93, client system architecture), RFC 3004 (option 77, user class, as
// iPXE sends it): which boot file a client gets, and the placeholders in its name. Pure.
import type { DhcpSettings } from '../../shared/dhcp.js';

/** RFC 4578 / IANA "Processor Architecture Types": the ones a setting exists for. */
export const Arch = { BIOS: 0, EFI_IA32: 6, EFI_X64: 7, EFI_BC: 9, EFI_ARM64: 11 } as const;

/** `$ARCH$` in a boot file name. */
export function archName(arch: number | undefined): string {
  switch (arch) {
    case undefined:
    case Arch.BIOS:
      return 'bios';
    case Arch.EFI_IA32:
      return 'efi32';
    case Arch.EFI_X64:
    case Arch.EFI_BC:
      return 'efi64';
    case Arch.EFI_ARM64:
      return 'arm64';
    default:
      return `arch${arch}`;
  }
}

export interface BootClient {
  mac: string;
  arch?: number;
  userClasses: readonly string[];
  /** the reservation's own boot file, if any */
  reservedBootFile?: string;
}

export interface BootChoice {
  /** the name before placeholders are replaced; undefined when no setting applies */
  template?: string;
  /** plain words: which rule chose it */
  why: string;
}

/**
 * A client already running iPXE gets the iPXE file first (else chainloading iPXE from iPXE loops),
 * then a reservation's own file, then the file for its architecture, then the default. An
 * architecture without a setting of its own falls back to the default file, and says so.
 */
export function chooseBootFile(s: DhcpSettings, c: BootClient): BootChoice {
  if (s.bootFileIpxe && c.userClasses.includes('iPXE'))
    return { template: s.bootFileIpxe, why: 'client already runs iPXE (user class "iPXE")' };
  if (c.reservedBootFile) return { template: c.reservedBootFile, why: "the reservation's boot file" };
  const arch = c.arch;
  if ((arch === Arch.EFI_X64 || arch === Arch.EFI_BC) && s.bootFileUefi)
    return { template: s.bootFileUefi, why: `x64 UEFI client (architecture ${arch})` };
  if (arch === Arch.EFI_ARM64 && s.bootFileArm64)
    return { template: s.bootFileArm64, why: 'ARM64 UEFI client (architecture 11)' };
  const kind =
    arch === undefined
      ? 'no architecture given'
      : arch === Arch.BIOS
        ? 'BIOS client (architecture 0)'
        : `architecture ${arch} (${archName(arch)}) has no boot file of its own`;
  if (s.bootFile) return { template: s.bootFile, why: `${kind}: the default boot file` };
  return { why: `${kind} and no default boot file is set` };
}

/** `$MAC$` -> `aa-bb-cc-dd-ee-ff`, `$IP$` -> the client's address, `$ARCH$` -> archName(). */
export function expandBootFile(template: string, c: { mac: string; ip: string; arch?: number }): string {
  return template
    .replaceAll('$MAC$', c.mac.replaceAll(':', '-'))
    .replaceAll('$IP$', c.ip)
    .replaceAll('$ARCH$', archName(c.arch));
}
