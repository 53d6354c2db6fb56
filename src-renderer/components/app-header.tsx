import { isAudioScreen, type Screen } from '../lib/route.js';
import { TASK_LABELS } from '../lib/tasks.js';
import { useNavStore } from '../stores/nav-store.js';
import { SetupChecklist } from './setup-checklist.js';
import { selectProject, useProjectsStore } from '../stores/projects-store.js';

const TITLES: Readonly<Record<Screen, string>> = {
  projects: 'Projects',
  dataset: 'Dataset',
  splits: 'Splits',
  experiments: 'Experiments',
  runs: 'Runs',
  evaluation: 'Evaluation',
  export: 'Export',
  regression: 'Regression',
  system: 'System',
  'audio-classify': 'Audio · Classify',
  'audio-realtime': 'Audio · Realtime',
  'audio-analytics': 'Audio · Analytics',
  'audio-dataset': 'Audio · Dataset',
  'audio-training': 'Audio · Training',
  'not-found': 'Not found',
};

export function AppHeader() {
  const screen = useNavStore((s) => s.screen);
  const projectId = useNavStore((s) => s.projectId);
  const project = useProjectsStore(selectProject(projectId));
  // Regression acts on its family's own project, not the one open elsewhere.
  const showProject =
    screen !== 'projects' &&
    screen !== 'regression' &&
    screen !== 'system' &&
    screen !== 'not-found' &&
    !isAudioScreen(screen) &&
    project !== undefined;
  return (
    <header className="app-header">
      <div className="header-title">
        {showProject ? (
          <>
            <span className="header-project" data-testid="header-project-name">
              {project.name}
            </span>
            <span className="header-sep" aria-hidden="true">
              /
            </span>
            <span className="header-screen">{TITLES[screen]}</span>
          </>
        ) : (
          <span className="header-project">{TITLES[screen]}</span>
        )}
      </div>
      {showProject && <SetupChecklist projectId={project.id} />}
      {showProject && <span className="badge">{TASK_LABELS[project.task]}</span>}
    </header>
  );
}
