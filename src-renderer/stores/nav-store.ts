import { create } from 'zustand';
import {
  AUDIO_PAGES,
  formatRoute,
  parseRoute,
  routeFromLocation,
  type Route,
  type Screen,
} from '../lib/route.js';

/**
 * Opened at one of the reference's page paths (`/classify`): the app lives at `/`, so the address
 * becomes `/#/audio/classify` and the back button and reloads behave as for any other screen.
 */
function initialRoute(): Route {
  const { pathname, hash } = window.location;
  const route = routeFromLocation(pathname, hash);
  if (AUDIO_PAGES[pathname.replace(/\/+$/, '')] !== undefined) {
    window.history.replaceState(null, '', `/${formatRoute(route)}`);
  }
  return route;
}

interface NavState extends Route {
  /** Bumped by File → New project: the create form focuses its name field when it changes. */
  readonly newProjectRequests: number;
  /** `detail` opens one experiment or run; left out, the screen shows its list. */
  go(screen: Screen, projectId?: string | null, detail?: string): void;
  requestNewProject(): void;
  /** Follows the browser's back/forward buttons. */
  syncFromHash(): void;
}

export const useNavStore = create<NavState>()((set, get) => ({
  ...initialRoute(),
  newProjectRequests: 0,
  requestNewProject() {
    get().go('projects');
    set({ newProjectRequests: get().newProjectRequests + 1 });
  },
  go(screen, projectId, detail) {
    // The open project stays remembered on the Projects screen so the nav can return to it.
    const route: Route = {
      screen,
      projectId: projectId === undefined ? get().projectId : projectId,
      detail,
    };
    const hash = formatRoute(route);
    if (window.location.hash !== hash) window.history.pushState(null, '', hash);
    set(route);
  },
  syncFromHash() {
    const route = parseRoute(window.location.hash);
    // `detail` is set explicitly: a merge would otherwise keep the previous screen's.
    set(
      route.projectId === null
        ? { screen: route.screen, detail: undefined }
        : { ...route, detail: route.detail },
    );
  },
}));
