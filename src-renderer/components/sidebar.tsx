import type { Screen } from '../lib/route.js';
import { useNavStore } from '../stores/nav-store.js';

/** Screens with a sidebar entry (not-found is reached only by a bad address). */
type NavScreen = Exclude<Screen, 'not-found'>;

const ITEMS: readonly { screen: NavScreen; label: string; needsProject: boolean }[] = [
  { screen: 'projects', label: 'Projects', needsProject: false },
  { screen: 'dataset', label: 'Dataset', needsProject: true },
  { screen: 'splits', label: 'Splits', needsProject: true },
  { screen: 'experiments', label: 'Experiments', needsProject: true },
  { screen: 'runs', label: 'Runs', needsProject: true },
  { screen: 'evaluation', label: 'Evaluation', needsProject: true },
  { screen: 'export', label: 'Export', needsProject: true },
  { screen: 'regression', label: 'Regression', needsProject: false },
  // The audio portal: its screens act on the family's own project, none is chosen here.
  { screen: 'audio-classify', label: 'Audio classify', needsProject: false },
  { screen: 'audio-realtime', label: 'Audio realtime', needsProject: false },
  { screen: 'audio-dataset', label: 'Audio dataset', needsProject: false },
  { screen: 'audio-training', label: 'Audio training', needsProject: false },
  { screen: 'audio-analytics', label: 'Audio analytics', needsProject: false },
  { screen: 'system', label: 'System', needsProject: false },
];

function NavIcon({ screen }: { screen: NavScreen }) {
  // Small inline icons: no icon font, nothing fetched, CSP-clean.
  const paths: Record<NavScreen, string> = {
    projects: 'M3 6.5h6l1.5 2H21v10a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 18.5z',
    dataset: 'M4 4h7v7H4zM13 4h7v7h-7zM4 13h7v7H4zM13 13h7v7h-7z',
    splits: 'M4 20V10M10 20V4M16 20v-7M22 20H2',
    experiments:
      'M9 3h6M10 3v6l-5.5 9.5A1.5 1.5 0 0 0 5.8 21h12.4a1.5 1.5 0 0 0 1.3-2.5L14 9V3M7.5 15h9',
    runs: 'M3 12h4l3-8 4 16 3-8h4',
    evaluation: 'M4 4h16v16H4zM4 12h16M12 4v16M7 7.5h2M15 15.5h2',
    export: 'M12 3v12M7 10l5 5 5-5M4 17v3h16v-3',
    regression: 'M4 20h16M4 20V4M6 17l4-5 3 2 6-8M7 9h.01M12 7h.01M16 15h.01',
    system: 'M4 5h16v10H4zM9 19h6M12 15v4M7 9h4M7 12h7',
    'audio-classify': 'M3 12h2l2-5 3 10 3-7 2 4h6',
    'audio-realtime':
      'M12 3a3 3 0 0 1 3 3v5a3 3 0 0 1-6 0V6a3 3 0 0 1 3-3zM6 11a6 6 0 0 0 12 0M12 17v4',
    'audio-dataset':
      'M9 18V6l10-2v12M9 18a2 2 0 1 1-4 0 2 2 0 0 1 4 0zM19 16a2 2 0 1 1-4 0 2 2 0 0 1 4 0z',
    'audio-training': 'M4 19l5-6 4 3 7-9M15 7h5v5',
    'audio-analytics': 'M4 20V12M9 20V6M14 20v-9M19 20V9',
  };
  return (
    <svg className="nav-icon" viewBox="0 0 24 24" aria-hidden="true">
      <path d={paths[screen]} />
    </svg>
  );
}

export function Sidebar() {
  const screen = useNavStore((s) => s.screen);
  const projectId = useNavStore((s) => s.projectId);
  const go = useNavStore((s) => s.go);
  return (
    <nav className="sidebar" aria-label="Main">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true">
          A
        </span>
        <span className="brand-name">Assay</span>
      </div>
      <ul className="nav-list">
        {ITEMS.map((item) => {
          const disabled = item.needsProject && projectId === null;
          return (
            <li key={item.screen}>
              <button
                type="button"
                className={`nav-item ${screen === item.screen ? 'active' : ''}`}
                aria-current={screen === item.screen ? 'page' : undefined}
                disabled={disabled}
                title={disabled ? 'Open a project first' : undefined}
                onClick={() => go(item.screen)}
                data-testid={`nav-${item.screen}`}
              >
                <NavIcon screen={item.screen} />
                {item.label}
              </button>
            </li>
          );
        })}
      </ul>
      <div className="sidebar-foot">Offline ML workstation</div>
    </nav>
  );
}
