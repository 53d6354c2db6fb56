import { formatPercent } from '../../lib/format.js';
import { colorOf } from '../../lib/audio/audio-traces.js';

/** Class probabilities as horizontal bars, highest first; plain DOM so live updates are cheap. */
export function ProbabilityBars({
  probabilities,
  testId,
}: {
  readonly probabilities: Readonly<Record<string, number>>;
  readonly testId: string;
}) {
  const rows = Object.entries(probabilities).sort((a, b) => b[1] - a[1]);
  return (
    <ul className="prob-bars" data-testid={testId}>
      {rows.map(([label, p]) => (
        <li key={label} className="prob-row" data-label={label}>
          <span className="prob-label">{label}</span>
          <span className="prob-track">
            <span
              className="prob-fill"
              style={{
                width: formatPercent(Math.max(0, Math.min(1, p))),
                background: colorOf(label),
              }}
            />
          </span>
          <span className="prob-value">{formatPercent(p)}</span>
        </li>
      ))}
    </ul>
  );
}
