import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { ProjectParams } from '../../src-shared/contract/datasets.js';
import type { Workstation } from '../core/workstation.js';
import { parseWith } from './operation-input.js';
import { flattenParams } from './route-match.js';

const MediaParams = ProjectParams.extend({ filename: z.string().min(1, 'filename is required') });

/**
 * Original files and thumbnails. The filename is only ever a database key: core resolves it
 * to a content-addressed blob path, so `..%2F` in a name can never reach the filesystem.
 */
export function mediaRouter(ws: Workstation): Router {
  const router = Router();
  const serve = (variant: 'file' | 'thumbnail') => async (req: Request, res: Response) => {
    const { project_id, filename } = parseWith(MediaParams, flattenParams(req.params), 'path');
    const media = await ws.resolveMedia(project_id, filename, variant);
    res.setHeader('Content-Type', media.mime);
    // A filename can be re-imported with other content after a clear: revalidate by ETag.
    res.setHeader('Cache-Control', 'private, no-cache');
    // Media is data, never a document: no scripts even if a browser were to render it.
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    await new Promise<void>((resolve, reject) => {
      // dotfiles 'allow': the workspace itself may sit under a dot-folder (~/.local/share/Assay).
      res.sendFile(media.path, { dotfiles: 'allow', cacheControl: false }, (err) => {
        // After the headers went out (client went away mid-file) there is nobody to tell.
        if (err && !res.headersSent) reject(err);
        else resolve();
      });
    });
  };
  router.get('/api/datasets/:project_id/images/*filename', serve('file'));
  router.get('/api/datasets/:project_id/thumbnails/*filename', serve('thumbnail'));
  return router;
}
