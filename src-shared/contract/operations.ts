import { z } from 'zod';
import { JobErrorPage, JobErrorsQuery, JobIdParams, JobPage, Job, ListJobsQuery } from './jobs.js';
import { CreateProjectInput, Project, ProjectIdParams, UpdateProjectInput } from './projects.js';
import {
  DatasetInfo,
  ImportLocalInput,
  ImportStarted,
  ItemInfo,
  ItemPage,
  ItemParams,
  ListImagesQuery,
  ProjectParams,
} from './datasets.js';
import {
  CreateSplitInput,
  DatasetJson,
  SplitCreated,
  SplitDetail,
  SplitIndexParams,
  SplitList,
  SplitPreview,
  SplitPreviewQuery,
} from './splits.js';
import { Devices, Health, WorkspaceStats } from './system.js';
import { ModelInfo, ModelParams, ModelsList, PredictParams, PredictQuery } from './predict.js';
import {
  CreateEvaluationInput,
  EvalParams,
  EvalProjectParams,
  EvalResultsPage,
  EvalResultsQuery,
  Evaluation,
} from './evaluation.js';
import {
  CreateExportInput,
  Export,
  ExportFormat,
  ExportParams,
  ExportProjectParams,
} from './export.js';
import {
  CreateExperimentInput,
  Experiment,
  ExperimentParams,
  MetricsJson,
  Run,
  RunParams,
  RunStarted,
  TrainingProjectParams,
  UpdateExperimentInput,
} from './training.js';

/**
 * Every JSON operation, declared once. The HTTP router validates requests with these schemas
 * (and tests validate responses), the OpenAPI document is generated from them, the preload
 * bridge exposes one IPC channel per entry, and the renderer's client is typed by them.
 * Binary routes (image files, thumbnails, ZIP upload, SSE) are declared in `binary-routes.ts`.
 */
export interface OperationDef {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Express-style path; `:name` segments are taken from the input. */
  readonly path: string;
  readonly summary: string;
  readonly tag: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** The `data` of the `{"status":"ok","data":…}` envelope. */
  readonly response: z.ZodType;
}

const Deleted = z.object({ deleted: z.literal(true), id: z.string() });
const Cleared = z.object({ project_id: z.string(), removed_items: z.number().int() });

