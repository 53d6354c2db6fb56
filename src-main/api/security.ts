import type { Request, RequestHandler } from 'express';
import type { FamilyDef } from '../../src-shared/contract/family.js';
import { familyOf, sendError, type RouteLocals } from './errors.js';

/** Loopback names, with or without a port. `[::1]` is how IPv6 appears in Host and Origin. */
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;
const LOOPBACK_ORIGIN = /^http:\/\/(localhost|127\.0\.0\.1|\[::1\])(?::(\d{1,5}))?$/i;
/** The desktop app's pages (src-main/electron/app-url.ts): they call the API from there. */
const DESKTOP_APP_ORIGIN = 'assay://app';
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host.trim());
}

/**
 * The server's own origin: a loopback name on the very port this request came in on (another
 * port is another web page: a dev server, a notebook), or the desktop app.
 */
export function isOwnOrigin(origin: string, port: number | undefined): boolean {
  const o = origin.trim();
  if (o.toLowerCase() === DESKTOP_APP_ORIGIN) return true;
  const match = LOOPBACK_ORIGIN.exec(o);
  if (!match || port === undefined) return false;
  return Number(match[2] ?? '80') === port;
}

/**
 * DNS rebinding: a page on evil.com that re-points its name at 127.0.0.1 still sends
 * `Host: evil.com`. Only loopback names are served.
 */
export function requireLoopbackHost(known: readonly FamilyDef[]): RequestHandler {
  return (req, res, next) => {
    if (isLoopbackHost(req.headers.host)) {
      next();
      return;
    }
    const family = familyOf(req.path, res.locals as RouteLocals, known);
    sendError(
      res,
      'forbidden',
      'Host header must be localhost, 127.0.0.1 or [::1]',
      undefined,
      family,
    );
  };
}

/** Why a request's Origin is refused, or null when it may go on (upgrades use this too). */
export function foreignOrigin(req: Pick<Request, 'headers' | 'socket'>): string | null {
  const origin = req.headers.origin;
  if (origin === undefined || isOwnOrigin(origin, req.socket.localPort)) return null;
  return `requests from origin ${JSON.stringify(origin)} are not allowed`;
}

/**
 * CSRF from a browser tab: browsers attach `Origin` to cross-site POSTs (and "null" from
 * sandboxed frames and file:// pages). Scripts (curl, Python) send none and pass.
 */
export function refuseForeignOrigin(known: readonly FamilyDef[]): RequestHandler {
  return (req, res, next) => {
    const refused = STATE_CHANGING.has(req.method) ? foreignOrigin(req) : null;
    if (refused === null) {
      next();
      return;
    }
    sendError(
      res,
      'forbidden',
      refused,
      undefined,
      familyOf(req.path, res.locals as RouteLocals, known),
    );
  };
}

/** Headers every response carries: no MIME sniffing, no framing by other sites. */
export const baseHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};
