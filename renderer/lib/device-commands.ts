// Ready-to-paste commands that make a device fetch a file from this server (or send one to it).
// Pure: the UI passes the address the device can reach, the port and the file's name in the root.

export type CommandDirection = 'download' | 'upload';

export interface CommandInput {
  /** the server address as the device sees it (IPv4 or IPv6) */
  address: string;
  port: number;
  /** the name relative to the root, forward slashes: what the device asks for */
  file: string;
  /** prefix length of the address, for the subnet mask ROMMON wants */
  prefix?: number;
  /** download = the device fetches the file; upload = the device sends it (config backups) */
  direction?: CommandDirection;
}

export interface DeviceCommand {
  id: 'ios' | 'rommon' | 'uboot' | 'junos' | 'curl' | 'busybox' | 'windows';
  platform: string;
  text: string;
  /** a caveat the user needs before pasting (port cannot be set, IPv4 only, ...) */
  note?: string;
}

export const TFTP_DEFAULT_PORT = 69;

export function isIpv6(address: string): boolean {
  return address.includes(':');
}

/** `ADDR`, `ADDR:6969`, `[2001:db8::1]`, `[fe80::1%25eth0]:6969` (RFC 3986 host + RFC 6874 zone). */
export function urlAuthority(address: string, port: number): string {
  const host = isIpv6(address) ? `[${address.replace('%', '%25')}]` : address;
  return port === TFTP_DEFAULT_PORT ? host : `${host}:${port}`;
}

/**
 * Percent-encodes each path segment so spaces, `#` and `?` survive in a URL; `!'()*` too, which
 * keeps the URL free of shell metacharacters.
 */
export function urlPath(file: string): string {
  const strict = (seg: string) =>
    encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return file.split('/').map(strict).join('/');
}

export function tftpUrl(address: string, port: number, file: string): string {
  return `tftp://${urlAuthority(address, port)}/${urlPath(file)}`;
}

/** POSIX shell quoting: bare when safe, single quotes otherwise. */
export function shellQuote(text: string): string {
  if (/^[\w./:@%+=,-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Windows cmd quoting for a file argument. */
function cmdQuote(text: string): string {
  return /[\s&()^|<>"]/.test(text) ? `"${text.replace(/"/g, '')}"` : text;
}

export function baseName(file: string): string {
  const parts = file.split('/');
  return parts[parts.length - 1] || file;
}

/** 24 -> 255.255.255.0 */
export function prefixToMask(prefix: number): string {
  const bits = Math.max(0, Math.min(32, Math.trunc(prefix)));
  const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (mask >>> shift) & 0xff).join('.');
}

const PORT_FIXED = 'This client always uses port 69: run the server on port 69 for it.';
const IPV4_ONLY = 'Needs an IPv4 server address.';

function joinNotes(...notes: (string | false)[]): string | undefined {
  const kept = notes.filter((n): n is string => typeof n === 'string');
  return kept.length > 0 ? kept.join(' ') : undefined;
}

export function deviceCommands(input: CommandInput): DeviceCommand[] {
  const { address, port, file } = input;
  const upload = input.direction === 'upload';
  const v6 = isIpv6(address);
  const customPort = port !== TFTP_DEFAULT_PORT;
  const url = tftpUrl(address, port, file);
  const local = baseName(file);
  const portArg = customPort ? ` ${port}` : '';
  const commands: DeviceCommand[] = [];

  commands.push({
    id: 'ios',
    platform: 'Cisco IOS / IOS-XE',
    text: upload ? `copy running-config ${url}` : `copy ${url} flash:`,
  });

  if (!upload) {
    commands.push({
      id: 'rommon',
      platform: 'Cisco ROMMON',
      text: [
        'IP_ADDRESS=<device-ip>',
        `IP_SUBNET_MASK=${prefixToMask(v6 ? 24 : (input.prefix ?? 24))}`,
        `DEFAULT_GATEWAY=${address}`,
        `TFTP_SERVER=${address}`,
        `TFTP_FILE=${file}`,
        'tftpdnld',
      ].join('\n'),
      note: joinNotes(
        'Set IP_ADDRESS to a free address in the server’s subnet.',
        customPort && PORT_FIXED,
        v6 && IPV4_ONLY,
      ),
    });
  }

  const ubootServer = v6 ? `setenv serverip6 ${address}` : `setenv serverip ${address}`;
  const ubootPort = customPort ? `; setenv tftpdstp ${port}` : '';
  const ubootCmd = upload ? `tftpput \${loadaddr} \${filesize} ${file}` : `tftpboot \${loadaddr} ${file}`;
  commands.push({
    id: 'uboot',
    platform: 'U-Boot',
    text: `${ubootServer}${ubootPort}; ${ubootCmd}${v6 ? ' -ipv6' : ''}`,
    note: joinNotes(
      customPort && 'tftpdstp needs U-Boot built with CONFIG_TFTP_PORT.',
      upload && 'tftpput needs CONFIG_CMD_TFTPPUT.',
      v6 && 'IPv6 needs U-Boot built with CONFIG_IPV6.',
    ),
  });

  commands.push({
    id: 'junos',
    platform: 'Juniper Junos',
    text: upload ? `file copy /var/tmp/${local} ${url}` : `file copy ${url} /var/tmp/`,
  });

  commands.push({
    id: 'curl',
    platform: 'Linux / macOS (curl)',
    text: upload
      ? `curl -T ${shellQuote(local)} ${shellQuote(url)}`
      : `curl -o ${shellQuote(local)} ${shellQuote(url)}`,
  });

  const bbHost = shellQuote(address);
  commands.push({
    id: 'busybox',
    platform: 'BusyBox (OpenWrt, embedded Linux)',
    text: upload
      ? `tftp -p -l ${shellQuote(local)} -r ${shellQuote(file)} ${bbHost}${portArg}`
      : `tftp -g -r ${shellQuote(file)} -l ${shellQuote(local)} ${bbHost}${portArg}`,
  });

  commands.push({
    id: 'windows',
    platform: 'Windows (tftp.exe)',
    text: upload
      ? `tftp -i ${address} PUT ${cmdQuote(local)} ${cmdQuote(file)}`
      : `tftp -i ${address} GET ${cmdQuote(file)} ${cmdQuote(local)}`,
    note: joinNotes('Turn on the “TFTP Client” Windows feature first.', customPort && PORT_FIXED),
  });

  return commands;
}