export const operations = {
  listProjects: {
    method: 'GET',
    path: '/api/projects',
    summary: 'List all projects',
    tag: 'Projects',
    response: z.array(Project),
  },
  createProject: {
    method: 'POST',
    path: '/api/projects',
    summary: 'Create a new project',
    tag: 'Projects',
    body: CreateProjectInput,
    response: Project,
  },
  getProject: {
    method: 'GET',
    path: '/api/projects/:id',
    summary: 'Get project details',
    tag: 'Projects',
    params: ProjectIdParams,
    response: Project,
  },
  updateProject: {
    method: 'PATCH',
    path: '/api/projects/:id',
    summary: 'Update project (name, task)',
    tag: 'Projects',
    params: ProjectIdParams,
    body: UpdateProjectInput,
    response: Project,
  },
  deleteProject: {
    method: 'DELETE',
    path: '/api/projects/:id',
    summary: 'Delete project and all its data',
    tag: 'Projects',
    params: ProjectIdParams,
    response: Deleted,
  },

  getDataset: {
    method: 'GET',
    path: '/api/datasets/:project_id',
    summary: 'Get dataset info (stats, class list)',
    tag: 'Datasets',
    params: ProjectParams,
    response: DatasetInfo,
  },
  importLocal: {
    method: 'POST',
    path: '/api/datasets/:project_id/import/local',
    summary: 'Import from a local folder (sub-folder names are class labels) or file',
    tag: 'Datasets',
    params: ProjectParams,
    body: ImportLocalInput,
    response: ImportStarted,
  },
  listImages: {
    method: 'GET',
    path: '/api/datasets/:project_id/images',
    summary: 'List images (paginated)',
    tag: 'Datasets',
    params: ProjectParams,
    query: ListImagesQuery,
    response: ItemPage,
  },
  getItemInfo: {
    method: 'GET',
    path: '/api/datasets/:project_id/images/:filename/info',
    summary: 'Get image annotation info',
    tag: 'Datasets',
    params: ItemParams,
    response: ItemInfo,
  },
  clearDataset: {
    method: 'DELETE',
    path: '/api/datasets/:project_id',
    summary: 'Clear dataset',
    tag: 'Datasets',
    params: ProjectParams,
    response: Cleared,
  },
  exportDatasetJson: {
    method: 'GET',
    path: '/api/datasets/:project_id/dataset.json',
    summary: 'Export dataset.json (splits inline per image) for older tools',
    tag: 'Datasets',
    params: ProjectParams,
    response: DatasetJson,
  },

  listSplits: {
    method: 'GET',
    path: '/api/splits/:project_id',
    summary: 'List all splits (names + stats)',
    tag: 'Splits',
    params: ProjectParams,
    response: SplitList,
  },
  createSplit: {
    method: 'POST',
    path: '/api/splits/:project_id',
    summary: 'Create a new split',
    tag: 'Splits',
    params: ProjectParams,
    body: CreateSplitInput,
    response: SplitCreated,
  },
  previewSplit: {
    method: 'GET',
    path: '/api/splits/:project_id/preview',
    summary: 'Preview a split before creating',
    tag: 'Splits',
    params: ProjectParams,
    query: SplitPreviewQuery,
    response: SplitPreview,
  },
  getSplit: {
    method: 'GET',
    path: '/api/splits/:project_id/:split_index',
    summary: 'Get split details (stats, per-class distribution)',
    tag: 'Splits',
    params: SplitIndexParams,
    response: SplitDetail,
  },
  deleteSplit: {
    method: 'DELETE',
    path: '/api/splits/:project_id/:split_index',
    summary: 'Delete split (re-indexes remaining)',
    tag: 'Splits',
    params: SplitIndexParams,
    response: SplitList,
  },

  listExperiments: {
    method: 'GET',
    path: '/api/training/:project_id/experiments',
    summary: 'List experiments',
    tag: 'Training',
    params: TrainingProjectParams,
    response: z.array(Experiment),
  },
  createExperiment: {
    method: 'POST',
    path: '/api/training/:project_id/experiments',
    summary: 'Create experiment (every config field optional, per-task defaults)',
    tag: 'Training',
    params: TrainingProjectParams,
    body: CreateExperimentInput,
    response: Experiment,
  },
  getExperiment: {
    method: 'GET',
    path: '/api/training/:project_id/experiments/:exp_id',
    summary: 'Get experiment config',
    tag: 'Training',
    params: ExperimentParams,
    response: Experiment,
  },
  updateExperiment: {
    method: 'PATCH',
    path: '/api/training/:project_id/experiments/:exp_id',
    summary: 'Update experiment config',
    tag: 'Training',
    params: ExperimentParams,
    body: UpdateExperimentInput,
    response: Experiment,
  },
  deleteExperiment: {
    method: 'DELETE',
    path: '/api/training/:project_id/experiments/:exp_id',
    summary: 'Delete experiment + runs',
    tag: 'Training',
    params: ExperimentParams,
    response: Deleted,
  },
  startRun: {
    method: 'POST',
    path: '/api/training/:project_id/experiments/:exp_id/run',
    summary: 'Start a new run (queued behind a run in progress)',
    tag: 'Training',
    params: ExperimentParams,
    response: RunStarted,
  },
  listRuns: {
    method: 'GET',
    path: '/api/training/:project_id/runs',
    summary: "List the project's runs, newest first",
    tag: 'Training',
    params: TrainingProjectParams,
    response: z.array(Run),
  },
  getRun: {
    method: 'GET',
    path: '/api/training/:project_id/runs/:run_id',
    summary: 'Get run status + metrics',
    tag: 'Training',
    params: RunParams,
    response: Run,
  },
  stopRun: {
    method: 'POST',
    path: '/api/training/:project_id/runs/:run_id/stop',
    summary: 'Stop a running training',
    tag: 'Training',
    params: RunParams,
    response: Run,
  },
  resumeRun: {
    method: 'POST',
    path: '/api/training/:project_id/runs/:run_id/resume',
    summary: 'Resume an interrupted or stopped run from its last checkpoint',
    tag: 'Training',
    params: RunParams,
    response: RunStarted,
  },
  deleteRun: {
    method: 'DELETE',
    path: '/api/training/:project_id/runs/:run_id',
    summary: 'Delete a run',
    tag: 'Training',
    params: RunParams,
    response: Deleted,
  },
  getRunMetrics: {
    method: 'GET',
    path: '/api/training/:project_id/runs/:run_id/metrics',
    summary: 'Get metrics JSON',
    tag: 'Training',
    params: RunParams,
    response: MetricsJson,
  },

  listEvaluations: {
    method: 'GET',
    path: '/api/evaluation/:project_id',
    summary: 'List evaluations',
    tag: 'Evaluation',
    params: EvalProjectParams,
    response: z.array(Evaluation),
  },
  createEvaluation: {
    method: 'POST',
    path: '/api/evaluation/:project_id',
    summary: 'Create + start evaluation',
    tag: 'Evaluation',
    params: EvalProjectParams,
    body: CreateEvaluationInput,
    response: Evaluation,
  },
  getEvaluation: {
    method: 'GET',
    path: '/api/evaluation/:project_id/:eval_id',
    summary: 'Get evaluation status + results',
    tag: 'Evaluation',
    params: EvalParams,
    response: Evaluation,
  },
  deleteEvaluation: {
    method: 'DELETE',
    path: '/api/evaluation/:project_id/:eval_id',
    summary: 'Delete evaluation',
    tag: 'Evaluation',
    params: EvalParams,
    response: Deleted,
  },
  getEvaluationResults: {
    method: 'GET',
    path: '/api/evaluation/:project_id/:eval_id/results',
    summary: 'Per-item results (paginated)',
    tag: 'Evaluation',
    params: EvalParams,
    query: EvalResultsQuery,
    response: EvalResultsPage,
  },

  listExportFormats: {
    method: 'GET',
    path: '/api/export/formats',
    summary: 'List available export formats',
    tag: 'Export',
    response: z.array(ExportFormat),
  },
  listExports: {
    method: 'GET',
    path: '/api/export/:project_id',
    summary: 'List exports',
    tag: 'Export',
    params: ExportProjectParams,
    response: z.array(Export),
  },
  createExport: {
    method: 'POST',
    path: '/api/export/:project_id',
    summary: 'Create + start export',
    tag: 'Export',
    params: ExportProjectParams,
    body: CreateExportInput,
    response: Export,
  },
  getExport: {
    method: 'GET',
    path: '/api/export/:project_id/:export_id',
    summary: 'Get export status',
    tag: 'Export',
    params: ExportParams,
    response: Export,
  },
  deleteExport: {
    method: 'DELETE',
    path: '/api/export/:project_id/:export_id',
    summary: 'Delete export',
    tag: 'Export',
    params: ExportParams,
    response: Deleted,
  },

  listJobs: {
    method: 'GET',
    path: '/api/jobs',
    summary: 'List background jobs of every kind (filter by kind, status, project), newest first',
    tag: 'Jobs',
    query: ListJobsQuery,
    response: JobPage,
  },
  getJob: {
    method: 'GET',
    path: '/api/jobs/:job_id',
    summary: 'Get a background job (any kind): progress, ETA and result',
    tag: 'Jobs',
    params: JobIdParams,
    response: Job,
  },
  cancelJob: {
    method: 'POST',
    path: '/api/jobs/:job_id/cancel',
    summary: 'Cancel a background job',
    tag: 'Jobs',
    params: JobIdParams,
    response: Job,
  },
  listJobErrors: {
    method: 'GET',
    path: '/api/jobs/:job_id/errors',
    summary: "An import job's per-file errors, paged",
    tag: 'Jobs',
    params: JobIdParams,
    query: JobErrorsQuery,
    response: JobErrorPage,
  },

  health: {
    method: 'GET',
    path: '/api/system/health',
    summary: 'Health check',
    tag: 'System',
    response: Health,
  },
  devices: {
    method: 'GET',
    path: '/api/system/devices',
    summary: 'List available devices (CPU + GPUs) and training backends',
    tag: 'System',
    response: Devices,
  },
  workspace: {
    method: 'GET',
    path: '/api/system/workspace',
    summary: 'Workspace stats (disk usage)',
    tag: 'System',
    response: WorkspaceStats,
  },
  prepareRunModel: {
    method: 'POST',
    path: '/api/training/:project_id/runs/:run_id/predict/prepare',
    summary:
      'Export a completed run’s checkpoint to ONNX and open its session ahead of predictions',
    tag: 'Training',
    params: PredictParams,
    query: PredictQuery,
    response: ModelInfo,
  },
  listModels: {
    method: 'GET',
    path: '/api/system/models',
    summary: 'ONNX models of the inference runtime: imported ones and open sessions',
    tag: 'System',
    response: ModelsList,
  },
  deleteModel: {
    method: 'DELETE',
    path: '/api/system/models/:model_id',
    summary: 'Delete an imported model (its session is closed)',
    tag: 'System',
    params: ModelParams,
    response: Deleted,
  },
} as const satisfies Record<string, OperationDef>;

