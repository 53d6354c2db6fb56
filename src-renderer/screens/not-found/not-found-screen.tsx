import { useSyncExternalStore } from 'react';
import { EmptyState } from '../../components/empty-state.js';
import { useNavStore } from '../../stores/nav-store.js';

function onHashChange(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}
const readHash = () => window.location.hash;

/** A link or bookmark the app cannot show: say so, and offer the way back. */
export function NotFoundScreen() {
  const go = useNavStore((s) => s.go);
  // One bad address after another keeps the route at not-found: the hash itself is followed.
  const hash = useSyncExternalStore(onHashChange, readHash);
  return (
    <div className="screen">
      <section className="card">
        <EmptyState title="There is nothing at this address." testId="not-found">
          <p>
            <span className="mono" data-testid="not-found-hash">
              {hash || '#/'}
            </span>{' '}
            names no screen, or a project that is not in this workspace.
          </p>
          <button
            type="button"
            className="btn btn-primary"
            onClick={() => go('projects', null)}
            data-testid="not-found-back"
          >
            Back to projects
          </button>
        </EmptyState>
      </section>
    </div>
  );
}
