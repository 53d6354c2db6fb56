/**
 * `GET /api/analytics/model-performance` read into one shape for the Analytics screen. The
 * reference says only "accuracy, precision, recall, etc."; this accepts the family map at the top
 * level or under `families` / `models`, per-class metrics as maps or as a `per_class` table, and
 * the confusion matrix as `confusion_matrix` (rows: true class, columns: predicted).
 */
export interface FamilyPerformance {
  readonly family: string;
  readonly accuracy: number | null;
  readonly perClass: readonly {
    readonly label: string;
    readonly precision: number | null;
    readonly recall: number | null;
    readonly f1: number | null;
  }[];
  readonly confusion: readonly (readonly number[])[] | null;
}

export interface Performance {
  readonly classes: readonly string[];
  readonly families: readonly FamilyPerformance[];
  /** Share of items on which the families agree (all, or pairwise), when given. */
  readonly agreement: readonly { readonly name: string; readonly value: number }[];
}

export const FAMILY_NAMES = ['CNN', 'TRANSFORMER', 'TRADITIONAL'] as const;

type Obj = Readonly<Record<string, unknown>>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const strings = (v: unknown): string[] | null =>
  Array.isArray(v) && v.every((s) => typeof s === 'string') ? (v as string[]) : null;

function matrix(v: unknown): number[][] | null {
  if (!Array.isArray(v) || v.length === 0) return null;
  const rows = v.map((r) => (Array.isArray(r) ? r.map((x) => num(x) ?? 0) : null));
  return rows.every((r) => r !== null) ? (rows as number[][]) : null;
}

function perClassOf(fam: Obj, classes: readonly string[]): FamilyPerformance['perClass'] {
  const table = isObj(fam.per_class) ? fam.per_class : null;
  const pick = (metric: string, label: string, i: number): number | null => {
    if (table && isObj(table[label])) return num((table[label] as Obj)[metric]);
    const m = fam[metric] ?? fam[metric === 'f1' ? 'f1_score' : metric];
    if (isObj(m)) return num(m[label]);
    if (Array.isArray(m)) return num(m[i]);
    return null;
  };
  return classes.map((label, i) => ({
    label,
    precision: pick('precision', label, i),
    recall: pick('recall', label, i),
    f1: pick('f1', label, i),
  }));
}

export function readPerformance(raw: unknown): Performance {
  const root = isObj(raw) ? raw : {};
  const holder = isObj(root.families) ? root.families : isObj(root.models) ? root.models : root;
  const names = Object.keys(holder).filter((k) => isObj(holder[k]) && k !== 'agreement');
  const ordered = [
    ...FAMILY_NAMES.filter((f) => names.includes(f)),
    ...names.filter((n) => !(FAMILY_NAMES as readonly string[]).includes(n)),
  ].filter((n) => {
    const f = holder[n] as Obj;
    return 'accuracy' in f || 'confusion_matrix' in f || 'precision' in f || 'per_class' in f;
  });
  const classes =
    strings(root.classes) ??
    strings(root.labels) ??
    (() => {
      for (const n of ordered) {
        const f = holder[n] as Obj;
        const c = strings(f.classes) ?? (isObj(f.precision) ? Object.keys(f.precision) : null);
        if (c) return c;
      }
      return [];
    })();
  const families = ordered.map((family): FamilyPerformance => {
    const f = holder[family] as Obj;
    return {
      family,
      accuracy: num(f.accuracy),
      perClass: perClassOf(f, classes),
      confusion: matrix(f.confusion_matrix),
    };
  });
  const agreement: { name: string; value: number }[] = [];
  const a = root.agreement;
  if (num(a) !== null) agreement.push({ name: 'All families', value: a as number });
  else if (isObj(a)) {
    for (const [name, v] of Object.entries(a))
      if (num(v) !== null) agreement.push({ name, value: v as number });
  }
  return { classes, families, agreement };
}
