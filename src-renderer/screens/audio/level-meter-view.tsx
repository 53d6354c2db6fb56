import { meterFraction } from '../../lib/audio/level-meter.js';
import { formatPercent } from '../../lib/format.js';

export function LevelMeterView({
  db,
  clipping,
}: {
  readonly db: number;
  readonly clipping: boolean;
}) {
  const fraction = meterFraction(db);
  return (
    <div
      className={`level-meter ${clipping ? 'level-clip' : ''}`}
      role="meter"
      aria-label="Input level"
      aria-valuemin={-60}
      aria-valuemax={0}
      aria-valuenow={Math.round(Math.max(-60, db))}
      data-testid="realtime-level"
      data-db={db.toFixed(1)}
    >
      <div className="level-fill" style={{ width: formatPercent(fraction) }} />
      <span className="level-text">{db <= -60 ? 'silence' : `${db.toFixed(0)} dBFS`}</span>
    </div>
  );
}
