/**
 * The contract writes `:filename`, but filenames carry slashes (`cat/img.png`) when a client
 * does not encode them; Express 5's `*filename` takes one or more segments.
 */
const WILDCARD_PARAMS = new Set(['filename']);

export function expressPath(path: string): string {
  return path.replace(/:([A-Za-z_]+)/g, (m, name: string) =>
    WILDCARD_PARAMS.has(name) ? `*${name}` : m,
  );
}

/** literal < :param < *wildcard, segment by segment; so `/preview` wins over `/:split_index`. */
function segmentRank(segment: string): number {
  if (segment.startsWith('*')) return 2;
  if (segment.startsWith(':')) return 1;
  return 0;
}

export function compareRouteSpecificity(a: string, b: string): number {
  const sa = a.split('/');
  const sb = b.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const d = segmentRank(sa[i] ?? '') - segmentRank(sb[i] ?? '');
    if (d !== 0) return d;
  }
  // Same shape so far: the longer route (e.g. `…/*filename/info`) must be tried first.
  return sb.length - sa.length;
}

/** Express 5 gives wildcard params as arrays of decoded segments; rejoin them with '/'. */
export function flattenParams(params: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(params)) {
    out[key] = Array.isArray(value) ? value.map(String).join('/') : String(value);
  }
  return out;
}

/**
 * Whether a request path fits a contract path (`:x` one segment, a wildcard name one or more),
 * ignoring the method: what tells a wrong method (405) from an unknown route (404).
 */
export function pathFits(template: string, path: string): boolean {
  const t = template.split('/');
  const p = path.replace(/\/+$/, '').split('/');
  for (let i = 0; i < t.length; i++) {
    const seg = t[i] ?? '';
    if (seg.startsWith(':') && WILDCARD_PARAMS.has(seg.slice(1))) {
      return p.length >= t.length && p.slice(i).every((s) => s !== '');
    }
    const actual = p[i];
    if (actual === undefined) return false;
    if (seg.startsWith(':') ? actual === '' : seg !== actual) return false;
  }
  return p.length === t.length;
}
