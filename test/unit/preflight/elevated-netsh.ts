// Reads back what the elevated run hands Windows, the way Windows would: the -EncodedCommand
// script (base64 of UTF-16LE), the PowerShell single-quoted literal given to -ArgumentList, then
// netsh's command line split by the CommandLineToArgvW rules its C runtime follows. The tests use
// it to prove the exact command shown is the one netsh receives, and to play netsh adding a rule.

const PS_QUOTES = new Set(["'", '\u2018', '\u2019', '\u201a', '\u201b']);

export function decodeEncodedCommand(args: readonly string[]): string {
  const at = args.indexOf('-EncodedCommand');
  const encoded = at >= 0 ? args[at + 1] : undefined;
  if (encoded === undefined) throw new Error('no -EncodedCommand');
  return Buffer.from(encoded, 'base64').toString('utf16le');
}

/** The value of the single-quoted literal after `-ArgumentList `, as PowerShell reads it. */
export function argumentListOf(script: string): string {
  const start = script.indexOf('-ArgumentList ');
  if (start < 0) throw new Error('no -ArgumentList');
  const chars = [...script.slice(start + '-ArgumentList '.length)];
  if (!PS_QUOTES.has(chars[0] ?? '')) throw new Error('not a single-quoted literal');
  let out = '';
  for (let i = 1; i < chars.length; i++) {
    const c = chars[i] as string;
    if (!PS_QUOTES.has(c)) {
      out += c;
      continue;
    }
    if (PS_QUOTES.has(chars[i + 1] ?? '')) {
      out += c;
      i++;
      continue;
    }
    return out;
  }
  throw new Error('unterminated literal');
}

/** CommandLineToArgvW: blanks split outside quotes, quotes toggle, backslashes escape only before a quote. */
export function splitWindowsArgs(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inQuotes = false;
  let started = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (c === '\\') {
      let n = 0;
      while (line[i + n] === '\\') n++;
      if (line[i + n] === '"') {
        cur += '\\'.repeat(Math.floor(n / 2));
        if (n % 2 === 1) cur += '"';
        else inQuotes = !inQuotes;
        i += n;
      } else {
        cur += '\\'.repeat(n);
        i += n - 1;
      }
      started = true;
    } else if (c === '"') {
      inQuotes = !inQuotes;
      started = true;
    } else if ((c === ' ' || c === '\t') && !inQuotes) {
      if (started) out.push(cur);
      cur = '';
      started = false;
    } else {
      cur += c;
      started = true;
    }
  }
  if (started) out.push(cur);
  return out;
}

/** What `netsh advfirewall firewall add rule k=v ...` would list afterwards, in its verbose format. */
export function netshAddedRule(argv: readonly string[]): string {
  if (argv.slice(0, 4).join(' ') !== 'advfirewall firewall add rule') throw new Error('not an add rule');
  const kv = new Map(
    argv.slice(4).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] as const),
  );
  const profiles = (kv.get('profile') ?? 'any')
    .split(',')
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join(',');
  const row = (k: string, v: string) => `${`${k}:`.padEnd(38)}${v}`;
  return [
    '',
    row('Rule Name', kv.get('name') ?? ''),
    '-'.repeat(70),
    row('Enabled', kv.get('enable') === 'no' ? 'No' : 'Yes'),
    row('Direction', kv.get('dir') === 'out' ? 'Out' : 'In'),
    row('Profiles', profiles),
    row('Protocol', (kv.get('protocol') ?? 'Any').toUpperCase()),
    row('LocalPort', kv.get('localport') ?? 'Any'),
    row('Program', kv.get('program') ?? 'Any'),
    row('Action', kv.get('action') === 'block' ? 'Block' : 'Allow'),
    '',
  ].join('\r\n');
}
