import type { ErrorRequestHandler, Request, Response } from 'express';
import { Router } from 'express';
import { stageBytes } from '../core/workspace/import/staging.js';
import busboy from 'busboy';
import {
  RegressionBindInput,
  type RegressionErrorBody,
} from '../../src-shared/contract/regression.js';
import { AppError } from '../core/errors.js';
import type { Logger, Workstation } from '../core/workstation.js';
import { STATUS_OF, validationError } from './errors.js';

/** The paths of api-reference/tabular-regression.md; their errors use that family's envelope. */
export const REGRESSION_PATHS = ['/upload', '/train', '/predict', '/reset'];

interface Received {
  readonly bytes: Uint8Array;
  readonly filename: string;
  readonly targetColumn: string | null;
}

/** The first file part of a multipart request, in memory (a table is parsed whole anyway). */
function receiveFile(req: Request, maxBytes: number): Promise<Received | null> {
  return new Promise((resolve, reject) => {
    let bb: busboy.Busboy;
    try {
      bb = busboy({ headers: req.headers, limits: { files: 1, fileSize: maxBytes, fields: 16 } });
    } catch {
      reject(
        new AppError(
          'unsupported_media_type',
          'Failed to save pickle file: send the file as multipart/form-data (field "file")',
        ),
      );
      return;
    }
    let file: { chunks: Buffer[]; name: string } | null = null;
    let target: string | null = null;
    let tooBig = false;
    bb.on('field', (name, value) => {
      if (name === 'target_column' && value.trim() !== '') target = value.trim();
    });
    bb.on('file', (_field, stream, info) => {
      const f = { chunks: [] as Buffer[], name: info.filename || 'upload' };
      file = f;
      stream.on('data', (c: Buffer) => f.chunks.push(c));
      stream.on('limit', () => {
        tooBig = true;
      });
    });
    bb.on('error', (err: Error) =>
      reject(new AppError('bad_request', `Failed to save pickle file: ${err.message}`)),
    );
    bb.on('close', () => {
      if (tooBig) {
        reject(
          new AppError('payload_too_large', `Failed to save pickle file: over ${maxBytes} bytes`),
        );
        return;
      }
      const f = file as { chunks: Buffer[]; name: string } | null;
      resolve(
        f ? { bytes: Buffer.concat(f.chunks), filename: f.name, targetColumn: target } : null,
      );
    });
    req.pipe(bb);
  });
}

function sendRegressionError(res: Response, status: number, message: string): void {
  const body: RegressionErrorBody = { status: 'error', message };
  res.status(status).json(body);
}

/** Maps any failure to the family's `{"status":"error","message"}` body. */
function fail(res: Response, err: unknown, prefix: string, logger: Logger): void {
  if (err instanceof AppError) {
    if (err.code === 'internal') logger.error({ err }, 'regression request failed');
    sendRegressionError(res, STATUS_OF[err.code], err.message);
    return;
  }
  logger.error({ err }, 'regression request failed');
  sendRegressionError(res, 500, `${prefix}: ${(err as Error).message ?? String(err)}`);
}

export function regressionRouter(ws: Workstation, logger: Logger): Router {
  const router = Router();
  const reg = ws.regression;

  router.post('/upload', async (req, res) => {
    try {
      const file = await receiveFile(req, ws.limits.maxFileBytes);
      if (!file) {
        throw new AppError(
          'bad_request',
          'Failed to save pickle file: the request holds no file (multipart field "file")',
        );
      }
      const staged = await stageBytes(ws.tmpDir, file.filename, file.bytes);
      res.json(
        await reg.upload({
          path: staged,
          filename: file.filename,
          targetColumn: file.targetColumn,
        }),
      );
    } catch (err) {
      fail(res, err, 'Failed to save pickle file', logger);
    }
  });

  router.post('/train', async (req, res) => {
    try {
      res.json(await reg.train(req.body));
    } catch (err) {
      fail(res, err, 'Training failed', logger);
    }
  });

  router.post('/predict', async (req, res) => {
    try {
      res.json(await reg.predict(req.body));
    } catch (err) {
      fail(res, err, 'Prediction failed', logger);
    }
  });

  router.post('/reset', async (_req, res) => {
    try {
      res.json({ status: 'success', removed: await reg.reset() });
    } catch (err) {
      fail(res, err, 'Reset failed', logger);
    }
  });

  router.get('/outputs/:name', async (req, res, next) => {
    try {
      const file = await reg.outputPath(String(req.params.name));
      if (!file) {
        sendRegressionError(res, 404, `No output file named ${String(req.params.name)}`);
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(file, { dotfiles: 'allow' });
    } catch (err) {
      next(err);
    }
  });

  // The Regression screen's view of the family (training-platform envelope, like every /api route).
  router.get('/api/regression/state', async (_req, res, next) => {
    try {
      res.json({ status: 'ok', data: await reg.state() });
    } catch (err) {
      next(err);
    }
  });
  router.put('/api/regression/project', async (req, res, next) => {
    try {
      const input = RegressionBindInput.safeParse(req.body ?? {});
      if (!input.success) throw validationError(input.error, 'body');
      res.json({ status: 'ok', data: await reg.bindProject(input.data.project_id) });
    } catch (err) {
      next(err);
    }
  });
  return router;
}

/** Errors Express raises before our handlers (a malformed JSON body), in the family's envelope. */
export function regressionErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) {
      next(err);
      return;
    }
    const e = err as { type?: unknown; message?: unknown };
    const where = req.originalUrl.split('?')[0];
    const prefix =
      where === '/train'
        ? 'Training failed'
        : where === '/predict'
          ? 'Prediction failed'
          : 'Request failed';
    if (e.type === 'entity.parse.failed') {
      sendRegressionError(res, 400, `${prefix}: the body is not valid JSON`);
      return;
    }
    if (e.type === 'entity.too.large') {
      sendRegressionError(res, 413, `${prefix}: the body is too large`);
      return;
    }
    fail(res, err, prefix, logger);
  };
}
