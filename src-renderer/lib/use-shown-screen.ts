import { useEffect, useState } from 'react';
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
  const [recheckedFor, setRecheckedFor] = useState<string | null>(null);
  const needsProject = !TOP_LEVEL.includes(screen) && screen !== 'projects' && projectId !== null;
  // Until the list is in (or if it failed), the screen is drawn as before: it shows its own error.
  const missing = needsProject && status === 'ready' && !listed;
  const recheck = missing && recheckedFor !== projectId;

  useEffect(() => {
    if (!recheck || projectId === null) return;
    let alive = true;
    void loadProjects().finally(() => alive && setRecheckedFor(projectId));
    return () => {
      alive = false;
    };
  }, [recheck, projectId, loadProjects]);

  const presence: ProjectPresence = !missing ? 'known' : recheck ? 'checking' : 'unknown';
  return shownScreen(screen, projectId, presence);
}
