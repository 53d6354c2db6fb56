import { useEffect } from 'react';
import { EmptyState } from '../../components/empty-state.js';
import { useProjectsStore } from '../../stores/projects-store.js';
import { CreateProjectForm } from './create-project-form.js';
import { ProjectRow } from './project-row.js';

export function ProjectsScreen() {
  const projects = useProjectsStore((s) => s.projects);
  const status = useProjectsStore((s) => s.status);
  const error = useProjectsStore((s) => s.error);
  const load = useProjectsStore((s) => s.load);

  // Counts change on other screens (imports, splits); show them fresh whenever the list is opened.
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <div className="screen projects-screen">
      <CreateProjectForm />
      <section className="card">
        <h2 className="card-title">
          All projects <span className="count">{projects.length}</span>
        </h2>
        {status === 'error' ? (
          <EmptyState
            title="The project list could not be loaded."
            tone="error"
            testId="projects-error"
          >
            <p>{error}</p>
            <button type="button" className="btn" onClick={() => void load()}>
              Try again
            </button>
          </EmptyState>
        ) : status !== 'ready' ? (
          <p className="muted pad">Loading projects…</p>
        ) : projects.length === 0 ? (
          <EmptyState title="No projects yet" testId="projects-empty">
            Create one above: give it a name and pick its task. Then drop a folder of images or
            sounds on it.
          </EmptyState>
        ) : (
          <table className="table" data-testid="project-list">
            <thead>
              <tr>
                <th>Name</th>
                <th>Task</th>
                <th className="num">Items</th>
                <th className="num">Classes</th>
                <th className="num">Splits</th>
                <th>Created</th>
                <th>
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {[...projects]
                .sort((a, b) => b.updated_at.localeCompare(a.updated_at))
                .map((p) => (
                  <ProjectRow key={p.id} project={p} />
                ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
