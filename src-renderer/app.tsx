import { useEffect } from 'react';
import { AppHeader } from './components/app-header.js';
import { Sidebar } from './components/sidebar.js';
import { Toasts } from './components/toasts.js';
import { DatasetScreen } from './screens/dataset/dataset-screen.js';
import { ProjectsScreen } from './screens/projects/projects-screen.js';
import { SplitsScreen } from './screens/splits/splits-screen.js';
import { useNavStore } from './stores/nav-store.js';
import { useProjectsStore } from './stores/projects-store.js';

export function App() {
  const route = useNavStore((s) => s.screen);
  const projectId = useNavStore((s) => s.projectId);
  const syncFromHash = useNavStore((s) => s.syncFromHash);
  const loadProjects = useProjectsStore((s) => s.load);

  useEffect(() => {
    // Tests (and the Electron shell) wait on this rather than on timers.
    void loadProjects().finally(() => {
      document.body.dataset.appState = 'ready';
    });
    window.addEventListener('popstate', syncFromHash);
    return () => window.removeEventListener('popstate', syncFromHash);
  }, [loadProjects, syncFromHash]);

  const screen = projectId === null ? 'projects' : route;
  return (
    <div className="app">
      <Sidebar />
      <div className="main">
        <AppHeader />
        <main className="content" data-testid={`screen-${screen}`}>
          {screen === 'projects' || projectId === null ? (
            <ProjectsScreen />
          ) : screen === 'dataset' ? (
            <DatasetScreen key={projectId} projectId={projectId} />
          ) : (
            <SplitsScreen key={projectId} projectId={projectId} />
          )}
        </main>
      </div>
      <Toasts />
    </div>
  );
}
