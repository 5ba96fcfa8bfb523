// Throughput over time as SVG, resends as bars on the same time axis underneath. Drawn only in the
// open detail panel: rows never render a chart, so 100 running transfers cost one chart at most.
import { memo, useMemo } from 'react';
import type { ThroughputSeries } from '../../shared/throughput-series';
import { chartGeometry, type ChartBox } from '../lib/throughput-chart';
import { formatDuration, formatRate } from '../lib/format';

const BOX: ChartBox = { width: 560, height: 140, strip: 22 };
const GAP = 6;
const LEFT = 64;
const BOTTOM = 18;

export const ThroughputChart = memo(function ThroughputChart({
  series,
}: {
  series: ThroughputSeries | undefined;
}) {
  const g = useMemo(() => chartGeometry(series, BOX), [series]);
  if (g.points === 0) return <p className="muted small">No data moved yet: nothing to chart.</p>;
  const stripTop = BOX.height + GAP;
  const total = stripTop + BOX.strip + BOTTOM;
  const label =
    `Throughput over ${formatDuration(g.duration)}: peak ${formatRate(g.peak)}, ` +
    `${g.totalResends} resend${g.totalResends === 1 ? '' : 's'}`;
  return (
    <figure className="throughput-chart">
      <svg
        viewBox={`${-LEFT} 0 ${BOX.width + LEFT + 8} ${total}`}
        role="img"
        aria-label={label}
        data-points={g.points}
        data-resends={g.totalResends}
      >
        <line className="axis" x1={0} y1={BOX.height} x2={BOX.width} y2={BOX.height} />
        <line className="grid" x1={0} y1={BOX.height / 2} x2={BOX.width} y2={BOX.height / 2} />
        <line className="grid" x1={0} y1={0} x2={BOX.width} y2={0} />
        <text className="tick" x={-6} y={8} textAnchor="end">
          {formatRate(g.top)}
        </text>
        <text className="tick" x={-6} y={BOX.height / 2 + 4} textAnchor="end">
          {formatRate(g.top / 2)}
        </text>
        <text className="tick" x={-6} y={BOX.height} textAnchor="end">
          0
        </text>
        <path className="rate-area" d={g.area} />
        <path className="rate-line" d={g.line} />
        <text className="tick" x={-6} y={stripTop + BOX.strip - 4} textAnchor="end">
          resends
        </text>
        <line className="axis" x1={0} y1={stripTop + BOX.strip} x2={BOX.width} y2={stripTop + BOX.strip} />
        {g.resends.map((r) => (
          <rect
            key={r.at}
            className="resend"
            x={r.x}
            y={stripTop + BOX.strip - r.height}
            width={r.width}
            height={r.height}
          >
            <title>{`${r.count} resend${r.count === 1 ? '' : 's'} by ${formatDuration(r.at)}`}</title>
          </rect>
        ))}
        <text className="tick" x={0} y={total - 4}>
          0 s
        </text>
        <text className="tick" x={BOX.width} y={total - 4} textAnchor="end">
          {formatDuration(g.duration)}
        </text>
      </svg>
      <figcaption className="muted small">{label}</figcaption>
    </figure>
  );
});
