import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  RegressionBindInput,
  RegressionErrorBody,
  RegressionPredictInput,
  RegressionPredictResponse,
  RegressionResetResponse,
  RegressionState,
  RegressionTrainInput,
  RegressionTrainResponse,
  RegressionUploadResponse,
} from '../../src-shared/contract/regression.js';
import { okEnvelope } from '../../src-shared/contract/common.js';

const TAG = 'Tabular regression';

/** The tabular-regression family's paths, in its own envelope (api-reference/tabular-regression.md). */
export function registerRegressionRoutes(registry: OpenAPIRegistry): void {
  const error = RegressionErrorBody.meta({ id: 'RegressionErrorBody' });
  const errors = {
    400: { description: 'Bad input', content: { 'application/json': { schema: error } } },
    422: { description: 'Unusable data', content: { 'application/json': { schema: error } } },
    500: { description: 'Failure', content: { 'application/json': { schema: error } } },
  };
  const ok = (schema: z.ZodType, description: string) => ({
    200: { description, content: { 'application/json': { schema } } },
  });
  registry.registerPath({
    method: 'post',
    path: '/upload',
    operationId: 'regressionUpload',
    summary: 'Upload a table (pickle {X, y, metadata}, CSV, .npy, .npz) and split it 70/15/15',
    description:
      'multipart/form-data with one file part; the type is judged by the bytes. Pickles are read ' +
      'by a reader that refuses every global but numpy arrays. `target_column` (CSV: a column ' +
      'name; .npy: an index) defaults to the last column.',
    tags: [TAG],
    request: {
      body: {
        content: {
          'multipart/form-data': {
            schema: z.object({
              file: z.string().meta({ format: 'binary' }),
              target_column: z.string().optional(),
            }),
          },
        },
      },
    },
    responses: { ...ok(RegressionUploadResponse, 'Stored and preprocessed'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/train',
    operationId: 'regressionTrain',
    summary: 'Train an MLP on the uploaded table; answers when training ends',
    tags: [TAG],
    request: { body: { content: { 'application/json': { schema: RegressionTrainInput } } } },
    responses: { ...ok(RegressionTrainResponse, 'Trained'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/predict',
    operationId: 'regressionPredict',
    summary: 'Predict one value from one input per feature',
    tags: [TAG],
    request: { body: { content: { 'application/json': { schema: RegressionPredictInput } } } },
    responses: { ...ok(RegressionPredictResponse, 'Prediction'), ...errors },
  });
  registry.registerPath({
    method: 'post',
    path: '/reset',
    operationId: 'regressionReset',
    summary: 'Remove the uploaded files, the model and the plots',
    tags: [TAG],
    responses: ok(RegressionResetResponse, 'Removed'),
  });
  registry.registerPath({
    method: 'get',
    path: '/outputs/{name}',
    operationId: 'regressionOutput',
    summary: 'model.pkl, learning_curve.png or predictions_plot.png of the last training',
    tags: [TAG],
    request: {
      params: z.object({
        name: z.enum(['model.pkl', 'learning_curve.png', 'predictions_plot.png']),
      }),
    },
    responses: {
      200: {
        description: 'The file',
        content: {
          'image/png': { schema: z.string().meta({ format: 'binary' }) },
          'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) },
        },
      },
      404: { description: 'Not trained yet', content: { 'application/json': { schema: error } } },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/api/regression/state',
    operationId: 'regressionState',
    summary: "The family's dataset, last model (with curves) and training in progress",
    tags: [TAG],
    responses: ok(okEnvelope(RegressionState), 'State'),
  });
  registry.registerPath({
    method: 'put',
    path: '/api/regression/project',
    operationId: 'regressionBindProject',
    summary: 'Re-bind the family to another regression project (training-platform envelope)',
    tags: [TAG],
    request: { body: { content: { 'application/json': { schema: RegressionBindInput } } } },
    responses: ok(okEnvelope(RegressionState), 'State of the newly bound project'),
  });
}
