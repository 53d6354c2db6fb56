import type { CSSProperties } from 'react';
import {
  adjustRatios,
  RATIO_KEYS,
  unassignedPercent,
  type RatioPercents,
} from '../../lib/ratios.js';
import { SUBSET_COLORS, SUBSET_LABELS } from '../../lib/split-traces.js';

interface RatioSlidersProps {
  readonly value: RatioPercents;
  readonly onChange: (next: RatioPercents) => void;
}

export function RatioSliders({ value, onChange }: RatioSlidersProps) {
  const left = unassignedPercent(value);
  return (
    <div className="ratio-sliders">
      {RATIO_KEYS.map((key) => (
        <label key={key} className="slider-row">
          <span className="slider-label">
            <span className="dot" style={{ background: SUBSET_COLORS[key] }} />
            {SUBSET_LABELS[key]}
          </span>
          <input
            type="range"
            min={0}
            max={100}
            step={1}
            value={value[key]}
            onChange={(e) => onChange(adjustRatios(value, key, Number(e.target.value)))}
            // The track fills up to the value in the subset's colour (custom properties read by CSS).
            style={{ '--fill': SUBSET_COLORS[key], '--pct': `${value[key]}%` } as CSSProperties}
            aria-label={`${SUBSET_LABELS[key]} percent`}
            data-testid={`ratio-${key}`}
          />
          <span className="slider-value" data-testid={`ratio-${key}-value`}>
            {value[key]}%
          </span>
        </label>
      ))}
      <div className="ratio-bar" aria-hidden="true">
        {RATIO_KEYS.map((key) => (
          <span key={key} style={{ width: `${value[key]}%`, background: SUBSET_COLORS[key] }} />
        ))}
        <span style={{ width: `${left}%`, background: SUBSET_COLORS.none }} />
      </div>
      <p className="small muted" data-testid="ratio-unassigned">
        {left === 0
          ? 'Every item goes to a subset.'
          : `${left}% of each class is left out (“none”).`}
      </p>
    </div>
  );
}
