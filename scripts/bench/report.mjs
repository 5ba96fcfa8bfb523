// Medians per run type, configuration and server, the ratios between servers (ours against each peer
// and against the node:dgram floor, the floor against each peer), one text table per run type, and the
// same numbers as JSON for machines.
export const OURS = 'tftp-desk';
export const FLOOR = 'node-floor';
export const PEERS = ['tftpd-hpa', 'atftpd'];

// [numerator, denominator]: how ours compares with the C servers and with the floor, and how far the
// floor itself (the most a single-threaded node:dgram server can do here) is from the C servers.
const RATIO_PAIRS = [
  [OURS, 'tftpd-hpa'],
  [OURS, 'atftpd'],
  [OURS, FLOOR],
  [FLOOR, 'tftpd-hpa'],
  [FLOOR, 'atftpd'],
];

function ratioPairs(servers) {
  return RATIO_PAIRS.filter(([a, b]) => servers.includes(a) && servers.includes(b));
}

function ratioName([a, b]) {
  return `${a === OURS ? 'ours' : a}/${b}`;
}

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function total(records, key) {
  const values = records.map((r) => r[key]).filter((v) => Number.isFinite(v));
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
}

// A metric is the median over successful runs (min and max kept for the JSON), or with `sum` the
// total over all runs (`of` names the matching total, as in "3/300 failed transfers").
function metricStats(records, metric) {
  if (metric.sum)
    return metric.of
      ? { value: total(records, metric.key), of: total(records, metric.of) }
      : { value: total(records, metric.key) };
  const values = records.filter((r) => r.ok && Number.isFinite(r[metric.key])).map((r) => r[metric.key]);
  if (values.length === 0) return { value: null };
  return { value: median(values), min: Math.min(...values), max: Math.max(...values) };
}

/** { [config]: { [server]: { runs, failedRuns, errors, [metric]: stats, [annotation]: total } } } */
export function summarise(plan, records) {
  const out = {};
  for (const config of plan.configs) {
    out[config.label] = {};
    for (const server of [...new Set(records.map((r) => r.server))]) {
      const all = records.filter((r) => r.config === config.label && r.server === server);
      // Runs whose server another process stopped were taken again; they are not results.
      const mine = all.filter((r) => !r.disturbed);
      if (all.length === 0) continue;
      const entry = {
        runs: mine.length,
        disturbedRuns: all.length - mine.length,
        failedRuns: mine.filter((r) => !r.ok).length,
        errors: [...new Set(mine.map((r) => r.error).filter(Boolean))],
      };
      for (const metric of plan.metrics) entry[metric.key] = metricStats(mine, metric);
      for (const note of plan.annotations ?? []) entry[note.key] = total(mine, note.key);
      out[config.label][server] = entry;
    }
  }
  return out;
}

function ratio(top, bottom) {
  return top?.value != null && bottom?.value ? top.value / bottom.value : null;
}

function formatCell(plan, entry, metric, first) {
  if (!entry) return '-';
  const stats = entry[metric.key];
  let text = stats.value == null ? (metric.sum ? '-' : 'failed') : stats.value.toFixed(metric.digits);
  if (stats.of != null) text += `/${stats.of}`;
  if (!first) return text;
  const extra = entry.failedRuns ? [`${entry.failedRuns}/${entry.runs} failed`] : [];
  if (entry.disturbedRuns) extra.push(`${entry.disturbedRuns} disturbed, retaken`);
  for (const note of plan.annotations ?? [])
    if (entry[note.key]) extra.push(`${entry[note.key]} ${note.label}`);
  return extra.length ? `${text} (${extra.join(', ')})` : text;
}

function renderTable(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function notesFor(plan) {
  const notes = [];
  const lower = plan.metrics.filter((m) => m.lowerIsBetter).map((m) => m.label);
  if (lower.length) notes.push(`lower is better for ${lower.join(', ')}`);
  const sums = [...plan.metrics.filter((m) => m.sum), ...(plan.annotations ?? [])].map((m) => m.label);
  if (sums.length) notes.push(`${sums.join(', ')}: totals over all runs`);
  return notes.length ? `\n(${notes.join('; ')})` : '';
}

function ratioCell(cells, metric, [a, b]) {
  const r = metric.sum ? null : ratio(cells[a]?.[metric.key], cells[b]?.[metric.key]);
  return r == null ? '-' : r.toFixed(2);
}

/**
 * Text for one plan; `servers` are the ids that produced records, in report order. The first table
 * holds the values and the ours/peer ratios; the ratios that involve the node:dgram floor follow in a
 * second table with the same rows, so neither gets too wide to read.
 */
export function formatPlan(plan, summary, servers) {
  const pairs = ratioPairs(servers);
  const peerPairs = pairs.filter((pair) => !pair.includes(FLOOR));
  const floorPairs = pairs.filter((pair) => pair.includes(FLOOR));
  const rows = [];
  const floorRows = [];
  for (const config of plan.configs) {
    const cells = summary[config.label] ?? {};
    for (const [m, metric] of plan.metrics.entries()) {
      const label = plan.metrics.length > 1 ? `${config.label}, ${metric.label}` : config.label;
      const values = servers.map((s) => formatCell(plan, cells[s], metric, m === 0));
      rows.push([label, ...values, ...peerPairs.map((pair) => ratioCell(cells, metric, pair))]);
      if (!metric.sum) floorRows.push([label, ...floorPairs.map((pair) => ratioCell(cells, metric, pair))]);
    }
  }
  const unit = plan.metrics.length === 1 ? `median ${plan.metrics[0].label}` : 'medians';
  let text = `\n${plan.title} [${unit}]\n${renderTable(['', ...servers, ...peerPairs.map(ratioName)], rows)}`;
  if (floorPairs.length > 0)
    text += `\n\n${renderTable(['against the node:dgram floor', ...floorPairs.map(ratioName)], floorRows)}`;
  return `${text}${notesFor(plan)}`;
}

/** Ratios for the JSON summary (null where a side has no successful run). */
export function ratios(plan, summary) {
  const out = {};
  for (const [config, cells] of Object.entries(summary)) {
    out[config] = {};
    for (const metric of plan.metrics.filter((m) => !m.sum)) {
      for (const pair of ratioPairs(plan.servers)) {
        out[config][`${metric.key} ${ratioName(pair)}`] = ratio(
          cells[pair[0]]?.[metric.key],
          cells[pair[1]]?.[metric.key],
        );
      }
    }
  }
  return out;
}
