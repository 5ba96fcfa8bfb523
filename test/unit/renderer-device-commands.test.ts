import { describe, expect, it } from 'vitest';
import {
  deviceCommands,
  prefixToMask,
  shellQuote,
  tftpUrl,
  urlAuthority,
  type DeviceCommand,
} from '../../renderer/lib/device-commands';

const byId = (list: DeviceCommand[], id: DeviceCommand['id']) => {
  const found = list.find((c) => c.id === id);
  if (found === undefined) throw new Error(`no ${id} command`);
  return found;
};

describe('device commands', () => {
  const base = { address: '192.168.1.10', port: 69, file: 'c2960-lanbasek9-mz.bin', prefix: 24 };

  it('writes the standard commands for port 69 without a port', () => {
    const list = deviceCommands(base);
    expect(byId(list, 'ios').text).toBe('copy tftp://192.168.1.10/c2960-lanbasek9-mz.bin flash:');
    expect(byId(list, 'uboot').text).toBe(
      'setenv serverip 192.168.1.10; tftpboot ${loadaddr} c2960-lanbasek9-mz.bin',
    );
    expect(byId(list, 'junos').text).toBe('file copy tftp://192.168.1.10/c2960-lanbasek9-mz.bin /var/tmp/');
    expect(byId(list, 'curl').text).toBe(
      'curl -o c2960-lanbasek9-mz.bin tftp://192.168.1.10/c2960-lanbasek9-mz.bin',
    );
    expect(byId(list, 'busybox').text).toBe(
      'tftp -g -r c2960-lanbasek9-mz.bin -l c2960-lanbasek9-mz.bin 192.168.1.10',
    );
    expect(byId(list, 'windows').text).toBe(
      'tftp -i 192.168.1.10 GET c2960-lanbasek9-mz.bin c2960-lanbasek9-mz.bin',
    );
  });

  it('sets the ROMMON tftpdnld variables, with the mask from the prefix', () => {
    const rommon = byId(deviceCommands({ ...base, prefix: 22 }), 'rommon');
    expect(rommon.text.split('\n')).toEqual([
      'IP_ADDRESS=<device-ip>',
      'IP_SUBNET_MASK=255.255.252.0',
      'DEFAULT_GATEWAY=192.168.1.10',
      'TFTP_SERVER=192.168.1.10',
      'TFTP_FILE=c2960-lanbasek9-mz.bin',
      'tftpdnld',
    ]);
    expect(rommon.note).not.toContain('port 69');
  });

  it('includes the port when it is not 69, and warns where a client cannot take one', () => {
    const list = deviceCommands({ ...base, port: 6969 });
    expect(byId(list, 'ios').text).toBe('copy tftp://192.168.1.10:6969/c2960-lanbasek9-mz.bin flash:');
    expect(byId(list, 'curl').text).toContain('tftp://192.168.1.10:6969/');
    expect(byId(list, 'junos').text).toContain('tftp://192.168.1.10:6969/');
    expect(byId(list, 'uboot').text).toBe(
      'setenv serverip 192.168.1.10; setenv tftpdstp 6969; tftpboot ${loadaddr} c2960-lanbasek9-mz.bin',
    );
    expect(byId(list, 'busybox').text.endsWith(' 192.168.1.10 6969')).toBe(true);
    expect(byId(list, 'rommon').note).toContain('port 69');
    expect(byId(list, 'windows').note).toContain('port 69');
  });

  it('brackets IPv6 addresses in URLs and uses the U-Boot IPv6 variables', () => {
    const list = deviceCommands({ address: '2001:db8::10', port: 6969, file: 'boot/pxelinux.0' });
    expect(byId(list, 'ios').text).toBe('copy tftp://[2001:db8::10]:6969/boot/pxelinux.0 flash:');
    expect(byId(list, 'uboot').text).toContain('setenv serverip6 2001:db8::10');
    expect(byId(list, 'uboot').text.endsWith('-ipv6')).toBe(true);
    expect(byId(list, 'rommon').note).toContain('IPv4');
    expect(urlAuthority('fe80::1%eth0', 69)).toBe('[fe80::1%25eth0]');
  });

  it('encodes names for URLs and quotes them for the shell', () => {
    expect(tftpUrl('10.0.0.1', 69, 'my dir/a#b?.bin')).toBe('tftp://10.0.0.1/my%20dir/a%23b%3F.bin');
    expect(shellQuote("it's; rm -rf ~")).toBe(`'it'\\''s; rm -rf ~'`);
    expect(shellQuote('plain-name_1.bin')).toBe('plain-name_1.bin');
    const curl = byId(deviceCommands({ ...base, file: 'sub dir/$(reboot).bin' }), 'curl');
    expect(curl.text).toBe("curl -o '$(reboot).bin' tftp://192.168.1.10/sub%20dir/%24%28reboot%29.bin");
  });

  it('writes upload commands for backups, and no ROMMON one', () => {
    const list = deviceCommands({ ...base, file: 'sw1-confg', direction: 'upload' });
    expect(list.some((c) => c.id === 'rommon')).toBe(false);
    expect(byId(list, 'ios').text).toBe('copy running-config tftp://192.168.1.10/sw1-confg');
    expect(byId(list, 'curl').text).toBe('curl -T sw1-confg tftp://192.168.1.10/sw1-confg');
    expect(byId(list, 'uboot').text).toContain('tftpput ${loadaddr} ${filesize} sw1-confg');
  });

  it('turns prefixes into masks', () => {
    expect(prefixToMask(0)).toBe('0.0.0.0');
    expect(prefixToMask(8)).toBe('255.0.0.0');
    expect(prefixToMask(24)).toBe('255.255.255.0');
    expect(prefixToMask(30)).toBe('255.255.255.252');
    expect(prefixToMask(32)).toBe('255.255.255.255');
  });
});
