// A transfer's progress bar: a fraction when the size is known, an indeterminate stripe when not.
// Scaled with a transform, so a live row's update repaints without a layout pass.

interface Props {
  /** 0..1, or undefined while the size is unknown */
  fraction: number | undefined;
  /** what it measures, for screen readers ("Progress of fw.bin") */
  label: string;
}

export function ProgressBar({ fraction, label }: Props) {
  return (
    <span
      className={`bar${fraction === undefined ? ' indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={fraction === undefined ? undefined : Math.round(fraction * 100)}
    >
      <span className="fill" style={{ transform: `scaleX(${fraction ?? 0})` }} />
    </span>
  );
}
