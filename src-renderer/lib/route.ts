/** The app's location, kept in the URL hash so a reload (or a bookmark) returns to the same screen. */
export type Screen =
  | 'projects'
  | 'dataset'
  | 'splits'
  | 'experiments'
  | 'runs'
  | 'evaluation'
  | 'export'
  | 'regression';

export interface Route {
  readonly screen: Screen;
  readonly projectId: string | null;
  /** The experiment open on Experiments, or the run open on Runs; absent on list views. */
  readonly detail?: string;
}

const PROJECT_ID = /^proj-[0-9a-f]{8}$/;
const DETAIL_ID: Partial<Record<Screen, RegExp>> = {
  experiments: /^exp-[0-9a-f]{8}$/,
  runs: /^run-[0-9a-f]{8}$/,
};
const PROJECT_SCREENS: readonly Screen[] = [
  'dataset',
  'splits',
  'experiments',
  'runs',
  'evaluation',
  'export',
];

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  // A family screen: it acts on the family's default project, none is chosen here.
  if (parts[0] === 'regression') return { screen: 'regression', projectId: null };
  if (parts[0] === 'projects' && parts[1] !== undefined && PROJECT_ID.test(parts[1])) {
    const screen = PROJECT_SCREENS.find((s) => s === parts[2]) ?? 'dataset';
    const detail = parts[3];
    // Ids are checked by shape: anything else in the hash is ignored, never passed on.
    if (detail !== undefined && DETAIL_ID[screen]?.test(detail) === true) {
      return { screen, projectId: parts[1], detail };
    }
    return { screen, projectId: parts[1] };
  }
  return { screen: 'projects', projectId: null };
}

export function formatRoute(route: Route): string {
  if (route.screen === 'regression') return '#/regression';
  if (route.screen === 'projects' || route.projectId === null) return '#/projects';
  const base = `#/projects/${route.projectId}/${route.screen}`;
  return route.detail === undefined ? base : `${base}/${route.detail}`;
}
