import { useMemo, useState } from 'react';
import type { ExportFormatName } from '../../../src-shared/contract/index.js';
import { DEFAULT_ONNX_DRAFT, onnxOptions, type OnnxDraft } from '../../lib/export-draft.js';
import { useExperimentsStore } from '../../stores/experiments-store.js';
import { useExportsStore } from '../../stores/exports-store.js';
import { useNavStore } from '../../stores/nav-store.js';
import { useRunsStore } from '../../stores/runs-store.js';
import { RunPicker, usableRuns, type Checkpoint } from '../evaluation/run-picker.js';

/** Run, checkpoint, format and (for ONNX) its options; checked here before anything is sent. */
export function ExportForm() {
  const allRuns = useRunsStore((s) => s.runs);
  const runsStatus = useRunsStore((s) => s.status);
  const experiments = useExperimentsStore((s) => s.experiments);
  const formats = useExportsStore((s) => s.formats);
  const create = useExportsStore((s) => s.create);
  const creating = useExportsStore((s) => s.creating);
  // A run's "Export" button opens this screen with that run chosen.
  const chosen = useNavStore((s) => s.detail);
  const [runId, setRunId] = useState(chosen ?? '');
  const [checkpoint, setCheckpoint] = useState<Checkpoint>('best');
  const [format, setFormat] = useState<ExportFormatName>('onnx');
  const [draft, setDraft] = useState<OnnxDraft>(DEFAULT_ONNX_DRAFT);

  const runs = useMemo(() => usableRuns(allRuns), [allRuns]);
  const run = runs.find((r) => r.run_id === runId) ?? runs[0];
  const ckpt = run !== undefined && run.checkpoints[checkpoint] === null ? 'last' : checkpoint;
  const options = format === 'onnx' ? onnxOptions(draft) : null;
  const edit = (patch: Partial<OnnxDraft>) => setDraft({ ...draft, ...patch });

  if (run === undefined && runsStatus !== 'ready') return <p className="muted">Loading runs…</p>;
  if (run === undefined) {
    return (
      <p className="muted" data-testid="export-no-runs">
        No run has a checkpoint yet. Runs start on the Experiments screen: open an experiment and
        press Start.
      </p>
    );
  }
  return (
    <form
      className="export-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (options !== null && !options.ok) return;
        void create({
          experiment_id: run.experiment_id,
          run_id: run.run_id,
          checkpoint: ckpt,
          format,
          ...(options === null ? {} : { options: options.options }),
        });
      }}
    >
      <div className="form-row">
        <RunPicker
          runs={runs}
          experiments={experiments}
          runId={run.run_id}
          checkpoint={ckpt}
          onRun={setRunId}
          onCheckpoint={setCheckpoint}
          testPrefix="export"
        />
        <label className="field">
          <span className="field-label">Format</span>
          <select
            className="input"
            value={format}
            onChange={(e) =>
              setFormat(formats.find((f) => f.name === e.target.value)?.name ?? 'onnx')
            }
            data-testid="export-format-select"
          >
            {formats.map((f) => (
              <option key={f.name} value={f.name} title={f.description}>
                {f.name.toUpperCase()}
              </option>
            ))}
          </select>
        </label>
      </div>
      {format === 'onnx' && (
        <div className="form-row" data-testid="export-onnx-options">
          <label className="field">
            <span className="field-label">Opset</span>
            <input
              className="input input-sm"
              inputMode="numeric"
              value={draft.opset}
              onChange={(e) => edit({ opset: e.target.value })}
              data-testid="export-opset"
            />
          </label>
          <label className="field">
            <span className="field-label">Input shape</span>
            <input
              className="input"
              placeholder="model's own, e.g. 1, 3, 64, 64"
              value={draft.inputShape}
              onChange={(e) => edit({ inputShape: e.target.value })}
              data-testid="export-input-shape"
            />
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.dynamicBatch}
              onChange={(e) => edit({ dynamicBatch: e.target.checked })}
              data-testid="export-dynamic-batch"
            />
            Dynamic batch size
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              checked={draft.simplify}
              onChange={(e) => edit({ simplify: e.target.checked })}
              data-testid="export-simplify"
            />
            Simplify
          </label>
        </div>
      )}
      {options !== null && !options.ok && (
        <p className="field-error" role="alert" data-testid="export-invalid">
          {options.error}
        </p>
      )}
      <button
        type="submit"
        className="btn btn-primary"
        disabled={creating || (options !== null && !options.ok)}
        data-testid="export-create-button"
      >
        {creating ? 'Starting…' : 'Export'}
      </button>
    </form>
  );
}