export type Operations = typeof operations;
export type OperationName = keyof Operations;

type SchemaInput<S> = S extends z.ZodType ? z.input<S> : unknown;
type FieldInput<D, K extends string> = D extends { readonly [P in K]: infer S }
  ? SchemaInput<S>
  : unknown;

/** One operation's input: path params, query and body fields merged into one object. */
export type OperationInput<N extends OperationName> = FieldInput<Operations[N], 'params'> &
  FieldInput<Operations[N], 'query'> &
  FieldInput<Operations[N], 'body'>;

export type OperationOutput<N extends OperationName> = z.infer<Operations[N]['response']>;

export const operationNames = Object.keys(operations) as OperationName[];

/** The IPC channel of an operation: one per contract entry, never a generic invoke. */
export const ipcChannel = (name: OperationName): string => `assay:${name}`;
export const IPC_JOB_EVENT = 'assay:event:job';

type SchemaOutput<S> = S extends z.ZodType ? z.output<S> : unknown;
type FieldOutput<D, K extends string> = D extends { readonly [P in K]: infer S }
  ? SchemaOutput<S>
  : unknown;

/** An operation's input after validation (defaults applied, strings coerced). */
export type OperationParsedInput<N extends OperationName> = FieldOutput<Operations[N], 'params'> &
  FieldOutput<Operations[N], 'query'> &
  FieldOutput<Operations[N], 'body'>;

/** What core implements for each operation; the HTTP router and the IPC handlers call these. */
export type OperationHandlers = {
  readonly [N in OperationName]: (input: OperationParsedInput<N>) => Promise<OperationOutput<N>>;
};
