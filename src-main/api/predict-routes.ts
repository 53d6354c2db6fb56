import { rm } from 'node:fs/promises';
import express, { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import {
  IMPORT_MODEL_PATH,
  ImportModelFields,
  MODEL_PREDICT_PATH,
  ModelParams,
  PREDICT_PATH,
  PredictParams,
  PredictQuery,
  PredictRowBody,
} from '../../src-shared/contract/predict.js';
import { AppError } from '../core/errors.js';
import type { PredictSample } from '../core/services/predictions-service.js';
import type { Workstation } from '../core/workstation.js';
import { bodyIdleTimeout } from './body-timeout.js';
import { sendError } from './errors.js';
import { parseWith } from './operation-input.js';
import { flattenParams } from './route-match.js';
import { drainRequest, receiveUpload } from './upload-receiver.js';

/** What a refused client may still send us (to be able to read the 4xx) before we hang up. */
const DRAIN_CAP_BYTES = 32 * 1024 ** 2;

/** One multipart file (field `file`) staged in tmp, with the other fields as strings. */
async function receiveOne(
  req: Request,
  ws: Workstation,
  maxBytes: number,
): Promise<{ path: string; filename: string; fields: Record<string, string> }> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new AppError('payload_too_large', `the file exceeds the limit of ${maxBytes} bytes`);
  }
  const fields: Record<string, string> = {};
  const [file, ...more] = await receiveUpload(req, {
    tmpDir: ws.tmpDir,
    maxBytes,
    maxFiles: 1,
    onField: (name, value) => {
      fields[name] = value;
    },
  });
  if (!file || more.length > 0)
    throw new AppError('bad_request', 'send one file, in the field "file"');
  return { path: file.tempPath, filename: file.relativePath.split('/').pop() ?? 'file', fields };
}

/** A multipart file or a JSON `{"row": …}`: the one body a predict call takes. */
async function receiveSample(req: Request, ws: Workstation): Promise<PredictSample> {
  if (req.is('multipart/form-data')) {
    const file = await receiveOne(req, ws, ws.predictions.maxFileBytes);
    return { kind: 'staged', path: file.path, filename: file.filename };
  }
  if (req.is('application/json')) {
    return { kind: 'row', row: parseWith(PredictRowBody, req.body ?? {}, 'body').row };
  }
  throw new AppError(
    'unsupported_media_type',
    'send an image or sound file as multipart/form-data (field "file"), or a table row as application/json ({"row": …})',
  );
}

function parseJsonField<S extends z.ZodType>(
  schema: S,
  fields: Record<string, string>,
): z.output<S> {
  const raw: Record<string, unknown> = { ...fields };
  if (fields.classes !== undefined) {
    try {
      raw.classes = JSON.parse(fields.classes) as unknown;
    } catch {
      throw new AppError('bad_request', 'field "classes" must be a JSON array of class names');
    }
  }
  return parseWith(schema, raw, 'body');
}

/**
 * The inference runtime's routes that carry a file: predict on a run (multipart image/sound or a
 * JSON table row), import an ONNX model, predict on an imported one. Staged files are core's to
 * delete once handed over; a request refused before that is drained and nothing stays in tmp.
 */
export function predictRouter(ws: Workstation, bodyIdleMs: number): Router {
  const router = Router();
  // These routes sit beside the family table, so they parse JSON and guard stalls themselves.
  const stalled = bodyIdleTimeout(bodyIdleMs, (_req, res) =>
    sendError(res, 'request_timeout', 'the request body stopped arriving; send it whole'),
  );
  const json = express.json({ limit: '1mb' });
  const guard =
    (fn: (req: Request) => Promise<unknown>) =>
    async (req: Request, res: Response): Promise<void> => {
      try {
        res.json({ status: 'ok', data: await fn(req) });
      } catch (err) {
        if (!req.complete) drainRequest(req, DRAIN_CAP_BYTES);
        throw err;
      }
    };

  router.post(
    PREDICT_PATH,
    stalled,
    json,
    guard(async (req) => {
      const params = parseWith(PredictParams, flattenParams(req.params), 'path');
      const { checkpoint } = parseWith(PredictQuery, req.query, 'query');
      // Unknown project or run: refused before a byte of the file is read.
      await ws.ops.getRun(params);
      return ws.predictions.predictRun({ ...params, checkpoint }, await receiveSample(req, ws));
    }),
  );
  router.post(
    IMPORT_MODEL_PATH,
    stalled,
    guard(async (req) => {
      if (!req.is('multipart/form-data')) {
        throw new AppError(
          'unsupported_media_type',
          'send the ONNX file as multipart/form-data (field "file")',
        );
      }
      const file = await receiveOne(req, ws, ws.limits.maxUploadBytes);
      let fields;
      try {
        fields = parseJsonField(ImportModelFields, file.fields);
      } catch (err) {
        await rm(file.path, { force: true });
        throw err;
      }
      return ws.predictions.importModel(file, fields);
    }),
  );
  router.post(
    MODEL_PREDICT_PATH,
    stalled,
    json,
    guard(async (req) => {
      const { model_id } = parseWith(ModelParams, flattenParams(req.params), 'path');
      return ws.predictions.predictModel(model_id, await receiveSample(req, ws));
    }),
  );
  return router;
}
