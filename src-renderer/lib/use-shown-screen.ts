import { useEffect } from 'react';
import { useNavStore } from '../stores/nav-store.js';
import { useProjectsStore } from '../stores/projects-store.js';
import { shownScreen, TOP_LEVEL, type ProjectPresence, type Screen } from './route.js';

/**
 * `shownScreen` for the current route. A project missing from the loaded list may have been made
 * since (by another window, or the API): the list is asked once more before saying not found.
 */
export function useShownScreen(): Screen | null {
  const screen = useNavStore((s) => s.screen);
  const projectId = useNavStore((s) => s.projectId);
  const status = useProjectsStore((s) => s.status);
  const listed = useProjectsStore((s) => s.projects.some((p) => p.id === projectId));
  const loadProjects = useProjectsStore((s) => s.load);
  const needsProject = !TOP_LEVEL.includes(screen) && screen !== 'projects' && projectId !== null;
  // Until the list is in (or if it failed), the screen is drawn as before: it shows its own error.
  const missing = needsProject && status === 'ready' && !listed;

  useEffect(() => {
    if (!missing || projectId === null) return;
    let alive = true;
    void loadProjects().finally(() => {
      const nav = useNavStore.getState();
      const found = useProjectsStore.getState().projects.some((p) => p.id === projectId);
      // The address stays as typed; the header and sidebar stop naming a project that is not there.
      if (alive && !found && nav.projectId === projectId) {
        useNavStore.setState({ screen: 'not-found', projectId: null, detail: undefined });
      }
    });
    return () => {
      alive = false;
    };
  }, [missing, projectId, loadProjects]);

  const presence: ProjectPresence = missing ? 'checking' : 'known';
  return shownScreen(screen, projectId, presence);
}
