import type { RunStatus } from '../../../src-shared/contract/index.js';
import { RUN_STATUS_LABELS, RUN_STATUS_TONES } from '../../lib/run-state.js';

export function StatusBadge({ status, testId }: { status: RunStatus; testId?: string }) {
  return (
    <span
      className={`status-badge status-${RUN_STATUS_TONES[status]}`}
      data-testid={testId}
      data-status={status}
    >
      {status === 'running' && <span className="pulse" aria-hidden="true" />}
      {RUN_STATUS_LABELS[status]}
    </span>
  );
}
