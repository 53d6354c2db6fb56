/** The app's location, kept in the URL hash so a reload (or a bookmark) returns to the same screen. */
export type Screen = 'projects' | 'dataset' | 'splits';

export interface Route {
  readonly screen: Screen;
  readonly projectId: string | null;
}

const PROJECT_ID = /^proj-[0-9a-f]{8}$/;

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'projects' && parts[1] !== undefined && PROJECT_ID.test(parts[1])) {
    const screen = parts[2] === 'splits' ? 'splits' : 'dataset';
    return { screen, projectId: parts[1] };
  }
  return { screen: 'projects', projectId: null };
}

export function formatRoute(route: Route): string {
  if (route.screen === 'projects' || route.projectId === null) return '#/projects';
  return `#/projects/${route.projectId}/${route.screen}`;
}
