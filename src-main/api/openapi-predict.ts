import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { okEnvelope } from '../../src-shared/contract/common.js';
import {
  IMPORT_MODEL_PATH,
  MODEL_PREDICT_PATH,
  ModelInfo,
  ModelParams,
  PREDICT_PATH,
  PredictParams,
  PredictQuery,
  PredictRowBody,
  Prediction,
  RunPrediction,
} from '../../src-shared/contract/predict.js';

const openApiPath = (p: string): string => p.replace(/:([A-Za-z_]+)/g, '{$1}');
const Binary = z.string().meta({ format: 'binary' });

/** The inference runtime's file-carrying routes (predict on a run or a model, import a model). */
export function registerPredictRoutes(registry: OpenAPIRegistry, error: z.ZodType): void {
  const responses = (data: z.ZodType) => ({
    200: {
      description: 'Success: `{"status":"ok","data":…}`',
      content: { 'application/json': { schema: okEnvelope(data) } },
    },
    default: {
      description:
        'Error: 404 unknown project/run/model, 409 run not completed, 413 file too big, 415 ' +
        'wrong media for the model, 422 undecodable file or unusable checkpoint',
      content: { 'application/json': { schema: error } },
    },
  });
  const sampleBody = {
    content: {
      'multipart/form-data': { schema: z.object({ file: Binary }) },
      'application/json': { schema: PredictRowBody },
    },
  };
  registry.registerPath({
    method: 'post',
    path: openApiPath(PREDICT_PATH),
    operationId: 'predictRun',
    summary: 'Predict with a completed run: one image, sound or table row',
    description:
      'An image or sound as the multipart field `file`, or a table row as JSON `{"row": {column: ' +
      'value}}` (or the values in column order). The checkpoint is exported to ONNX on first use ' +
      '(checked against TensorFlow.js), then served from the session cache. Classifiers answer ' +
      'every class probability, most probable first, and the top class; regressors the value.',
    tags: ['Training'],
    request: { params: PredictParams, query: PredictQuery, body: sampleBody },
    responses: responses(RunPrediction),
  });
  registry.registerPath({
    method: 'post',
    path: openApiPath(IMPORT_MODEL_PATH),
    operationId: 'importModel',
    summary: 'Import an ONNX model into the inference runtime',
    description:
      'multipart/form-data: `file` (the .onnx), optional `name`, `kind` (classifier, regressor, ' +
      'detector, raw) and `classes` (JSON array, by output index). 415 when the file is not ONNX, ' +
      '422 when onnxruntime cannot load it.',
    tags: ['System'],
    request: {
      body: {
        content: {
          'multipart/form-data': {
            schema: z.object({
              file: Binary,
              name: z.string().optional(),
              kind: z.string().optional(),
              classes: z.string().optional(),
            }),
          },
        },
      },
    },
    responses: responses(ModelInfo),
  });
  registry.registerPath({
    method: 'post',
    path: openApiPath(MODEL_PREDICT_PATH),
    operationId: 'predictModel',
    summary: 'Predict with an imported model: one image, sound or table row',
    tags: ['System'],
    request: { params: ModelParams, body: sampleBody },
    responses: responses(Prediction),
  });
}
