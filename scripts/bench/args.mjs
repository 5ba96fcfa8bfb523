// Command-line flags of `npm run bench`. Unknown flags are an error, not silently ignored, so a typo
// never produces a run that looks complete but measured something else.
export const RUN_TYPES = ['lockstep', 'windowed', 'upload', 'concurrent', 'cpu', 'loss', 'link'];
export const SERVER_IDS = ['tftp-desk', 'node-floor', 'tftpd-hpa', 'atftpd'];

export const USAGE = `Usage: npm run bench -- [--quick] [--repeat N] [--only LIST] [--servers LIST] [--timeout S]

  --quick          fast smoke: small files, 1 repeat (npm run bench:quick)
  --repeat N       measurements per configuration and server, interleaved (default 3; 1 with --quick)
  --only LIST      run types, comma-separated: ${RUN_TYPES.join(',')} (default: all)
  --servers LIST   servers, comma-separated: ${SERVER_IDS.join(',')} (default: all that are installed)
  --timeout S      per-transfer timeout in seconds (default 60; 20 with --quick; the loss run: 30)
  --loss-rates L   loss run: percentages, comma-separated, of 5,1 (default: both)
  --loss-clients L loss run: only clients whose label contains one of these (e.g. busybox,atftp get)
  --help           this text

Run types loss and link need root, ip and nft (loss) or tc (link): each builds network namespaces of
its own and deletes them afterwards. link: servers and clients on the two ends of a veth pair limited
by tbf to 100 Mbit/s and 1 Gbit/s; curl 1468 lock-step and atftp 1468 windowsize 8; MB/s and share
of the line rate.

Peers come from apt (tftpd-hpa) and .bench/peers (atftpd): run scripts/setup-bench-peers.sh once.
Writes a JSON summary to .bench/last.json.`;

export class UsageError extends Error {}

function listFlag(value, allowed, flag) {
  const items = String(value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = items.filter((s) => !allowed.includes(s));
  if (items.length === 0 || unknown.length > 0) {
    throw new UsageError(`${flag}: expected a comma-separated subset of ${allowed.join(',')}`);
  }
  return allowed.filter((s) => items.includes(s));
}

function positiveInt(value, flag, max) {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new UsageError(`${flag}: expected an integer 1-${max}`);
  return n;
}

export function parseArgs(argv) {
  const opts = {
    quick: false,
    repeat: undefined,
    only: RUN_TYPES,
    servers: SERVER_IDS,
    timeoutS: undefined,
    lossRates: undefined,
    lossClients: undefined,
  };
  for (let i = 0; i < argv.length; i++) {
    const [flag, inline] = argv[i].split(/=(.*)/s, 2);
    const value = () => (inline !== undefined ? inline : argv[++i]);
    switch (flag) {
      case '--quick':
        opts.quick = true;
        break;
      case '--repeat':
        opts.repeat = positiveInt(value(), flag, 100);
        break;
      case '--only':
        opts.only = listFlag(value(), RUN_TYPES, flag);
        break;
      case '--servers':
        opts.servers = listFlag(value(), SERVER_IDS, flag);
        break;
      case '--timeout':
        opts.timeoutS = positiveInt(value(), flag, 600);
        break;
      case '--loss-rates':
        opts.lossRates = listFlag(value(), ['5', '1'], flag).map(Number);
        break;
      case '--loss-clients':
        opts.lossClients = String(value() ?? '')
          .split(',')
          .map((item) => item.trim())
          .filter(Boolean);
        if (opts.lossClients.length === 0) throw new UsageError(`${flag}: expected a comma-separated list`);
        break;
      case '--help':
      case '-h':
        opts.help = true;
        break;
      default:
        throw new UsageError(`unknown flag ${argv[i]}`);
    }
  }
  opts.repeat ??= opts.quick ? 1 : 3;
  opts.timeoutS ??= opts.quick ? 20 : 60;
  return opts;
}
