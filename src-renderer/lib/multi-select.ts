/** Picking grid items the way file managers do: click, ctrl/⌘-click to toggle, shift-click for a range. */
export interface PickState {
  /** Filenames in the order they were picked. */
  readonly picked: readonly string[];
  /** Where a shift-click range starts: the last plain or toggling click. */
  readonly anchor: number | null;
}

export interface PickModifiers {
  readonly shift: boolean;
  /** Ctrl on Linux and Windows, ⌘ on macOS. */
  readonly toggle: boolean;
}

export const NO_PICK: PickState = { picked: [], anchor: null };

/**
 * The selection after a click on the item at `index`. A range takes only the items whose page
 * is loaded (`filenameAt` gives undefined for the others): the grid shows what it can pick.
 */
export function pickAt(
  state: PickState,
  index: number,
  filenameAt: (i: number) => string | undefined,
  mods: PickModifiers,
): PickState {
  const name = filenameAt(index);
  if (name === undefined) return state;
  if (mods.shift && state.anchor !== null) {
    const [from, to] = state.anchor <= index ? [state.anchor, index] : [index, state.anchor];
    const range: string[] = [];
    for (let i = from; i <= to; i++) {
      const f = filenameAt(i);
      if (f !== undefined) range.push(f);
    }
    return { picked: [...new Set([...state.picked, ...range])], anchor: state.anchor };
  }
  if (mods.toggle) {
    const has = state.picked.includes(name);
    return {
      picked: has ? state.picked.filter((p) => p !== name) : [...state.picked, name],
      anchor: index,
    };
  }
  return { picked: [name], anchor: index };
}

/** The index one step away for arrow keys, kept inside the list; null when the list is empty. */
export function stepIndex(index: number, delta: number, total: number): number | null {
  if (total <= 0) return null;
  return Math.min(total - 1, Math.max(0, index + delta));
}
