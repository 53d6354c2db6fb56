import type { AudioEvent } from '../../../src-shared/contract/index.js';

const W = 800;
const H = 140;

interface SignalViewProps {
  /** Downsampled samples, -1…1, spread evenly over `duration`. */
  readonly samples: readonly number[];
  readonly duration: number;
  readonly events?: readonly AudioEvent[];
  readonly testId: string;
}

/** A waveform with the clip's acoustic events shaded over it. */
export function SignalView({ samples, duration, events = [], testId }: SignalViewProps) {
  const mid = H / 2;
  const step = samples.length > 1 ? W / (samples.length - 1) : W;
  const d = samples
    .map((v, i) => {
      const y = mid - Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0)) * (mid - 2);
      return `${i === 0 ? 'M' : 'L'}${(i * step).toFixed(1)} ${y.toFixed(1)}`;
    })
    .join(' ');
  const x = (t: number): number => (duration > 0 ? (Math.max(0, t) / duration) * W : 0);
  return (
    <svg
      className="signal-view"
      viewBox={`0 0 ${W} ${H}`}
      preserveAspectRatio="none"
      role="img"
      aria-label="Waveform with acoustic events"
      data-testid={testId}
    >
      {events.map((e, i) => (
        <rect
          key={i}
          className="signal-event"
          x={x(e.onset)}
          width={Math.max(2, x(e.offset) - x(e.onset))}
          y={0}
          height={H}
          data-testid="signal-event"
        />
      ))}
      <line x1="0" x2={W} y1={mid} y2={mid} className="waveform-axis" />
      <path d={d || `M0 ${mid} L${W} ${mid}`} className="signal-path" />
    </svg>
  );
}
