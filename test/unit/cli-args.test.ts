import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../electron/cli/cli-args.js';
import { printable, formatBytes } from '../../electron/cli/cli-output.js';

describe('tftp-desk serve flags', () => {
  it('maps every flag to settings', () => {
    const c = parseCommand(
      [
        'serve',
        '--root',
        'r',
        '--host',
        '127.0.0.1,::1',
        '--port',
        '6969',
        '--uploads',
        'create',
        '--allow',
        '10.0.0.0/8,192.168.1.7',
        '--max-blksize',
        '8192',
        '--max-window',
        '16',
        '--timeout',
        '2',
        '--retries',
        '7',
        '--port-range',
        '50000-50100',
        '--json',
        '--case-insensitive',
        '--threads',
        '2',
      ],
      '/base',
    );
    expect(c.kind).toBe('serve');
    if (c.kind !== 'serve') return;
    expect(c.options.json).toBe(true);
    expect(c.options.downloadThreads).toBe(2);
    expect(c.options.settings).toMatchObject({
      root: '/base/r',
      hosts: ['127.0.0.1', '::1'],
      port: 6969,
      uploads: 'create',
      allow: ['10.0.0.0/8', '192.168.1.7'],
      maxBlksize: 8192,
      maxWindowsize: 16,
      timeout: 2,
      retries: 7,
      portRange: { from: 50000, to: 50100 },
      caseInsensitive: true,
    });
  });

  it('takes --profile rules in order, repeatable', () => {
    const c = parseCommand([
      'serve',
      '--root',
      'r',
      '--profile',
      '10.0.0.0/24=old-u-boot',
      '--profile',
      'client:u-boot=old-u-boot',
      '--profile',
      '10.0.1.10-10.0.1.20=plain-rfc1350',
    ]);
    expect(c.kind === 'serve' && c.options.settings.profiles).toEqual([
      { match: '10.0.0.0/24', profile: 'old-u-boot' },
      { match: 'client:u-boot', profile: 'old-u-boot' },
      { match: '10.0.1.10-10.0.1.20', profile: 'plain-rfc1350' },
    ]);
  });

  it('uses safe defaults', () => {
    const c = parseCommand(['serve', '--root', '/srv/tftp']);
    expect(c.kind === 'serve' && c.options.settings).toMatchObject({
      port: 69,
      uploads: 'off',
      allow: [],
      hosts: [],
      maxBlksize: 1468,
      profiles: [],
    });
    // The engine picks the thread count from the cores.
    expect(c.kind === 'serve' && c.options.downloadThreads).toBeUndefined();
    const single = parseCommand(['serve', '--root', '/srv/tftp', '--threads', '0']);
    expect(single.kind === 'serve' && single.options.downloadThreads).toBe(0);
  });

  it.each([
    [['serve'], /Missing --root/],
    [['serve', '--root', 'x', '--port', 'abc'], /--port must be a whole number/],
    [['serve', '--root', 'x', '--port', '70000'], /Port must be/],
    [['serve', '--root', 'x', '--uploads', 'yes'], /Uploads must be/],
    [['serve', '--root', 'x', '--allow', '10.0.0.0/33'], /not an address or CIDR/],
    [['serve', '--root', 'x', '--port-range', '5-'], /--port-range must look like/],
    [['serve', '--root', 'x', '--profile', '10.0.0.0/24'], /--profile: .*MATCH=PROFILE/],
    [['serve', '--root', 'x', '--profile', '10.0.0.0/24=fast'], /--profile: "fast" is not a profile/],
    [
      ['serve', '--root', 'x', '--profile', 'client:toaster=old-u-boot'],
      /--profile: "toaster" is not a client/,
    ],
    [['serve', '--root', 'x', '--profile', '10.0.0.9-10.0.0=old-u-boot'], /--profile: .*not a range/],
    [['serve', '--root', 'x', '--bogus'], /bogus/],
    [['serve', '--root', 'x', '--threads', '9'], /--threads must be from 0 to 8/],
    [['serve', '--root', 'x', '--threads=-1'], /--threads must be a whole number/],
    [['start'], /Unknown command/],
  ])('explains %j', (argv, message) => {
    const c = parseCommand(argv);
    expect(c.kind).toBe('error');
    expect(c.kind === 'error' && c.message).toMatch(message);
  });

  it('shows help with no command', () => {
    expect(parseCommand([]).kind).toBe('help');
    expect(parseCommand(['--help']).kind).toBe('help');
  });
});

describe('terminal output', () => {
  it('makes control characters inert (B19)', () => {
    expect(printable('a\u001b[2Jb\r\nc')).toBe('a\\x1b[2Jb\\x0d\\x0ac');
  });
  it('formats sizes', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(33_554_432)).toBe('33.6 MB');
  });
});
