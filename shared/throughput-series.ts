// Throughput over time for one transfer, bounded: what the transfer detail charts. Fed from the
// progress events the engine already sends (~10 a second, coalesced per batch), never per packet.
// Each point is an interval that starts where the previous one ends and holds the bytes and resends
// counted in it, so merging two neighbours keeps every total and the time span exactly. When the
// points reach SERIES_CAPACITY, neighbours are merged pairwise and the shortest interval a new point
// may cover doubles: a transfer of any length keeps at most SERIES_CAPACITY evenly spaced points.
// Pure, JSON-safe (it travels in snapshots), and a new object on each change (rows memoise on it).

/** Points kept per transfer: enough for a chart a few hundred pixels wide, small for 1,000 in history. */
export const SERIES_CAPACITY = 120;

/** [end in ms since the series start, bytes in the interval, resends in the interval] */
export type SeriesPoint = readonly [end: number, bytes: number, resends: number];

export interface ThroughputSeries {
  /** epoch ms the first interval starts at (the session's start) */
  readonly start: number;
  /** ms: a new point starts only once the last one covers at least this long (0: every sample) */
  readonly step: number;
  readonly points: readonly SeriesPoint[];
  /** cumulative counts at the last sample: the next sample's deltas are taken against them */
  readonly bytes: number;
  readonly resends: number;
}

export interface SeriesSample {
  /** epoch ms */
  time: number;
  /** cumulative bytes moved */
  bytes: number;
  /** cumulative resends */
  resends: number;
}

export function emptySeries(start: number): ThroughputSeries {
  return { start, step: 0, points: [], bytes: 0, resends: 0 };
}

/** ms since the start at which the series ends (the last sample), 0 when empty. */
export function seriesEnd(series: ThroughputSeries): number {
  return series.points[series.points.length - 1]?.[0] ?? 0;
}

function mergePairs(points: readonly SeriesPoint[]): SeriesPoint[] {
  const out: SeriesPoint[] = [];
  for (let i = 0; i < points.length; i += 2) {
    const a = points[i] as SeriesPoint;
    const b = points[i + 1];
    out.push(b === undefined ? a : [b[0], a[1] + b[1], a[2] + b[2]]);
  }
  return out;
}

/**
 * The series with one more sample. Counts that go backwards (a restarted counter) add nothing, and
 * a sample from before the last one's time adds to the last point: the time axis never runs back.
 */
export function addSample(
  series: ThroughputSeries,
  sample: SeriesSample,
  capacity = SERIES_CAPACITY,
): ThroughputSeries {
  const bytes = Math.max(0, sample.bytes - series.bytes);
  const resends = Math.max(0, sample.resends - series.resends);
  const lastEnd = seriesEnd(series);
  const end = Math.max(lastEnd, sample.time - series.start);
  const points = series.points.slice();
  const last = points[points.length - 1];
  const lastStart = points[points.length - 2]?.[0] ?? 0;
  if (last !== undefined && (end === lastEnd || last[0] - lastStart < series.step)) {
    points[points.length - 1] = [end, last[1] + bytes, last[2] + resends];
  } else {
    points.push([end, bytes, resends]);
  }
  let step = series.step;
  let kept = points;
  if (kept.length > capacity) {
    kept = mergePairs(kept);
    // The widest merged interval: a new point starts only once the last covers about as long.
    step = Math.max(step * 2, widest(kept));
  }
  return {
    start: series.start,
    step,
    points: kept,
    bytes: Math.max(series.bytes, sample.bytes),
    resends: Math.max(series.resends, sample.resends),
  };
}

function widest(points: readonly SeriesPoint[]): number {
  let prev = 0;
  let max = 0;
  for (const [end] of points) {
    max = Math.max(max, end - prev);
    prev = end;
  }
  return max;
}

/** Totals over the points: equal to the last sample's counts (less any that went backwards). */
export function seriesTotals(series: ThroughputSeries): { bytes: number; resends: number } {
  let bytes = 0;
  let resends = 0;
  for (const [, b, r] of series.points) {
    bytes += b;
    resends += r;
  }
  return { bytes, resends };
}
