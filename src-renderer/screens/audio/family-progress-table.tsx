import type { AudioTrainingStatus } from '../../../src-shared/contract/index.js';
import { AUDIO_MODEL_FAMILIES } from '../../../src-shared/contract/index.js';
import { formatPercent } from '../../lib/format.js';

const num = (v: number | null, f: (x: number) => string): string => (v === null ? '—' : f(v));

/** Each family's state and last epoch, as `GET /api/training/status` reports them. */
export function FamilyProgressTable({
  metrics,
}: {
  readonly metrics: AudioTrainingStatus['metrics'];
}) {
  const names = [
    ...AUDIO_MODEL_FAMILIES.filter((f) => metrics[f] !== undefined),
    ...Object.keys(metrics).filter((f) => !(AUDIO_MODEL_FAMILIES as readonly string[]).includes(f)),
  ];
  if (names.length === 0) return null;
  return (
    <table className="metric-table" data-testid="training-families">
      <thead>
        <tr>
          <th>family</th>
          <th>state</th>
          <th>epoch</th>
          <th>loss</th>
          <th>accuracy</th>
          <th>val loss</th>
          <th>val accuracy</th>
        </tr>
      </thead>
      <tbody>
        {names.map((name) => {
          const m = metrics[name];
          if (m === undefined) return null;
          return (
            <tr key={name} data-family={name} data-status={m.status}>
              <td>{name}</td>
              <td>{m.status}</td>
              <td>
                {m.epoch} / {m.epochs}
              </td>
              <td>{num(m.loss, (x) => x.toFixed(3))}</td>
              <td>{num(m.accuracy, formatPercent)}</td>
              <td>{num(m.val_loss, (x) => x.toFixed(3))}</td>
              <td>{num(m.val_accuracy, formatPercent)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
