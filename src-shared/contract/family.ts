import type { z } from 'zod';
import type { ErrorCode } from './common.js';

/**
 * An API family (DESIGN §5): one documented front door onto the core, with its own paths,
 * envelopes and auth. A family is declared once (families/*.ts); its operations (operations/*.ts)
 * and streams (streams.ts) name it, and the HTTP routes, the OpenAPI document, the IPC channels,
 * the preload bridge and the typed clients all come from those declarations.
 */
export interface FamilyDef {
  readonly id: string;
  readonly title: string;
  /** The OpenAPI tag of its operations, unless an operation names a finer one. */
  readonly tag: string;
  /** api-reference/<file> that documents it. */
  readonly reference: string;
  /**
   * Paths it owns: an unknown route or a wrong method below one of them is answered in this
   * family's envelope (404 / 405). The longest matching prefix wins across families.
   */
  readonly prefixes: readonly string[];
  readonly envelope: EnvelopeDef;
  readonly auth: AuthPolicy;
}

/**
 * `none`: served to any loopback client. `bearer-jwt`: every operation but the public paths
 * needs `Authorization: Bearer <token>`, checked by the verifier the server is given.
 */
export type AuthPolicy =
  | { readonly kind: 'none' }
  | { readonly kind: 'bearer-jwt'; readonly publicPaths: readonly string[] };

/** What a client reads out of a reply body: the success data, or the error it carries. */
export type Unwrapped =
  | { readonly ok: true; readonly data: unknown }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** How a family's replies look on the wire, in both directions. */
export interface EnvelopeDef {
  /** For OpenAPI: the success body around an operation's response schema. */
  readonly okSchema: (data: z.ZodType) => z.ZodType;
  readonly errorSchema: z.ZodType;
  /** One line for the OpenAPI description. */
  readonly summary: string;
  /** The success body of an operation's result. */
  wrap(data: unknown): unknown;
  /** The error body; `status` is the HTTP status the error goes out with. */
  error(code: ErrorCode, message: string, status: number, details?: unknown): unknown;
  /** The client side: success data or the error of a reply. */
  unwrap(payload: unknown, httpStatus: number): Unwrapped;
}

/** The families a route table spans, found from a request path (longest prefix first). */
export function familyForPath(families: readonly FamilyDef[], path: string): FamilyDef | undefined {
  let best: { family: FamilyDef; length: number } | undefined;
  for (const family of families) {
    for (const prefix of family.prefixes) {
      const inside = path === prefix || path.startsWith(prefix === '/' ? '/' : `${prefix}/`);
      if (inside && (best === undefined || prefix.length > best.length)) {
        best = { family, length: prefix.length };
      }
    }
  }
  return best?.family;
}
