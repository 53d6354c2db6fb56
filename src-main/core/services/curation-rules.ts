/**
 * The rules of curating a dataset (relabel, assign a class, delete, undo), pure so each is
 * unit-tested; the store applies what they decide in one transaction.
 */

/** A class as imports name it: the first folder level, so no slash, and not blank. */
export const MAX_CLASS_NAME = 100;

export type ClassNameCheck =
  | { readonly ok: true; readonly value: string | null }
  | { readonly ok: false; readonly reason: string };

/** `null` or blank: "no class" (the item is left out of training until it gets one). */
export function checkClassName(input: string | null): ClassNameCheck {
  if (input === null) return { ok: true, value: null };
  const value = input.trim();
  if (value === '') return { ok: true, value: null };
  if (value.length > MAX_CLASS_NAME)
    return { ok: false, reason: `a class name has at most ${MAX_CLASS_NAME} characters` };
  if (/[/\\]/.test(value))
    return { ok: false, reason: 'a class name cannot hold "/" or "\\" (it names one folder)' };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value))
    return { ok: false, reason: 'a class name cannot hold control characters' };
  return { ok: true, value };
}

export interface CuratedItem {
  readonly id: number;
  readonly filename: string;
  readonly class_name: string | null;
}

export interface RelabelEntry {
  readonly item_id: number;
  readonly filename: string;
  readonly before: string | null;
  readonly after: string | null;
}

/**
 * What a relabel changes: one entry per item whose class differs from the new one. An item
 * already in that class is no change (so an undo never "restores" what was never touched).
 */
export function relabelEntries(
  items: readonly CuratedItem[],
  className: string | null,
): RelabelEntry[] {
  const seen = new Set<number>();
  const out: RelabelEntry[] = [];
  for (const item of items) {
    if (seen.has(item.id) || item.class_name === className) continue;
    seen.add(item.id);
    out.push({
      item_id: item.id,
      filename: item.filename,
      before: item.class_name,
      after: className,
    });
  }
  return out;
}

/** The inverse of a relabel: each item back to the class it had. */
export function undoRelabel(entries: readonly RelabelEntry[]): RelabelEntry[] {
  return entries.map((e) => ({ ...e, before: e.after, after: e.before }));
}

/**
 * Names asked for that the project does not have, so a request naming one is refused whole
 * instead of changing some items and silently skipping others.
 */
export function missingNames(asked: readonly string[], found: readonly CuratedItem[]): string[] {
  const have = new Set(found.map((f) => f.filename));
  return [...new Set(asked)].filter((n) => !have.has(n));
}

/** What the user is told a change did, naming the past runs it does not touch. */
export function changeSummary(
  kind: 'relabel' | 'delete',
  count: number,
  className: string | null,
  runsUsing: number,
): string {
  const items = `${count} item${count === 1 ? '' : 's'}`;
  const what =
    kind === 'delete'
      ? `Deleted ${items}`
      : className === null
        ? `Removed the class of ${items}`
        : `Moved ${items} to "${className}"`;
  if (runsUsing === 0) return what;
  const runs = `${runsUsing} finished run${runsUsing === 1 ? '' : 's'}`;
  return `${what}; ${runs} trained on ${count === 1 ? 'it' : 'them'} and keep${runsUsing === 1 ? 's' : ''} the labels ${runsUsing === 1 ? 'it' : 'they'} trained on`;
}
