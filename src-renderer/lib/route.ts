/** The app's location, kept in the URL hash so a reload (or a bookmark) returns to the same screen. */
export type Screen =
  | 'projects'
  | 'dataset'
  | 'splits'
  | 'experiments'
  | 'runs'
  | 'evaluation'
  | 'export'
  | 'regression'
  | 'system'
  | AudioScreen
  | 'not-found';

/** The audio portal's screens (api-reference/audio-portal.md): family screens, no project chosen. */
export type AudioScreen =
  'audio-classify' | 'audio-realtime' | 'audio-analytics' | 'audio-dataset' | 'audio-training';

export const AUDIO_SCREENS: readonly AudioScreen[] = [
  'audio-classify',
  'audio-realtime',
  'audio-analytics',
  'audio-dataset',
  'audio-training',
];

export const isAudioScreen = (s: Screen): s is AudioScreen =>
  (AUDIO_SCREENS as readonly Screen[]).includes(s);

/**
 * The reference's pages (`/classify`, …): the server hands a browser the app at these paths and
 * the app opens the matching screen. `/` stays the app's home.
 */
export const AUDIO_PAGES: Readonly<Record<string, AudioScreen>> = {
  '/classify': 'audio-classify',
  '/realtime': 'audio-realtime',
  '/analytics': 'audio-analytics',
  '/dataset': 'audio-dataset',
  '/training': 'audio-training',
};

export interface Route {
  readonly screen: Screen;
  readonly projectId: string | null;
  /**
   * The experiment open on Experiments, the run open on Runs, or the run chosen on Evaluation and
   * Export; absent on list views.
   */
  readonly detail?: string;
}

const PROJECT_ID = /^proj-[0-9a-f]{8}$/;
const DETAIL_ID: Partial<Record<Screen, RegExp>> = {
  experiments: /^exp-[0-9a-f]{8}$/,
  runs: /^run-[0-9a-f]{8}$/,
  // A run's next steps open these screens with that run chosen.
  evaluation: /^run-[0-9a-f]{8}$/,
  export: /^run-[0-9a-f]{8}$/,
};
const PROJECT_SCREENS: readonly Screen[] = [
  'dataset',
  'splits',
  'experiments',
  'runs',
  'evaluation',
  'export',
];

const NOT_FOUND: Route = { screen: 'not-found', projectId: null };

/** Screens that take no project and nothing after their name. */
const TOP_SCREENS: readonly Screen[] = ['projects', 'regression', 'system', 'not-found'];

/**
 * Anything the app cannot show (an unknown screen, an id of the wrong shape, extra parts) is the
 * not-found screen: landing silently elsewhere would hide a broken link or bookmark.
 */
export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  const [first, projectId, screenPart, detail, ...rest] = parts;
  if (first === undefined) return { screen: 'projects', projectId: null };
  if (first === 'audio') {
    const audio = AUDIO_SCREENS.find((s) => s === `audio-${projectId ?? ''}`);
    return audio !== undefined && parts.length === 2
      ? { screen: audio, projectId: null }
      : NOT_FOUND;
  }
  if (first !== 'projects' || projectId === undefined) {
    // Regression is a family screen: it acts on the family's default project, none is chosen here.
    const top = TOP_SCREENS.find((s) => s === first);
    return top !== undefined && parts.length === 1 ? { screen: top, projectId: null } : NOT_FOUND;
  }
  if (!PROJECT_ID.test(projectId) || rest.length > 0) return NOT_FOUND;
  if (screenPart === undefined) return { screen: 'dataset', projectId };
  const screen = PROJECT_SCREENS.find((s) => s === screenPart);
  if (screen === undefined) return NOT_FOUND;
  if (detail === undefined) return { screen, projectId };
  // Ids are checked by shape, never passed on unchecked.
  return DETAIL_ID[screen]?.test(detail) === true ? { screen, projectId, detail } : NOT_FOUND;
}

/**
 * The route for the page's address: the hash when there is one, else one of the reference's page
 * paths, else the home screen.
 */
export function routeFromLocation(pathname: string, hash: string): Route {
  if (hash.replace(/^#\/?/, '') !== '') return parseRoute(hash);
  const page = AUDIO_PAGES[pathname.replace(/\/+$/, '')];
  return page !== undefined ? { screen: page, projectId: null } : parseRoute(hash);
}

export function formatRoute(route: Route): string {
  if (isAudioScreen(route.screen)) return `#/audio/${route.screen.slice('audio-'.length)}`;
  if (route.screen === 'regression' || route.screen === 'system' || route.screen === 'not-found') {
    return `#/${route.screen}`;
  }
  if (route.screen === 'projects' || route.projectId === null) return '#/projects';
  const base = `#/projects/${route.projectId}/${route.screen}`;
  return route.detail === undefined ? base : `${base}/${route.detail}`;
}

/** Whether the open project is in the workspace: `checking` while the list is asked again. */
export type ProjectPresence = 'known' | 'checking' | 'unknown';

/** Screens drawn without a project. */
export const TOP_LEVEL: readonly Screen[] = ['regression', 'system', ...AUDIO_SCREENS, 'not-found'];

/**
 * The screen to draw for a route. A project screen needs its project: one the workspace does not
 * have is not-found, never a screen firing requests that can only fail. `null`: not decided yet.
 */
export function shownScreen(
  screen: Screen,
  projectId: string | null,
  presence: ProjectPresence,
): Screen | null {
  if (TOP_LEVEL.includes(screen)) return screen;
  if (screen === 'projects' || projectId === null) return 'projects';
  if (presence === 'checking') return null;
  return presence === 'unknown' ? 'not-found' : screen;
}
