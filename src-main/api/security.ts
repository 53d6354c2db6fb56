import type { RequestHandler } from 'express';
import { sendError } from './errors.js';

/** Loopback names, with or without a port. `[::1]` is how IPv6 appears in Host and Origin. */
const LOOPBACK_HOST = /^(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;
const LOOPBACK_ORIGIN = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d{1,5})?$/i;
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && LOOPBACK_HOST.test(host.trim());
}

export function isLoopbackOrigin(origin: string): boolean {
  return LOOPBACK_ORIGIN.test(origin.trim());
}

/**
 * DNS rebinding: a page on evil.com that re-points its name at 127.0.0.1 still sends
 * `Host: evil.com`. Only loopback names are served.
 */
export const requireLoopbackHost: RequestHandler = (req, res, next) => {
  if (isLoopbackHost(req.headers.host)) {
    next();
    return;
  }
  sendError(res, 'forbidden', 'Host header must be localhost, 127.0.0.1 or [::1]');
};

/**
 * CSRF from a browser tab: browsers attach `Origin` to cross-site POSTs (and "null" from
 * sandboxed frames and file:// pages). Scripts (curl, Python) send none and pass.
 */
export const refuseForeignOrigin: RequestHandler = (req, res, next) => {
  const origin = req.headers.origin;
  if (!STATE_CHANGING.has(req.method) || origin === undefined || isLoopbackOrigin(origin)) {
    next();
    return;
  }
  sendError(res, 'forbidden', `requests from origin ${JSON.stringify(origin)} are not allowed`);
};

/** Headers every response carries: no MIME sniffing, no framing by other sites. */
export const baseHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'no-referrer');
  next();
};
