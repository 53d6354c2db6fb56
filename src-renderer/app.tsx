import { useEffect } from 'react';
import { AppHeader } from './components/app-header.js';
import { Sidebar } from './components/sidebar.js';
import { Toasts } from './components/toasts.js';
import { DatasetScreen } from './screens/dataset/dataset-screen.js';
import { EvaluationScreen } from './screens/evaluation/evaluation-screen.js';
import { ExportScreen } from './screens/export/export-screen.js';
import { ExperimentsScreen } from './screens/experiments/experiments-screen.js';
import { RunsScreen } from './screens/runs/runs-screen.js';
import { ProjectsScreen } from './screens/projects/projects-screen.js';
import { RegressionScreen } from './screens/regression/regression-screen.js';
import { SplitsScreen } from './screens/splits/splits-screen.js';
import { NotFoundScreen } from './screens/not-found/not-found-screen.js';
import { SystemScreen } from './screens/system/system-screen.js';
import { AudioScreenView } from './screens/audio/audio-screen-view.js';
import { isAudioScreen } from './lib/route.js';
import { preloadPlotlyWhenIdle } from './components/plot-panel.js';
import { onMenuCommand } from './client/index.js';
import { assertNever } from './lib/assert-never.js';
import { useShownScreen } from './lib/use-shown-screen.js';
import { useImportStore } from './stores/import-store.js';
import { useNavStore } from './stores/nav-store.js';
import { useToastStore } from './stores/toast-store.js';
import { useProjectsStore } from './stores/projects-store.js';

export function App() {
  const screen = useShownScreen();
  const projectId = useNavStore((s) => s.projectId);
  const syncFromHash = useNavStore((s) => s.syncFromHash);
  const loadProjects = useProjectsStore((s) => s.load);

  useEffect(() => {
    // Tests (and the Electron shell) wait on this rather than on timers.
    void loadProjects().finally(() => {
      document.body.dataset.appState = 'ready';
      preloadPlotlyWhenIdle();
    });
    window.addEventListener('popstate', syncFromHash);
    return () => window.removeEventListener('popstate', syncFromHash);
  }, [loadProjects, syncFromHash]);

  // Desktop menu commands act on whatever project is open.
  useEffect(
    () =>
      onMenuCommand((cmd) => {
        switch (cmd.command) {
          case 'new-project':
            useNavStore.getState().requestNewProject();
            return;
          case 'import-folder': {
            const open = useNavStore.getState().projectId;
            if (open === null) {
              useToastStore
                .getState()
                .push('info', 'Open a project first, then import the folder into it.');
              return;
            }
            useNavStore.getState().go('dataset', open);
            void useImportStore.getState().importPaths(open, [cmd.path]);
            return;
          }
          default:
            assertNever(cmd);
        }
      }),
    [],
  );

  return (
    <div className="app">
      <Sidebar />
      <div className="main">
        <AppHeader />
        <main className="content" data-testid={`screen-${screen ?? 'checking'}`}>
          {screen === null ? (
            <p className="muted pad">Opening the project…</p>
          ) : screen === 'not-found' ? (
            <NotFoundScreen />
          ) : isAudioScreen(screen) ? (
            <AudioScreenView screen={screen} />
          ) : screen === 'system' ? (
            <SystemScreen />
          ) : screen === 'regression' ? (
            <RegressionScreen />
          ) : screen === 'projects' || projectId === null ? (
            <ProjectsScreen />
          ) : screen === 'dataset' ? (
            <DatasetScreen key={projectId} projectId={projectId} />
          ) : screen === 'experiments' ? (
            <ExperimentsScreen key={projectId} projectId={projectId} />
          ) : screen === 'runs' ? (
            <RunsScreen key={projectId} projectId={projectId} />
          ) : screen === 'evaluation' ? (
            <EvaluationScreen key={projectId} projectId={projectId} />
          ) : screen === 'export' ? (
            <ExportScreen key={projectId} projectId={projectId} />
          ) : (
            <SplitsScreen key={projectId} projectId={projectId} />
          )}
        </main>
        {/* In the page's flow below the content, so a toast never covers a table. */}
        <Toasts />
      </div>
    </div>
  );
}
