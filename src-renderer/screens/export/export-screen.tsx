import { useEffect, useState } from 'react';
import type { Export } from '../../../src-shared/contract/index.js';
import { client } from '../../client/index.js';
import { EmptyState } from '../../components/empty-state.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { formatBytes } from '../../lib/format.js';
import { checkpointScore } from '../../../src-shared/format/metric-names.js';
import { useExperimentsStore } from '../../stores/experiments-store.js';
import { useExportsStore } from '../../stores/exports-store.js';
import { useRunsStore } from '../../stores/runs-store.js';
import { useToastStore } from '../../stores/toast-store.js';
import { ExportForm } from './export-form.js';

/** The experiment and run an export came from by name, and its checkpoint's score. */
function ExportModelCells({ x }: { readonly x: Export }) {
  const run = useRunsStore((s) => s.runs.find((r) => r.run_id === x.run_id));
  const experiment = useExperimentsStore((s) =>
    s.experiments.find((e) => e.id === x.experiment_id),
  );
  return (
    <>
      <td data-testid="export-model" title={`${x.export_id} · ${x.run_id}`}>
        <strong>{experiment?.name ?? x.experiment_id}</strong>
        {run !== undefined && <span className="muted small"> · {run.name}</span>}
      </td>
      <td data-testid="export-score">{checkpointScore(run?.checkpoints[x.checkpoint])}</td>
    </>
  );
}

/** Electron: a save dialog, then the ZIP copied where the user chose. */
function SaveButton({
  x,
  save,
}: {
  readonly x: Export;
  readonly save: NonNullable<typeof client.saveExport>;
}) {
  const [busy, setBusy] = useState(false);
  const onClick = async (): Promise<void> => {
    setBusy(true);
    try {
      const r = await save(x.project_id, x.export_id);
      if (r.saved) useToastStore.getState().push('success', `Saved ${r.path ?? x.filename}`);
    } catch (e) {
      useToastStore.getState().pushError('Could not save the export', e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <button
      type="button"
      className="btn btn-sm"
      disabled={busy}
      onClick={() => void onClick()}
      data-testid="export-save"
    >
      {busy ? 'Saving…' : 'Save…'}
    </button>
  );
}

/** In a browser the server serves the ZIP; in the desktop app it is saved through a dialog. */
function DownloadCell({ x }: { readonly x: Export }) {
  if (x.status === 'pending' || x.status === 'running') {
    return <ProgressBar fraction={null} label="Exporting" testId="export-progress" />;
  }
  if (x.status === 'failed') return <span className="field-error">{x.message}</span>;
  if (x.download_url === null) return null;
  if (client.kind !== 'http') {
    return client.saveExport ? (
      <SaveButton x={x} save={client.saveExport} />
    ) : (
      <span className="muted small">Download from the browser UI</span>
    );
  }
  return (
    <a
      className="btn btn-sm"
      href={x.download_url}
      download={x.filename}
      data-testid="export-download"
    >
      Download
    </a>
  );
}

/** Export a run's checkpoint (ONNX or TensorFlow.js) as a ZIP; the project's exports below. */
export function ExportScreen({ projectId }: { readonly projectId: string }) {
  const open = useExportsStore((s) => s.open);
  const leave = useExportsStore((s) => s.leave);
  const exports = useExportsStore((s) => s.exports);
  const status = useExportsStore((s) => s.status);
  const error = useExportsStore((s) => s.error);
  const deleting = useExportsStore((s) => s.deleting);
  const remove = useExportsStore((s) => s.remove);
  const openRuns = useRunsStore((s) => s.open);
  const leaveRuns = useRunsStore((s) => s.leave);
  const openExperiments = useExperimentsStore((s) => s.open);

  useEffect(() => {
    void open(projectId);
    void openRuns(projectId);
    void openExperiments(projectId);
    return () => {
      leave();
      leaveRuns();
    };
  }, [projectId, open, openRuns, openExperiments, leave, leaveRuns]);

  if (status === 'error') {
    return (
      <EmptyState title="Exports could not be loaded" tone="error">
        {error}
      </EmptyState>
    );
  }
  return (
    <div className="screen export-screen" data-testid="export-screen">
      <section className="card">
        <h2 className="card-title">Export a model</h2>
        <ExportForm />
      </section>
      <section className="card">
        <h2 className="card-title">
          Exports <span className="count">{exports.length}</span>
        </h2>
        {exports.length === 0 ? (
          <p className="muted">Nothing exported yet.</p>
        ) : (
          <table className="table">
            <thead>
              <tr>
                <th>Model</th>
                <th>Score</th>
                <th>Run</th>
                <th>Checkpoint</th>
                <th>Format</th>
                <th>Status</th>
                <th>Size</th>
                <th>File</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {exports.map((x) => (
                <tr key={x.export_id} data-testid="export-row" data-status={x.status}>
                  <ExportModelCells x={x} />
                  <td>{x.checkpoint}</td>
                  <td>{x.format.toUpperCase()}</td>
                  <td data-testid="export-status">{x.status}</td>
                  <td>{x.size_bytes === null ? '—' : formatBytes(x.size_bytes)}</td>
                  <td>
                    <DownloadCell x={x} />
                  </td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="btn btn-sm btn-ghost-danger"
                      disabled={
                        deleting[x.export_id] === true ||
                        x.status === 'pending' ||
                        x.status === 'running'
                      }
                      onClick={() => void remove(x.export_id)}
                      data-testid="export-delete"
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
