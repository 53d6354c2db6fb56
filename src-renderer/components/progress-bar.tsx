import { formatPercent } from '../lib/format.js';

interface ProgressBarProps {
  /** 0..1, or null for an indeterminate bar (total not known yet). */
  readonly fraction: number | null;
  readonly label: string;
  readonly testId?: string;
}

export function ProgressBar({ fraction, label, testId }: ProgressBarProps) {
  const pct = fraction === null ? undefined : Math.round(fraction * 100);
  return (
    <div
      className={`progress ${fraction === null ? 'progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={pct}
      data-testid={testId}
    >
      <div
        className="progress-fill"
        style={{ width: fraction === null ? undefined : formatPercent(fraction) }}
      />
    </div>
  );
}
