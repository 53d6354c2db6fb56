import { EmptyState } from '../../components/empty-state.js';
import { formatBytes } from '../../lib/format.js';
import { diskShares } from '../../lib/system-info.js';
import { useWorkspaceStore } from '../../stores/workspace-store.js';

/** The workspace folder and where its bytes go: a bar per project reads faster than a column. */
export function WorkspaceCard() {
  const stats = useWorkspaceStore((s) => s.stats);
  const status = useWorkspaceStore((s) => s.status);
  const error = useWorkspaceStore((s) => s.error);
  if (status === 'error') {
    return (
      <section className="card" data-testid="system-workspace">
        <h2 className="card-title">Workspace</h2>
        <EmptyState title="The workspace could not be measured." tone="error">
          <p>{error}</p>
        </EmptyState>
      </section>
    );
  }
  if (stats === null) {
    return (
      <section className="card" data-testid="system-workspace">
        <h2 className="card-title">Workspace</h2>
        <p className="muted pad">Measuring the workspace…</p>
      </section>
    );
  }
  const shares = diskShares(stats.projects, stats.total_bytes);
  return (
    <section className="card" data-testid="system-workspace">
      <h2 className="card-title">Workspace</h2>
      <dl className="kv">
        <dt>Folder</dt>
        <dd className="mono" data-testid="workspace-path">
          {stats.path}
        </dd>
        <dt>In use</dt>
        <dd data-testid="workspace-total">{formatBytes(stats.total_bytes)}</dd>
        <dt>Database</dt>
        <dd data-testid="workspace-database">{formatBytes(stats.database_bytes)}</dd>
        <dt>Disk</dt>
        <dd data-testid="workspace-disk">
          {formatBytes(stats.disk_free_bytes)} free of {formatBytes(stats.disk_total_bytes)}
        </dd>
      </dl>
      {shares.length === 0 ? (
        <p className="muted pad">No projects yet.</p>
      ) : (
        <table className="table table-compact" data-testid="workspace-projects">
          <thead>
            <tr>
              <th>Project</th>
              <th className="num">Items</th>
              <th className="num">On disk</th>
              <th className="disk-bar-col">Share of the workspace</th>
            </tr>
          </thead>
          <tbody>
            {shares.map((p) => (
              <tr key={p.id} data-testid={`workspace-project-${p.id}`}>
                <td>{p.name}</td>
                <td className="num">{stats.projects.find((x) => x.id === p.id)?.items ?? 0}</td>
                <td className="num" data-testid="project-bytes">
                  {formatBytes(p.bytes)}
                </td>
                <td className="disk-bar-col">
                  <div
                    className="disk-bar"
                    role="img"
                    aria-label={`${p.percent.toFixed(0)} % of the workspace`}
                  >
                    <div className="disk-bar-fill" style={{ width: `${p.percent}%` }} />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
