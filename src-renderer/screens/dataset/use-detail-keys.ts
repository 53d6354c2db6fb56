import { useEffect } from 'react';
import { stepIndex } from '../../lib/multi-select.js';
import { PAGE_SIZE, selectItemAt, useDatasetStore } from '../../stores/dataset-store.js';

/** The grid index of a loaded item, or null when its page is not loaded. */
function indexOf(filename: string): number | null {
  const { pages } = useDatasetStore.getState();
  for (const [page, items] of Object.entries(pages)) {
    const i = items.findIndex((it) => it.filename === filename);
    if (i >= 0) return (Number(page) - 1) * PAGE_SIZE + i;
  }
  return null;
}

const typing = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable || ['INPUT', 'SELECT', 'TEXTAREA'].includes(target.tagName));

/**
 * While an item is open: ← / ↑ the previous item, → / ↓ the next, Escape closes the panel.
 * Keys typed into a field stay with the field.
 */
export function useDetailKeys(): void {
  const selected = useDatasetStore((s) => s.selected);
  useEffect(() => {
    if (selected === null) return;
    const onKey = (e: KeyboardEvent): void => {
      if (typing(e.target) || e.altKey || e.ctrlKey || e.metaKey) return;
      const { select, total, ensureRange } = useDatasetStore.getState();
      if (e.key === 'Escape') {
        e.preventDefault();
        void select(null);
        return;
      }
      const delta =
        e.key === 'ArrowRight' || e.key === 'ArrowDown'
          ? 1
          : e.key === 'ArrowLeft' || e.key === 'ArrowUp'
            ? -1
            : 0;
      if (delta === 0) return;
      const here = indexOf(selected);
      const next = here === null ? null : stepIndex(here, delta, total);
      if (next === null || next === here) return;
      e.preventDefault();
      ensureRange(next, next);
      const item = selectItemAt(next)(useDatasetStore.getState());
      if (item !== undefined) void select(item.filename);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [selected]);
}
