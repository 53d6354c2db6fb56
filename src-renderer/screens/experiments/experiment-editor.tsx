import { useMemo, useState, type FormEvent } from 'react';
import type {
  Devices,
  Experiment,
  SplitSummary,
  Task,
} from '../../../src-shared/contract/index.js';
import {
  draftFromExperiment,
  draftToInput,
  inputKindFor,
  type ExperimentDraft,
} from '../../lib/experiment-draft.js';
import { useExperimentsStore } from '../../stores/experiments-store.js';
import {
  AugmentationSection,
  DeviceSection,
  InputSection,
  ModelSection,
  OptimiserSection,
  TrainingSection,
} from './editor-sections.js';
import type { DraftForm } from './form-controls.js';

interface ExperimentEditorProps {
  readonly experiment: Experiment;
  readonly task: Task;
  readonly splits: readonly SplitSummary[];
  readonly devices: Devices | null;
  /** Starts a run of the saved experiment (the editor saves pending changes first). */
  readonly onStartRun: () => Promise<void>;
  readonly starting: boolean;
}

/**
 * Every setting of one experiment, starting from the config the server resolved (the task's
 * defaults filled in). Remount it (key) when the experiment changes on the server.
 */
export function ExperimentEditor({
  experiment,
  task,
  splits,
  devices,
  onStartRun,
  starting,
}: ExperimentEditorProps) {
  const initial = useMemo(() => draftFromExperiment(experiment), [experiment]);
  const [draft, setDraft] = useState<ExperimentDraft>(initial);
  const save = useExperimentsStore((s) => s.save);
  const saving = useExperimentsStore((s) => s.saving);
  const saveError = useExperimentsStore((s) => s.saveError);
  const clearSaveError = useExperimentsStore((s) => s.clearSaveError);

  const kind = inputKindFor(task);
  const result = useMemo(() => draftToInput(draft, kind), [draft, kind]);
  const dirty = useMemo(() => JSON.stringify(draft) !== JSON.stringify(initial), [draft, initial]);

  const form: DraftForm = {
    draft,
    errors: result.ok ? {} : result.errors,
    set(key, value) {
      // A device belongs to a backend: another backend starts from "auto" again.
      setDraft((d) =>
        key === 'backend' ? { ...d, [key]: value, device: 'auto' } : { ...d, [key]: value },
      );
    },
  };

  async function saveDraft(): Promise<boolean> {
    if (!result.ok) return false;
    return save(experiment.id, result.value);
  }

  async function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (dirty && !saving) await saveDraft();
  }

  async function onStart() {
    if (dirty && !(await saveDraft())) return;
    await onStartRun();
  }

  const errorCount = result.ok ? 0 : Object.keys(result.errors).length;
  return (
    <form
      className="card experiment-editor"
      onSubmit={(e) => void onSubmit(e)}
      data-testid="experiment-editor"
      data-dirty={dirty}
    >
      <div className="editor-head">
        <div>
          <h2 className="card-title">Configuration</h2>
          <p className="muted small editor-note">
            Every setting shows the value the server resolved: what you have not changed is the
            task&apos;s default.
          </p>
        </div>
        <div className="editor-actions">
          {dirty && (
            <span className="unsaved" data-testid="editor-unsaved">
              Unsaved changes
            </span>
          )}
          <button
            type="button"
            className="btn"
            disabled={!dirty || saving}
            onClick={() => {
              setDraft(initial);
              clearSaveError();
            }}
            data-testid="editor-revert"
          >
            Revert
          </button>
          <button
            type="submit"
            className="btn"
            disabled={!dirty || !result.ok || saving}
            data-testid="editor-save"
          >
            {saving ? 'Saving…' : 'Save'}
          </button>
          <button
            type="button"
            className="btn btn-primary"
            disabled={!result.ok || saving || starting}
            onClick={() => void onStart()}
            data-testid="start-run-button"
            title={dirty ? 'Saves the changes, then starts a run' : undefined}
          >
            {starting ? 'Starting…' : dirty ? 'Save and start run' : 'Start run'}
          </button>
        </div>
      </div>
      {saveError !== null && (
        <div className="form-banner form-banner-error" role="alert" data-testid="editor-error">
          The server refused these settings: {saveError}
        </div>
      )}
      {errorCount > 0 && (
        <div className="form-banner" data-testid="editor-invalid">
          {errorCount === 1 ? 'One setting needs' : `${errorCount} settings need`} fixing before it
          can be saved.
        </div>
      )}
      <div className="editor-columns">
        <div className="editor-column">
          <ModelSection form={form} task={task} splits={splits} />
          <InputSection form={form} task={task} />
          <AugmentationSection form={form} task={task} />
        </div>
        <div className="editor-column">
          <OptimiserSection form={form} />
          <TrainingSection form={form} task={task} />
          <DeviceSection form={form} devices={devices} />
        </div>
      </div>
      <details className="resolved-config">
        <summary>Resolved configuration as stored (JSON)</summary>
        <pre data-testid="resolved-config">{JSON.stringify(experiment.config, null, 2)}</pre>
      </details>
    </form>
  );
}
