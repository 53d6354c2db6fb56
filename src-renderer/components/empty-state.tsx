import type { ReactNode } from 'react';

interface EmptyStateProps {
  readonly title: string;
  readonly children?: ReactNode;
  readonly testId?: string;
  readonly tone?: 'neutral' | 'error';
}

export function EmptyState({ title, children, testId, tone = 'neutral' }: EmptyStateProps) {
  return (
    <div
      className={`empty-state empty-${tone}`}
      data-testid={testId}
      role={tone === 'error' ? 'alert' : undefined}
    >
      <p className="empty-title">{title}</p>
      {children !== undefined && <div className="empty-body">{children}</div>}
    </div>
  );
}
