import { Router, type Request, type Response } from 'express';
import { ExportParams } from '../../src-shared/contract/export.js';
import type { Workstation } from '../core/workstation.js';
import { parseWith } from './operation-input.js';
import { flattenParams } from './route-match.js';

/** `GET /api/export/:project_id/:export_id/download`: the export's ZIP as an attachment. */
export function exportRouter(ws: Workstation): Router {
  const router = Router();
  router.get('/api/export/:project_id/:export_id/download', async (req: Request, res: Response) => {
    const { project_id, export_id } = parseWith(ExportParams, flattenParams(req.params), 'path');
    const file = ws.resolveExport(project_id, export_id);
    res.setHeader('Content-Type', 'application/zip');
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
    res.attachment(file.filename);
    await new Promise<void>((resolve, reject) => {
      res.sendFile(file.path, { dotfiles: 'allow', cacheControl: false }, (err) => {
        if (err && !res.headersSent) reject(err);
        else resolve();
      });
    });
  });
  return router;
}
