// A throughput series (shared/throughput-series.ts) as SVG geometry: the rate as a step line and
// area over time, and the resends as bars on the same time axis. Pure, so the component only draws
// strings: at most SERIES_CAPACITY points, computed only for the one open detail panel.
import type { ThroughputSeries } from '../../shared/throughput-series';

export interface ChartBox {
  width: number;
  /** height of the rate plot */
  height: number;
  /** height of the resend strip under it */
  strip: number;
}

export interface ResendBar {
  x: number;
  width: number;
  height: number;
  count: number;
  /** ms since the start, for the tooltip */
  at: number;
}

export interface ChartGeometry {
  /** the rate as a step line ('' when nothing to draw) */
  line: string;
  /** the same, closed down to the time axis */
  area: string;
  resends: ResendBar[];
  /** bytes per second at the top of the plot (a rounded value above the peak) */
  top: number;
  peak: number;
  /** ms from the start to the last sample */
  duration: number;
  /** intervals drawn */
  points: number;
  totalResends: number;
}

const round = (n: number): string => String(Math.round(n * 10) / 10);

/** 1, 2 or 5 times a power of ten, at or above n: an axis label people read at a glance. */
export function niceCeiling(n: number): number {
  if (!(n > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 5, 10]) if (m * power >= n) return m * power;
  return 10 * power;
}

/** niceCeiling in the unit the label shows (B, KiB, MiB per second): 500 KiB/s, not 488 KiB/s. */
export function niceRateCeiling(bytesPerSecond: number): number {
  let unit = 1;
  while (bytesPerSecond / unit >= 1000 && unit < 1024 ** 4) unit *= 1024;
  return niceCeiling(bytesPerSecond / unit) * unit;
}

export function chartGeometry(series: ThroughputSeries | undefined, box: ChartBox): ChartGeometry {
  const points = series?.points ?? [];
  const duration = points[points.length - 1]?.[0] ?? 0;
  const span = Math.max(duration, 1);
  const intervals: { from: number; to: number; rate: number; resends: number }[] = [];
  let from = 0;
  let peak = 0;
  let maxResends = 0;
  let totalResends = 0;
  for (const [to, bytes, resends] of points) {
    // A zero-length interval (a final sample at the last one's time) has no rate of its own.
    const rate = to > from ? (bytes * 1000) / (to - from) : (intervals[intervals.length - 1]?.rate ?? 0);
    intervals.push({ from, to, rate, resends });
    peak = Math.max(peak, rate);
    maxResends = Math.max(maxResends, resends);
    totalResends += resends;
    from = to;
  }
  const top = niceRateCeiling(peak);
  const x = (t: number): number => (t / span) * box.width;
  const y = (rate: number): number => box.height - (rate / top) * box.height;

  let line = '';
  for (const [i, s] of intervals.entries()) {
    line += `${i === 0 ? 'M' : 'L'}${round(x(s.from))},${round(y(s.rate))}H${round(x(s.to))}`;
  }
  const area = line === '' ? '' : `${line}V${box.height}H0Z`;

  const resends: ResendBar[] = [];
  for (const s of intervals) {
    if (s.resends === 0) continue;
    const width = Math.max(2, x(s.to) - x(s.from));
    resends.push({
      x: Math.min(box.width - width, x(s.from)),
      width,
      height: Math.max(2, (s.resends / maxResends) * box.strip),
      count: s.resends,
      at: s.to,
    });
  }
  return { line, area, resends, top, peak, duration, points: intervals.length, totalResends };
}
