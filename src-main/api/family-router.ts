import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type { FamilyDef } from '../../src-shared/contract/family.js';
import type { OperationDef } from '../../src-shared/contract/operation.js';
import { AppError } from '../core/errors.js';
import type { ApiModule } from '../core/api-module.js';
import { bodyIdleTimeout } from './body-timeout.js';
import { adapterError, sendError, toAppError, type RouteLocals } from './errors.js';
import { discardForm, receiveForm, type ReceivedForm } from './multipart-input.js';
import { parseOperationInput, requireJsonType } from './operation-input.js';
import { compareRouteSpecificity, expressPath, pathFits } from './route-match.js';
import { drainRequest } from './upload-receiver.js';

/** Checks a bearer token for a family whose policy asks for one; throws AppError `unauthorized`. */
export type BearerVerifier = (token: string, family: FamilyDef, req: Request) => Promise<void>;

export interface FamilyRouterOptions {
  readonly tmpDir: string;
  readonly maxFileBytes: number;
  /** JSON bodies larger than this are refused with 413. */
  readonly jsonLimit: string;
  /** A body that stops arriving for this long is answered 408; 0 turns the guard off. */
  readonly bodyIdleMs: number;
  readonly verifyBearer?: BearerVerifier;
}

/** What a refused client may still send us (to be able to read the 4xx) before we hang up. */
const DRAIN_CAP_BYTES = 32 * 1024 ** 2;

async function authorize(def: OperationDef, req: Request, verify?: BearerVerifier): Promise<void> {
  const policy = def.family.auth;
  if (policy.kind === 'none' || policy.publicPaths.includes(def.path)) return;
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match?.[1])
    throw new AppError('unauthorized', 'Not authenticated: send Authorization: Bearer <token>');
  if (!verify)
    throw new AppError('unauthorized', 'authentication is not configured on this server');
  await verify(match[1], def.family, req);
}

const runMiddleware = (mw: RequestHandler, req: Request, res: Response): Promise<void> =>
  new Promise((resolve, reject) => {
    void mw(req, res, (err?: unknown) => (err ? reject(err) : resolve()));
  });

type LooseHandler = (input: unknown) => Promise<unknown>;

function operationHandler(
  def: OperationDef,
  handler: LooseHandler,
  opts: FamilyRouterOptions,
  json: RequestHandler,
): RequestHandler {
  return async (req, res) => {
    await authorize(def, req, opts.verifyBearer);
    let form: ReceivedForm | undefined;
    let input: Record<string, unknown>;
    try {
      if (def.files) {
        form = await receiveForm(req, def, opts);
      } else if (def.body) {
        requireJsonType(def, req);
        await runMiddleware(json, req, res);
      }
      input = parseOperationInput(def, req, form);
    } catch (err) {
      await discardForm(form);
      if (!req.complete && !res.headersSent) drainRequest(req, DRAIN_CAP_BYTES);
      const known = toAppError(err);
      throw known ? adapterError(known, def) : err;
    }
    // From here the handler owns the staged files (it deletes them when done).
    const data = await handler(input);
    if (def.output?.kind === 'file') {
      const file = data as { path: string; filename: string; content_type: string };
      res.setHeader('Content-Type', file.content_type);
      // A file can be replaced under the same name (a re-import, a new training): revalidate.
      res.setHeader('Cache-Control', 'private, no-cache');
      // Files are data, never a document: no scripts even if a browser were to render one.
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      if (def.output.attachment) res.attachment(file.filename);
      await new Promise<void>((resolve, reject) => {
        res.sendFile(file.path, { dotfiles: 'allow', cacheControl: false }, (err) => {
          if (err && !res.headersSent) reject(err);
          else resolve();
        });
      });
      return;
    }
    res.json(def.family.envelope.wrap(data));
  };
}

/**
 * One route per operation of every module, most specific path first: the family's auth policy,
 * a guard against stalled bodies, input parsed with the contract (JSON, or multipart streamed to
 * staged files), the core handler, and the reply in the family's envelope.
 */
export function operationRoutes(modules: readonly ApiModule[], opts: FamilyRouterOptions): Router {
  const router = Router();
  const json = express.json({ limit: opts.jsonLimit });
  const entries = modules
    .flatMap((m) =>
      Object.entries(m.operations).map(([name, def]) => ({
        def,
        handler: m.handlers[name] as unknown as LooseHandler,
      })),
    )
    .map((e) => ({ ...e, route: expressPath(e.def.path) }))
    .sort((a, b) => compareRouteSpecificity(a.route, b.route));

  for (const { def, handler, route } of entries) {
    const method = def.method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete';
    const stalled = bodyIdleTimeout(opts.bodyIdleMs, (_req, res) => {
      const err = adapterError(
        new AppError('request_timeout', 'the request body stopped arriving; send it whole'),
        def,
      );
      sendError(res, err.code, err.message, undefined, def.family);
    });
    const mark: RequestHandler = (_req, res, next) => {
      (res.locals as RouteLocals).operation = def;
      next();
    };
    const parser = def.jsonLimit ? express.json({ limit: def.jsonLimit }) : json;
    router[method](route, mark, stalled, operationHandler(def, handler, opts, parser));
  }
  return router;
}

/**
 * Below each family's prefixes, what no route took: 405 (with `Allow`) when the path is a known
 * one under another method, else 404; both in that family's envelope.
 */
export function familyFallbacks(
  modules: readonly ApiModule[],
  families: readonly FamilyDef[],
): Router {
  const router = Router();
  const known = modules.flatMap((m) => [
    ...Object.values(m.operations).map((d) => ({ path: d.path, method: d.method as string })),
    ...Object.values(m.streams ?? {})
      .filter((s) => s.kind === 'sse')
      .map((s) => ({ path: s.path, method: 'GET' })),
  ]);
  const prefixes = families
    .flatMap((family) => family.prefixes.map((prefix) => ({ family, prefix })))
    .filter((p) => p.prefix !== '/')
    .sort((a, b) => b.prefix.length - a.prefix.length);
  for (const { family, prefix } of prefixes) {
    router.use(prefix, (req, res) => {
      const path = (req.originalUrl.split('?')[0] ?? '').replace(/\/+$/, '') || '/';
      const methods = [
        ...new Set(known.filter((k) => pathFits(k.path, path)).map((k) => k.method)),
      ];
      if (methods.length > 0) {
        res.setHeader('Allow', methods.join(', '));
        sendError(
          res,
          'method_not_allowed',
          `${req.method} is not allowed on ${path}; use ${methods.join(' or ')}`,
          undefined,
          family,
        );
        return;
      }
      sendError(res, 'not_found', `no route ${req.method} ${path}`, undefined, family);
    });
  }
  return router;
}
