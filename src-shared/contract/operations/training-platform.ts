import { z } from 'zod';
import { JobIdParams, Job } from '../jobs.js';
import { CreateProjectInput, Project, ProjectIdParams, UpdateProjectInput } from '../projects.js';
import {
  DatasetInfo,
  ImportLocalInput,
  ImportStarted,
  ItemInfo,
  ItemPage,
  ItemParams,
  ListImagesQuery,
  ProjectParams,
} from '../datasets.js';
import {
  CreateSplitInput,
  DatasetJson,
  SplitCreated,
  SplitDetail,
  SplitIndexParams,
  SplitList,
  SplitPreview,
  SplitPreviewQuery,
} from '../splits.js';
import { Devices, Health, WorkspaceStats } from '../system.js';
import { FileReply, type OperationDef } from '../operation.js';
import { Deleted, op } from './platform-op.js';
import { platformCurationOperations } from './training-platform-curation.js';
import { platformJobModelOperations } from './training-platform-jobs-models.js';
import { platformModelOperations } from './training-platform-models.js';

const Cleared = z.object({ project_id: z.string(), removed_items: z.number().int() });

/** The training platform's operations: data here, models in training-platform-models.ts. */
export const platformOperations = {
  listProjects: op({
    method: 'GET',
    path: '/api/projects',
    summary: 'List all projects',
    tag: 'Projects',
    response: z.array(Project),
  }),
  createProject: op({
    method: 'POST',
    path: '/api/projects',
    summary: 'Create a new project',
    tag: 'Projects',
    body: CreateProjectInput,
    response: Project,
  }),
  getProject: op({
    method: 'GET',
    path: '/api/projects/:id',
    summary: 'Get project details',
    tag: 'Projects',
    params: ProjectIdParams,
    response: Project,
  }),
  updateProject: op({
    method: 'PATCH',
    path: '/api/projects/:id',
    summary: 'Update project (name, task)',
    tag: 'Projects',
    params: ProjectIdParams,
    body: UpdateProjectInput,
    response: Project,
  }),
  deleteProject: op({
    method: 'DELETE',
    path: '/api/projects/:id',
    summary: 'Delete project and all its data',
    tag: 'Projects',
    params: ProjectIdParams,
    response: Deleted,
  }),

  getDataset: op({
    method: 'GET',
    path: '/api/datasets/:project_id',
    summary: 'Get dataset info (stats, class list)',
    tag: 'Datasets',
    params: ProjectParams,
    response: DatasetInfo,
  }),
  importLocal: op({
    method: 'POST',
    path: '/api/datasets/:project_id/import/local',
    summary: 'Import from a local folder (sub-folder names are class labels) or file',
    tag: 'Datasets',
    params: ProjectParams,
    body: ImportLocalInput,
    response: ImportStarted,
  }),
  listImages: op({
    method: 'GET',
    path: '/api/datasets/:project_id/images',
    summary: 'List images (paginated)',
    tag: 'Datasets',
    params: ProjectParams,
    query: ListImagesQuery,
    response: ItemPage,
  }),
  getItemInfo: op({
    method: 'GET',
    path: '/api/datasets/:project_id/images/:filename/info',
    summary: 'Get image annotation info',
    tag: 'Datasets',
    params: ItemParams,
    response: ItemInfo,
  }),
  getItemFile: op({
    method: 'GET',
    path: '/api/datasets/:project_id/images/:filename',
    summary: 'Get image file (the original bytes of any item: image, audio or table)',
    description: 'The filename URL-encoded (cat%2Fimg001.png); raw slashes are accepted too.',
    tag: 'Datasets',
    params: ItemParams,
    response: FileReply,
    output: { kind: 'file', contentTypes: ['image/*', 'audio/*', 'text/csv'] },
  }),
  getThumbnail: op({
    method: 'GET',
    path: '/api/datasets/:project_id/thumbnails/:filename',
    summary: 'Get thumbnail (images: a scaled copy; audio: a waveform picture)',
    tag: 'Datasets',
    params: ItemParams,
    response: FileReply,
    output: { kind: 'file', contentTypes: ['image/*'] },
  }),
  clearDataset: op({
    method: 'DELETE',
    path: '/api/datasets/:project_id',
    summary: 'Clear dataset',
    tag: 'Datasets',
    params: ProjectParams,
    response: Cleared,
  }),
  exportDatasetJson: op({
    method: 'GET',
    path: '/api/datasets/:project_id/dataset.json',
    summary: 'Export dataset.json (splits inline per image) for older tools',
    tag: 'Datasets',
    params: ProjectParams,
    response: DatasetJson,
  }),

  listSplits: op({
    method: 'GET',
    path: '/api/splits/:project_id',
    summary: 'List all splits (names + stats)',
    tag: 'Splits',
    params: ProjectParams,
    response: SplitList,
  }),
  createSplit: op({
    method: 'POST',
    path: '/api/splits/:project_id',
    summary: 'Create a new split',
    tag: 'Splits',
    params: ProjectParams,
    body: CreateSplitInput,
    response: SplitCreated,
  }),
  previewSplit: op({
    method: 'GET',
    path: '/api/splits/:project_id/preview',
    summary: 'Preview a split before creating',
    tag: 'Splits',
    params: ProjectParams,
    query: SplitPreviewQuery,
    response: SplitPreview,
  }),
  getSplit: op({
    method: 'GET',
    path: '/api/splits/:project_id/:split_index',
    summary: 'Get split details (stats, per-class distribution)',
    tag: 'Splits',
    params: SplitIndexParams,
    response: SplitDetail,
  }),
  deleteSplit: op({
    method: 'DELETE',
    path: '/api/splits/:project_id/:split_index',
    summary: 'Delete split (re-indexes remaining)',
    tag: 'Splits',
    params: SplitIndexParams,
    response: SplitList,
  }),

  getJob: op({
    method: 'GET',
    path: '/api/jobs/:job_id',
    summary: 'Get a background job (any kind): progress, ETA and result',
    tag: 'Jobs',
    params: JobIdParams,
    response: Job,
  }),
  cancelJob: op({
    method: 'POST',
    path: '/api/jobs/:job_id/cancel',
    summary: 'Cancel a background job',
    tag: 'Jobs',
    params: JobIdParams,
    response: Job,
  }),

  health: op({
    method: 'GET',
    path: '/api/system/health',
    summary: 'Health check',
    tag: 'System',
    response: Health,
  }),
  devices: op({
    method: 'GET',
    path: '/api/system/devices',
    summary: 'List available devices (CPU + GPUs) and training backends',
    tag: 'System',
    response: Devices,
  }),
  workspace: op({
    method: 'GET',
    path: '/api/system/workspace',
    summary: 'Workspace stats (disk usage)',
    tag: 'System',
    response: WorkspaceStats,
  }),
  ...platformCurationOperations,
  ...platformModelOperations,
  ...platformJobModelOperations,
} as const satisfies Record<string, OperationDef>;
