import { protocol, type Session } from 'electron';
import { MEDIA_SCHEME, parseMediaUrl } from '../../src-shared/contract/ipc.js';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/services/logger.js';
import type { Workstation } from '../core/workstation.js';
import { APP_SCHEME, CONTENT_SECURITY_POLICY, mimeOf, resolveAppFile } from './app-url.js';
import { fileResponse } from './file-response.js';

/** Must run before the app is ready: gives both schemes a real origin, fetch and streaming. */
export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: APP_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
    },
    {
      scheme: MEDIA_SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true },
    },
  ]);
}

const notFound = (): Response =>
  new Response('not found', { status: 404, headers: { 'Content-Type': 'text/plain' } });

/**
 * `assay://app/…` serves the built renderer (and nothing else from disk); `assay-media://…` serves
 * item files and thumbnails through the core's `resolveMedia`, which looks them up in the store:
 * a URL never becomes a filesystem path by joining.
 */
export function handleProtocols(
  session: Session,
  rendererDir: string,
  ws: Workstation,
  logger: Logger,
): void {
  const securityHeaders = { 'Content-Security-Policy': CONTENT_SECURITY_POLICY };

  session.protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET') return new Response(null, { status: 405 });
    const file = resolveAppFile(rendererDir, request.url);
    if (!file) return notFound();
    try {
      return await fileResponse(file, mimeOf(file), null, securityHeaders);
    } catch {
      return notFound();
    }
  });

  session.protocol.handle(MEDIA_SCHEME, async (request) => {
    if (request.method !== 'GET') return new Response(null, { status: 405 });
    const ref = parseMediaUrl(request.url);
    if (!ref) return notFound();
    try {
      const media = await ws.resolveMedia(ref.projectId, ref.filename, ref.variant);
      return await fileResponse(
        media.path,
        media.mime,
        request.headers.get('range'),
        securityHeaders,
      );
    } catch (err) {
      if (err instanceof AppError && err.code !== 'internal') return notFound();
      logger.error({ err, url: request.url }, 'media request failed');
      return new Response('internal error', { status: 500 });
    }
  });
}

/**
 * The CSP as a response header on everything the session loads over http(s) too (the Electron
 * security checklist's advice); our own protocols set it in their responses.
 */
export function enforceContentSecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
}
