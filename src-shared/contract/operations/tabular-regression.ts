import { z } from 'zod';
import { tabularRegression } from '../families/tabular-regression.js';
import { trainingPlatform } from '../families/training-platform.js';
import { FileReply, type OperationDef } from '../operation.js';
import {
  RegressionBindInput,
  RegressionPredictInput,
  RegressionPredictResponse,
  RegressionResetResponse,
  RegressionState,
  RegressionTrainInput,
  RegressionTrainResponse,
  RegressionUploadFields,
  RegressionUploadResponse,
} from '../regression.js';

const family = tabularRegression;

/**
 * api-reference/tabular-regression.md, to the letter; plus the Regression screen's view of the
 * family (state and re-binding), which lives under /api/regression in the platform's envelope.
 */
export const regressionOperations = {
  regressionUpload: {
    family,
    method: 'POST',
    path: '/upload',
    summary: 'Upload a table (pickle {X, y, metadata}, CSV, .npy, .npz) and split it 70/15/15',
    description:
      'multipart/form-data with one file part; the type is judged by the bytes. Pickles are read ' +
      'by a reader that refuses every global but numpy arrays. `target_column` (CSV: a column ' +
      'name; .npy: an index) defaults to the last column.',
    files: { file: { description: 'The table', required: true } },
    body: RegressionUploadFields,
    response: RegressionUploadResponse,
    failurePrefix: 'Failed to save pickle file',
  },
  regressionTrain: {
    family,
    method: 'POST',
    path: '/train',
    summary: 'Train an MLP on the uploaded table; answers when training ends',
    body: RegressionTrainInput,
    response: RegressionTrainResponse,
    failurePrefix: 'Training failed',
  },
  regressionPredict: {
    family,
    method: 'POST',
    path: '/predict',
    summary: 'Predict one value from one input per feature',
    body: RegressionPredictInput,
    response: RegressionPredictResponse,
    failurePrefix: 'Prediction failed',
  },
  regressionReset: {
    family,
    method: 'POST',
    path: '/reset',
    summary: 'Remove the uploaded files, the model and the plots',
    response: RegressionResetResponse,
    failurePrefix: 'Reset failed',
  },
  regressionOutput: {
    family,
    method: 'GET',
    path: '/outputs/:name',
    summary: 'model.pkl, learning_curve.png or predictions_plot.png of the last training',
    params: z.strictObject({ name: z.string().min(1) }),
    response: FileReply,
    output: { kind: 'file', contentTypes: ['image/png', 'application/octet-stream'] },
  },
  regressionState: {
    family: trainingPlatform,
    method: 'GET',
    path: '/api/regression/state',
    summary: "The family's dataset, last model (with curves) and training in progress",
    description: 'On a workspace where the family was never used: nulls; nothing is created.',
    tag: 'Tabular regression',
    response: RegressionState,
  },
  regressionBindProject: {
    family: trainingPlatform,
    method: 'PUT',
    path: '/api/regression/project',
    summary: 'Re-bind the family to another regression project',
    tag: 'Tabular regression',
    body: RegressionBindInput,
    response: RegressionState,
  },
} as const satisfies Record<string, OperationDef>;
