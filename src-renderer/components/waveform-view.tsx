import { waveformPath } from '../lib/waveform.js';

const W = 600;
const H = 140;

/** Min/max peaks drawn as one SVG path; scales to its container. */
export function WaveformView({
  peaks,
}: {
  readonly peaks: readonly (readonly [number, number])[];
}) {
  return (
    <svg
      className="waveform"
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      role="img"
      aria-label="Waveform"
      data-testid="detail-waveform"
    >
      <line x1="0" x2={W} y1={H / 2} y2={H / 2} className="waveform-axis" />
      <path d={waveformPath(peaks, W, H)} className="waveform-path" />
    </svg>
  );
}
