import { create } from 'zustand';
import { formatRoute, parseRoute, type Route, type Screen } from '../lib/route.js';

interface NavState extends Route {
  /** Bumped by File → New project: the create form focuses its name field when it changes. */
  readonly newProjectRequests: number;
  go(screen: Screen, projectId?: string | null): void;
  requestNewProject(): void;
  /** Follows the browser's back/forward buttons. */
  syncFromHash(): void;
}

export const useNavStore = create<NavState>()((set, get) => ({
  ...parseRoute(window.location.hash),
  newProjectRequests: 0,
  requestNewProject() {
    get().go('projects');
    set({ newProjectRequests: get().newProjectRequests + 1 });
  },
  go(screen, projectId) {
    // The open project stays remembered on the Projects screen so the nav can return to it.
    const route: Route = {
      screen,
      projectId: projectId === undefined ? get().projectId : projectId,
    };
    const hash = formatRoute(route);
    if (window.location.hash !== hash) window.history.pushState(null, '', hash);
    set(route);
  },
  syncFromHash() {
    const route = parseRoute(window.location.hash);
    set(route.projectId === null ? { screen: route.screen } : route);
  },
}));
