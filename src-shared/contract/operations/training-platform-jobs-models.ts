import { JobErrorPage, JobErrorsQuery, JobIdParams, JobPage, ListJobsQuery } from '../jobs.js';
import { ModelInfo, ModelParams, ModelsList, PredictParams, PredictQuery } from '../predict.js';
import type { OperationDef } from '../operation.js';
import { Deleted, op } from './platform-op.js';

/**
 * The training platform's job listing and the inference runtime's models. Predictions themselves
 * (a file or a table row in, probabilities out) are the runtime's routes in the API layer.
 */
export const platformJobModelOperations = {
  listJobs: op({
    method: 'GET',
    path: '/api/jobs',
    summary: 'List background jobs of every kind (filter by kind, status, project), newest first',
    tag: 'Jobs',
    query: ListJobsQuery,
    response: JobPage,
  }),
  listJobErrors: op({
    method: 'GET',
    path: '/api/jobs/:job_id/errors',
    summary: "An import job's per-file errors, paged",
    tag: 'Jobs',
    params: JobIdParams,
    query: JobErrorsQuery,
    response: JobErrorPage,
  }),
  prepareRunModel: op({
    method: 'POST',
    path: '/api/training/:project_id/runs/:run_id/predict/prepare',
    summary:
      'Export a completed run’s checkpoint to ONNX and open its session ahead of predictions',
    tag: 'Training',
    params: PredictParams,
    query: PredictQuery,
    response: ModelInfo,
  }),
  listModels: op({
    method: 'GET',
    path: '/api/system/models',
    summary: 'ONNX models of the inference runtime: imported ones and open sessions',
    tag: 'System',
    response: ModelsList,
  }),
  deleteModel: op({
    method: 'DELETE',
    path: '/api/system/models/:model_id',
    summary: 'Delete an imported model (its session is closed)',
    tag: 'System',
    params: ModelParams,
    response: Deleted,
  }),
} as const satisfies Record<string, OperationDef>;
