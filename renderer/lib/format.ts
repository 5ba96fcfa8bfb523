// Human-readable numbers for the transfer tables. Binary units (KiB, MiB) because firmware
// images and flash sizes are quoted that way on the devices themselves.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'] as const;

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${Math.round(value)} B`;
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  if (!Number.isFinite(bytesPerSecond) || bytesPerSecond <= 0) return '—';
  return `${formatBytes(bytesPerSecond)}/s`;
}

/** 0.4 s, 12 s, 3 min 05 s, 2 h 04 min */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  const totalSeconds = Math.round(ms / 1000);
  if (totalSeconds < 60) return `${totalSeconds} s`;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  if (minutes < 60) return `${minutes} min ${String(seconds).padStart(2, '0')} s`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${String(minutes % 60).padStart(2, '0')} min`;
}

/** Time left at the current rate, or undefined when it cannot be told. */
export function etaMs(bytes: number, total: number | undefined, rate: number): number | undefined {
  if (total === undefined || rate <= 0 || bytes > total) return undefined;
  return ((total - bytes) / rate) * 1000;
}

/** Progress as a fraction 0..1, or undefined when the size is unknown. */
export function progressFraction(bytes: number, total: number | undefined): number | undefined {
  if (total === undefined) return undefined;
  if (total === 0) return 1;
  return Math.min(1, Math.max(0, bytes / total));
}

export function formatClock(time: number): string {
  const d = new Date(time);
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** A thousands-separated integer: 1,048,576 */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
