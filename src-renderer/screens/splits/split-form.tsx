import { useEffect, useState, type FormEvent } from 'react';
import { DEFAULT_RATIOS, type RatioPercents } from '../../lib/ratios.js';
import { useSplitsStore } from '../../stores/splits-store.js';
import { RatioSliders } from './ratio-sliders.js';

const MAX_SEED = 2 ** 32 - 1;

function randomSeed(): number {
  return crypto.getRandomValues(new Uint32Array(1))[0] ?? 42;
}

export function SplitForm({ canCreate }: { readonly canCreate: boolean }) {
  const count = useSplitsStore((s) => s.splits.length);
  const creating = useSplitsStore((s) => s.creating);
  const create = useSplitsStore((s) => s.create);
  const loadPreview = useSplitsStore((s) => s.loadPreview);
  const [name, setName] = useState('');
  const [ratios, setRatios] = useState<RatioPercents>(DEFAULT_RATIOS);
  const [seedText, setSeedText] = useState('42');
  const [stratify, setStratify] = useState(true);

  const seed = Number(seedText);
  const seedValid =
    seedText.trim() !== '' && Number.isInteger(seed) && seed >= 0 && seed <= MAX_SEED;
  const ratiosValid = ratios.train + ratios.val + ratios.test > 0;
  const defaultName = `Split ${count + 1}`;

  // Live preview, debounced: one request per pause while a slider is dragged.
  useEffect(() => {
    if (!seedValid || !ratiosValid) return;
    const t = setTimeout(() => void loadPreview({ ratios, seed, stratify }), 250);
    return () => clearTimeout(t);
  }, [ratios, seed, seedValid, ratiosValid, stratify, loadPreview]);

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (!seedValid || !ratiosValid || creating) return;
    const index = await create(name.trim() || defaultName, { ratios, seed, stratify });
    if (index !== null) setName('');
  }

  return (
    <form className="card split-form" onSubmit={(e) => void onSubmit(e)} data-testid="split-form">
      <h2 className="card-title">New split</h2>
      <label className="field">
        <span className="field-label">Name</span>
        <input
          className="input"
          value={name}
          placeholder={defaultName}
          maxLength={200}
          onChange={(e) => setName(e.target.value)}
          data-testid="split-name-input"
        />
      </label>
      <RatioSliders value={ratios} onChange={setRatios} />
      <div className="form-row">
        <label className="field grow">
          <span className="field-label">Seed</span>
          <input
            className={`input mono ${seedValid ? '' : 'invalid'}`}
            inputMode="numeric"
            value={seedText}
            onChange={(e) => setSeedText(e.target.value.replace(/[^0-9]/g, ''))}
            aria-invalid={!seedValid}
            data-testid="split-seed-input"
          />
        </label>
        <button
          type="button"
          className="btn"
          onClick={() => setSeedText(String(randomSeed()))}
          data-testid="split-seed-random"
        >
          Random
        </button>
      </div>
      {!seedValid && (
        <p className="field-error">The seed is a whole number from 0 to {MAX_SEED}.</p>
      )}
      <label className="checkbox">
        <input
          type="checkbox"
          checked={stratify}
          onChange={(e) => setStratify(e.target.checked)}
          data-testid="split-stratify"
        />
        <span>
          Stratify by class{' '}
          <span className="muted">— every class is split in the same proportions</span>
        </span>
      </label>
      <button
        type="submit"
        className="btn btn-primary btn-block"
        disabled={!canCreate || !seedValid || !ratiosValid || creating}
        data-testid="create-split-button"
      >
        {creating ? 'Creating…' : 'Create split'}
      </button>
    </form>
  );
}
