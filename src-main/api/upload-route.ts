import { Router } from 'express';
import { ProjectParams } from '../../src-shared/contract/datasets.js';
import { AppError } from '../core/errors.js';
import type { Workstation } from '../core/workstation.js';
import { parseWith } from './operation-input.js';
import { flattenParams } from './route-match.js';
import { bodyIdleTimeout } from './body-timeout.js';
import { sendError } from './errors.js';
import { drainRequest, receiveUpload } from './upload-receiver.js';

/** What a refused client may still send us (to be able to read the 4xx) before we hang up. */
const DRAIN_CAP_BYTES = 32 * 1024 ** 2;

/**
 * `POST /api/datasets/:project_id/import/upload`: multipart files (single files, a folder's
 * files with relative names, or ZIPs), staged in the workspace's tmp folder, then handed to
 * core as an import job.
 */
export function uploadRouter(ws: Workstation, bodyIdleMs: number): Router {
  const router = Router();
  const stalled = bodyIdleTimeout(bodyIdleMs, (_req, res) =>
    sendError(res, 'request_timeout', 'the upload stopped arriving; send it again'),
  );
  router.post('/api/datasets/:project_id/import/upload', stalled, async (req, res) => {
    try {
      const { project_id } = parseWith(ProjectParams, flattenParams(req.params), 'path');
      const max = ws.limits.maxUploadBytes;
      const declared = Number(req.headers['content-length']);
      if (Number.isFinite(declared) && declared > max) {
        throw new AppError('payload_too_large', `upload exceeds the limit of ${max} bytes`);
      }
      // Unknown project: refuse before reading a single byte of the body.
      await ws.ops.getProject({ id: project_id });
      const files = await receiveUpload(req, {
        tmpDir: ws.tmpDir,
        maxBytes: max,
        maxFiles: ws.limits.maxZipEntries,
      });
      // Refused (a bad ZIP, …), core deletes the staged files itself.
      const started = await ws.importStaged(project_id, files);
      res.json({ status: 'ok', data: { job_id: started.job_id, status: started.status } });
    } catch (err) {
      if (!req.complete) drainRequest(req, DRAIN_CAP_BYTES);
      throw err;
    }
  });
  return router;
}
