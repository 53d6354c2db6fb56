import { useEffect, useMemo } from 'react';
import { setupSteps } from '../lib/setup-steps.js';
import { useNavStore } from '../stores/nav-store.js';
import { useRunsStore } from '../stores/runs-store.js';
import { useSetupStore } from '../stores/setup-store.js';
import { useToastStore } from '../stores/toast-store.js';

/**
 * data → split → experiment → run → evaluation → export, compact, in the header: what is done,
 * and the step a newcomer takes next (a button to its screen).
 */
export function SetupChecklist({ projectId }: { readonly projectId: string }) {
  const screen = useNavStore((s) => s.screen);
  const detail = useNavStore((s) => s.detail);
  const go = useNavStore((s) => s.go);
  const facts = useSetupStore((s) => (s.projectId === projectId ? s.facts : null));
  const load = useSetupStore((s) => s.load);
  // Most changes that move a step come with a toast, a run's end with its status.
  const lastToast = useToastStore((s) => s.toasts.at(-1)?.id ?? 0);
  const runStatus = useRunsStore((s) => s.run?.status);

  useEffect(() => {
    void load(projectId);
  }, [load, projectId, screen, detail, lastToast, runStatus]);

  const steps = useMemo(() => (facts === null ? null : setupSteps(facts)), [facts]);
  if (steps === null) return null;
  const current = steps.find((s) => s.current);
  return (
    <nav
      className="setup-checklist"
      aria-label="Project set-up"
      data-testid="setup-checklist"
      data-current={current?.id ?? 'done'}
    >
      <ol>
        {steps.map((s) => (
          <li
            key={s.id}
            className={`setup-step${s.done ? ' done' : ''}${s.current ? ' current' : ''}`}
            data-testid={`setup-step-${s.id}`}
            data-done={s.done}
            aria-current={s.current ? 'step' : undefined}
          >
            <button
              type="button"
              className="setup-step-button"
              onClick={() => go(s.screen, projectId)}
              title={s.done ? `${s.label}: done` : `${s.label}: not yet`}
            >
              <span className="setup-mark" aria-hidden="true">
                {s.done ? '✓' : s.current ? '●' : '○'}
              </span>
              {s.label}
            </button>
          </li>
        ))}
      </ol>
    </nav>
  );
}
