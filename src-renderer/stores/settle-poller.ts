/**
 * Polling for jobs that report no events (evaluations, exports): while any item of the open
 * project is unsettled, each is fetched again every `intervalMs`; it stops by itself once all
 * have settled, when `stop()` is called, or when another project has been opened meanwhile.
 */
export interface SettlePoller {
  /** (Re)starts polling the project's unsettled items; a no-op when there are none. */
  start(projectId: string): void;
  stop(): void;
}

export function createSettlePoller<T>(o: {
  readonly intervalMs: number;
  /** The unsettled items now. */
  readonly pending: () => readonly T[];
  readonly refresh: (projectId: string, item: T) => Promise<T>;
  /** Whether `projectId` is still the one open (answers for another are dropped). */
  readonly isCurrent: (projectId: string) => boolean;
  readonly onFresh: (fresh: T) => void;
}): SettlePoller {
  let timer: ReturnType<typeof setTimeout> | null = null;
  const stop = (): void => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  const start = (projectId: string): void => {
    stop();
    if (o.pending().length === 0) return;
    timer = setTimeout(() => {
      void Promise.all(
        o.pending().map(
          (item) =>
            o
              .refresh(projectId, item)
              .then((fresh) => {
                if (o.isCurrent(projectId)) o.onFresh(fresh);
              })
              .catch(() => undefined), // a failed poll is retried on the next tick
        ),
      ).then(() => {
        if (o.isCurrent(projectId)) start(projectId);
      });
    }, o.intervalMs);
  };
  return { start, stop };
}

/** `list` with `item` replacing the entry of the same key, or prepended (newest first). */
export function upsertBy<T>(list: readonly T[], item: T, key: (x: T) => string): T[] {
  const k = key(item);
  return list.some((x) => key(x) === k)
    ? list.map((x) => (key(x) === k ? item : x))
    : [item, ...list];
}
