import { EmptyState } from '../../components/empty-state.js';
import { outputsLinkable } from '../../client/index.js';
import { useRuntimeStore } from '../../stores/runtime-store.js';
import { useWorkspaceStore } from '../../stores/workspace-store.js';

/** Versions, the inference runtime's models, the API docs and where logs go. */
export function RuntimeCard() {
  const versions = useRuntimeStore((s) => s.versions);
  const health = useRuntimeStore((s) => s.health);
  const models = useRuntimeStore((s) => s.models);
  const status = useRuntimeStore((s) => s.status);
  const error = useRuntimeStore((s) => s.error);
  const workspace = useWorkspaceStore((s) => s.stats?.path ?? '<workspace>');
  if (status === 'error') {
    return (
      <section className="card" data-testid="system-runtime">
        <h2 className="card-title">Versions and runtime</h2>
        <EmptyState title="The server did not answer its health check." tone="error">
          <p>{error}</p>
        </EmptyState>
      </section>
    );
  }
  const rows: readonly [string, string, string | null | undefined][] = [
    ['app', 'Assay', versions?.app ?? health?.version],
    ['node', 'Node.js', versions?.node],
    ['electron', 'Electron', versions?.electron],
    ['tfjs', 'TensorFlow.js', versions?.tfjs],
    ['onnxruntime', 'onnxruntime', versions?.onnxruntime],
  ];
  return (
    <>
      <section className="card" data-testid="system-runtime">
        <h2 className="card-title">Versions</h2>
        <dl className="kv">
          {rows.map(([key, label, value]) => (
            <div key={key} className="kv-row">
              <dt>{label}</dt>
              <dd className="mono" data-testid={`version-${key}`}>
                {value ?? (key === 'electron' ? 'not running in Electron' : '—')}
              </dd>
            </div>
          ))}
        </dl>
      </section>
      <section className="card" data-testid="system-models">
        <h2 className="card-title">
          Models loaded by the inference runtime{' '}
          <span className="count" data-testid="models-loaded">
            {models?.models_loaded ?? '…'}
          </span>
        </h2>
        {models === null ? (
          <p className="muted pad">Asking the runtime…</p>
        ) : models.models.length === 0 ? (
          <p className="muted pad" data-testid="models-empty">
            No models yet: import an ONNX model, or use Try it on a finished run.
          </p>
        ) : (
          <table className="table table-compact" data-testid="model-list">
            <thead>
              <tr>
                <th>Name</th>
                <th>Id</th>
                <th>Source</th>
                <th>Kind</th>
                <th>Session</th>
              </tr>
            </thead>
            <tbody>
              {models.models.map((m) => (
                <tr key={m.id} data-testid={`model-${m.id}`}>
                  <td>{m.name}</td>
                  <td className="mono">{m.id}</td>
                  <td>{m.source}</td>
                  <td>{m.kind}</td>
                  <td>{m.loaded ? 'open' : 'closed'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="card" data-testid="system-help">
        <h2 className="card-title">API docs and logs</h2>
        <dl className="kv">
          <dt>API docs</dt>
          <dd>
            {outputsLinkable ? (
              <a href="/docs" target="_blank" rel="noreferrer" data-testid="docs-link">
                Open the API reference (/docs)
              </a>
            ) : (
              // The desktop app talks over IPC: the docs are served by the headless server.
              <span data-testid="docs-link-desktop">
                Served at <span className="mono">/docs</span> by the headless server (
                <span className="mono">npm start</span>).
              </span>
            )}
          </dd>
          <dt>Server log</dt>
          <dd data-testid="logs-location">
            JSON lines on the standard output of the process that started Assay (the terminal of{' '}
            <span className="mono">npm start</span> or of the desktop app); set{' '}
            <span className="mono">ASSAY_LOG_LEVEL</span> to change how much it says.
          </dd>
          <dt>Run logs</dt>
          <dd className="mono" data-testid="run-logs-location">
            {workspace}/projects/&lt;project id&gt;/runs/&lt;run id&gt;/
          </dd>
        </dl>
      </section>
    </>
  );
}
