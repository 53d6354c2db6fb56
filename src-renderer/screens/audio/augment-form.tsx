import { useState } from 'react';
import { AUDIO_CLASSES, type AudioAugmentTechnique } from '../../../src-shared/contract/index.js';
import { useAudioDatasetStore } from '../../stores/audio-dataset-store.js';

const TECHNIQUES = [
  ['time_stretch', 'Time stretch'],
  ['pitch_shift', 'Pitch shift'],
  ['add_noise', 'Noise (SNR relative to the signal)'],
  ['time_shift', 'Time shift'],
  ['gain', 'Gain'],
] as const;

/** `POST /api/dataset/augment` and `/api/dataset/balance` from one card. */
export function AugmentForm() {
  const busy = useAudioDatasetStore((s) => s.busy);
  const augment = useAudioDatasetStore((s) => s.augment);
  const balance = useAudioDatasetStore((s) => s.balance);
  const [techniques, setTechniques] = useState<Partial<Record<AudioAugmentTechnique, boolean>>>({
    time_stretch: true,
    pitch_shift: true,
    add_noise: true,
  });
  const [factor, setFactor] = useState(2);
  const [targets, setTargets] = useState<string[]>([]);
  const [method, setMethod] = useState<'oversample' | 'undersample'>('oversample');
  const none = !Object.values(techniques).some(Boolean);

  return (
    <div className="card augment-form" data-testid="augment-form">
      <h3 className="card-title">Augment</h3>
      <div className="checks">
        {TECHNIQUES.map(([key, label]) => (
          <label key={key}>
            <input
              type="checkbox"
              checked={techniques[key] === true}
              onChange={(e) => setTechniques({ ...techniques, [key]: e.target.checked })}
            />{' '}
            {label}
          </label>
        ))}
      </div>
      <div className="row-actions">
        <label>
          Factor{' '}
          <input
            type="number"
            min={1}
            max={10}
            value={factor}
            onChange={(e) => setFactor(Math.max(1, Math.min(10, Number(e.target.value) || 1)))}
          />
        </label>
        {AUDIO_CLASSES.map((c) => (
          <label key={c}>
            <input
              type="checkbox"
              checked={targets.includes(c)}
              onChange={(e) =>
                setTargets(e.target.checked ? [...targets, c] : targets.filter((t) => t !== c))
              }
            />{' '}
            {c}
          </label>
        ))}
        <span className="muted">{targets.length === 0 ? '(all classes)' : ''}</span>
        <button
          type="button"
          className="btn btn-primary"
          disabled={busy !== null || none}
          onClick={() =>
            void augment({
              techniques,
              factor,
              target_classes: targets.length === 0 ? 'all' : targets,
            })
          }
          data-testid="augment-run"
        >
          {busy === 'augmenting' ? 'Augmenting…' : 'Augment'}
        </button>
      </div>
      <h3 className="card-title">Balance</h3>
      <div className="row-actions">
        <select
          value={method}
          onChange={(e) => setMethod(e.target.value as 'oversample' | 'undersample')}
          aria-label="Balancing method"
        >
          <option value="oversample">Oversample (by augmentation)</option>
          <option value="undersample">Undersample</option>
        </select>
        <button
          type="button"
          className="btn"
          disabled={busy !== null}
          onClick={() => void balance(method)}
          data-testid="balance-run"
        >
          {busy === 'balancing' ? 'Balancing…' : 'Balance classes'}
        </button>
      </div>
    </div>
  );
}
