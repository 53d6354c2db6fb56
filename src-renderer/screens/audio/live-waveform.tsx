import { waveformPath } from '../../lib/waveform.js';

const W = 800;
const H = 120;

/** The live input as min/max peaks, newest at the right. */
export function LiveWaveform({
  peaks,
}: {
  readonly peaks: readonly (readonly [number, number])[];
}) {
  return (
    <svg
      className="signal-view"
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      role="img"
      aria-label="Live waveform"
      data-testid="realtime-waveform"
    >
      <line x1="0" x2={W} y1={H / 2} y2={H / 2} className="waveform-axis" />
      <path d={waveformPath(peaks, W, H)} className="waveform-path" />
    </svg>
  );
}
