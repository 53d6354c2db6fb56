import { readdir, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import type {
  Job,
  OperationHandlers,
  PlatformHandlers,
} from '../../../src-shared/contract/index.js';
import type { RunEvent } from '../../../src-shared/contract/training.js';
import { AppError, badRequest } from '../errors.js';
import { openStore } from '../store/index.js';
import {
  DEFAULT_IMPORT_LIMITS,
  type ImportLimits,
  type ImportSource,
  type StagedFile,
} from '../workspace/import-types.js';
import { discardStaged } from '../workspace/import/staging.js';
import { audioPortalHandlers } from '../audio-portal/audio-portal-handlers.js';
import { createAugmentJobs } from '../audio-portal/augment-job.js';
import {
  createAudioPortalService,
  type AudioPortalService,
} from '../audio-portal/audio-portal-service.js';
import { createPortalModels, type PortalModels } from '../audio-portal/models/audio-models.js';
import { audioModelsHandlers } from '../audio-portal/models/models-handlers.js';
import { createAudioModelsService } from '../audio-portal/models/models-service.js';
import {
  audioTrainingJobKind,
  createAudioTraining,
  type AudioTraining,
} from '../audio-portal/models/training.js';
import type { AudioModels, AudioTrainingEvents } from '../audio-portal/classifier.js';
import { createAudioLive, type AudioLive } from '../audio-portal/live/audio-live.js';
import { regressionHandlers } from '../regression/regression-handlers.js';
import {
  createRegressionService,
  regressionTrainingJobKind,
  type RegressionService,
} from '../regression/regression-service.js';
import { loadOrt } from '../engine/runtime/ort.js';
import { ensureWorkspace } from '../workspace/layout.js';
import { requireProject, type ServiceContext } from './context.js';
import { createDatasetJsonWriter } from './dataset-json.js';
import { createDatasetsService, isZipFile, type InspectZip } from './datasets-service.js';
import { JobRunner } from '../jobs/job-runner.js';
import { createEvaluationsService, evaluationJobKind } from './evaluations-service.js';
import { createExportsService, exportJobKind } from './exports-service.js';
import type { ProbeOptions } from './device-probe.js';
import { ImportJobs, importJobKind, type RunImportWorker } from './import-jobs.js';
import { JobEvents } from './job-events.js';
import { createJobsService } from './jobs-service.js';
import { silentLogger, type Logger } from './logger.js';
import { createPredictionsService, type PredictionsService } from './predictions-service.js';
import { createProjectsService } from './projects-service.js';
import { createSplitsService } from './splits-service.js';
import { createSystemService } from './system-service.js';
import { RunEvents } from './training-events.js';
import { createExperimentsService } from './training-experiments.js';
import { trainingJobKind } from './training-jobs.js';
import { RunManager, type RunManagerOptions, type StartTraining } from './training-manager.js';
import { createRunsService } from './training-runs.js';
import { createCurationService } from './curation-service.js';

export { INTERRUPTED_JOB_ERROR } from './import-jobs.js';
/** Staged files older than this are leftovers of a process that died mid-upload. */
const STALE_TMP_MS = 24 * 60 * 60 * 1000;

export interface WorkstationOptions {
  readonly workspaceDir: string;
  readonly version: string;
  readonly limits?: Partial<ImportLimits>;
  readonly now?: () => Date;
  readonly logger?: Logger;
  /** Test hook, never set by the app: every task job waits this long after it starts. */
  readonly taskHoldMs?: number;
}

export interface Workstation {
  readonly ops: OperationHandlers;
  readonly limits: ImportLimits;
  readonly workspaceDir: string;
  readonly tmpDir: string;
  /** Absolute path + mime of an item's original file or thumbnail; AppError not_found otherwise. */
  resolveMedia(
    projectId: string,
    filename: string,
    variant: 'file' | 'thumbnail',
  ): Promise<{ path: string; mime: string }>;
  /** A completed export's ZIP and download name; 404 unknown, 409 not completed yet. */
  resolveExport(projectId: string, exportId: string): { path: string; filename: string };
  /**
   * Starts an import job from files an adapter staged under tmpDir (ZIPs are inspected first).
   * Refusing (AppError 4xx), it deletes the staged files: the caller never has to.
   */
  importStaged(
    projectId: string,
    files: readonly StagedFile[],
  ): Promise<{ job_id: string; status: string }>;
  /** Job events (progress, done); returns unsubscribe. */
  onJob(jobId: string, listener: (job: Job) => void): () => void;
  /** Run events (status, progress, epoch, log); returns unsubscribe. */
  onRun(runId: string, listener: (event: RunEvent) => void): () => void;
  /** Predictions of runs and imported models over the inference runtime's session cache. */
  readonly predictions: PredictionsService;
  /** The tabular-regression family (/upload, /train, /predict, /reset) over this core. */
  readonly regression: RegressionService;
  /** The audio portal family (/api/dataset/…, /api/waveform/…) over this core. */
  readonly audioPortal: AudioPortalService;
  /** The portal's trained models (what upload, quick-classify and the stream classify with). */
  readonly audioModels: PortalModels;
  /** The portal's training (start, status, `training_update` events). */
  readonly audioTraining: AudioTraining;
  /** The audio portal's live stream (Socket.IO listeners, settings, the main-process recorder). */
  readonly audioLive: AudioLive;
  /** Stops the live run gracefully (interrupted if it cannot stop in time), then closes the store. */
  close(): Promise<void>;
}

/** The parts of the import pipeline that run outside this module (worker threads, yauzl). */
export interface WorkstationDeps {
  readonly runImportWorker: RunImportWorker;
  readonly inspectZip: InspectZip;
  readonly probe?: ProbeOptions;
  /** The trainer (a worker thread per run); tests hand in a driven fake. Absent: runs fail to start. */
  readonly startTraining?: StartTraining;
  readonly training?: RunManagerOptions;
  /** The audio portal's trained models; absent: none trained (streams refuse to start). */
  readonly audioModels?: AudioModels;
  readonly audioTraining?: AudioTrainingEvents;
  /** The PATH the audio recorder program (sox, rec, arecord) is looked up on. */
  readonly recorderSearchPath?: () => string | undefined;
}

/** Opens the workspace (creating it), migrates the store and wires every service. */
export async function createWorkstation(
  opts: WorkstationOptions,
  deps: WorkstationDeps,
): Promise<Workstation> {
  const layout = await ensureWorkspace(opts.workspaceDir);
  // onnxruntime-node's addon cannot be loaded by a new thread once every thread that loaded it
  // has exited ("Module did not self-register"). Held by this thread (which also serves
  // predictions), the trainer and task threads that compute features may come and go.
  await loadOrt();
  const now = opts.now ?? (() => new Date());
  const logger = opts.logger ?? silentLogger;
  const limits: ImportLimits = { ...DEFAULT_IMPORT_LIMITS, ...opts.limits };
  const store = openStore(layout.dbPath, { now });
  await sweepStaleTmp(layout.tmpDir, now(), logger);

  const ctx: ServiceContext = { store, layout, limits, logger, version: opts.version, now };
  const events = new JobEvents(logger);
  const jobs = new JobRunner(ctx, events, { taskHoldMs: opts.taskHoldMs });
  const datasetJson = createDatasetJsonWriter(ctx);
  const imports = new ImportJobs(ctx, events, datasetJson, deps.runImportWorker, jobs);
  const { resolveMedia, ...datasetOps } = createDatasetsService(
    ctx,
    imports,
    datasetJson,
    deps.inspectZip,
  );
  const runEvents = new RunEvents(logger);
  const runs = new RunManager(ctx, runEvents, deps.startTraining ?? noTrainer, deps.training);
  runs.attachJobs(jobs);
  // Every kind of background work, declared once; recovery below is the one crash path.
  jobs.declare(importJobKind(ctx));
  jobs.declare(trainingJobKind(runs));
  jobs.declare(evaluationJobKind(ctx));
  jobs.declare(exportJobKind(ctx));
  jobs.declare(regressionTrainingJobKind);
  // Its runs wait on the platform's job events, which the facade below provides.
  const augmentJobs = createAugmentJobs(ctx, {
    jobs,
    ops: { getJob: (input) => platformOps.getJob(input) },
    onJob: (id, listener) => facade.onJob(id, listener),
  });
  jobs.declare(augmentJobs.kind);
  jobs.declare(audioTrainingJobKind(ctx));
  const exportsService = createExportsService(ctx, jobs);
  const evaluations = createEvaluationsService(ctx, jobs);
  const recovered = await jobs.recover();
  if (recovered.interrupted + recovered.resumed > 0) {
    logger.warn(recovered, 'jobs left unfinished by a previous run were interrupted or resumed');
  }
  const projects = createProjectsService(ctx, imports, datasetJson);
  const predictions = createPredictionsService(ctx);
  const platformOps: PlatformHandlers = {
    ...projects,
    // A project's runs write into its folder: they stop before the folder goes.
    deleteProject: async (input) => {
      requireProject(ctx, input.id);
      await runs.stopWhere((entry) => entry.projectId === input.id);
      // A queued export or evaluation writes into the project folder: let them settle first.
      await Promise.all([exportsService.idle(), evaluations.idle()]);
      return projects.deleteProject(input);
    },
    ...datasetOps,
    ...createCurationService(ctx),
    ...createSplitsService(ctx, datasetJson),
    ...createJobsService(ctx, jobs),
    ...createSystemService(ctx, {
      activeJobs: () => jobs.activeCount(),
      // The platform's open prediction sessions and the audio portal's loaded family models.
      modelsLoaded: () => predictions.modelsLoaded() + audioModels.loadedModels(),
      probe: deps.probe,
    }),
    ...predictions.ops,
    ...createExperimentsService(ctx, runs),
    ...createRunsService(ctx, runs),
    ...exportsService.ops,
    ...evaluations.ops,
    // Files: core names the file; the adapters send it (HTTP) or read it (IPC).
    getItemFile: async ({ project_id, filename }) => {
      const media = await resolveMedia(project_id, filename, 'file');
      return { path: media.path, filename: path.basename(filename), content_type: media.mime };
    },
    getThumbnail: async ({ project_id, filename }) => {
      const media = await resolveMedia(project_id, filename, 'thumbnail');
      return { path: media.path, filename: path.basename(media.path), content_type: media.mime };
    },
    downloadExport: ({ project_id, export_id, file }) =>
      exportsService.download(project_id, export_id, file),
  };

  let closing: Promise<void> | undefined;
  const facade: Omit<
    Workstation,
    'regression' | 'audioPortal' | 'audioModels' | 'audioTraining' | 'audioLive' | 'ops'
  > = {
    limits,
    workspaceDir: layout.root,
    tmpDir: layout.tmpDir,
    resolveMedia,
    predictions,
    resolveExport: (projectId, exportId) => exportsService.resolveExport(projectId, exportId),
    onJob: (jobId, listener) => events.on(jobId, listener),
    onRun: (runId, listener) => runEvents.on(runId, listener),

    async importStaged(projectId, files) {
      // Only files an adapter put in our tmp folder may be taken over (and deleted) here; checked
      // before anything else, so a refused call never deletes a file outside tmp/.
      for (const f of files) {
        const rel = path.relative(layout.tmpDir, path.resolve(f.tempPath));
        if (rel === '' || rel.split(path.sep)[0] === '..' || path.isAbsolute(rel)) {
          throw new AppError('forbidden', 'staged files must live in the workspace tmp folder');
        }
      }
      const staged = files.map((f) => f.tempPath);
      try {
        requireProject(ctx, projectId);
        if (files.length === 0) throw badRequest('no files were sent');
        imports.assertIdle(projectId, 'start another import');
        const sources: ImportSource[] = [];
        const loose: StagedFile[] = [];
        for (const f of files) {
          if (await isZipFile(f.tempPath)) {
            await inspectZipNamed(deps.inspectZip, f.tempPath, f.relativePath, limits);
            sources.push({ kind: 'zip', path: f.tempPath, deleteAfter: true });
          } else {
            loose.push({ tempPath: f.tempPath, relativePath: f.relativePath });
          }
        }
        if (loose.length > 0) sources.unshift({ kind: 'staged', files: loose });
        const job = await imports.start(projectId, sources, { cleanup: staged });
        return { job_id: job.id, status: job.status };
      } catch (err) {
        // Refused before the job took them over: nothing of the upload may stay behind.
        await discardStaged(files);
        throw err;
      }
    },

    close() {
      closing ??= (async () => {
        // Live streams and the recorder stop first: nothing classifies while the models close.
        audioLive.close();
        await Promise.all([
          imports.stopAll(),
          runs.close(),
          jobs.close(),
          predictions.close(),
          audioTraining.close(),
          audioModels.close(),
        ]);
        await datasetJson.idle();
        store.close();
      })();
      return closing;
    },
  };
  const regression = createRegressionService(ctx, {
    ops: platformOps,
    jobs,
    importStaged: (id, files) => facade.importStaged(id, files),
    onJob: facade.onJob,
    onRun: facade.onRun,
  });
  const audioPortal = createAudioPortalService(ctx, {
    ops: platformOps,
    importStaged: (id, files) => facade.importStaged(id, files),
    onJob: facade.onJob,
    runAugment: (id, copies) => augmentJobs.run(id, copies),
  });
  const portalDir = (): string | null => {
    const id = audioPortal.projectId();
    return id === null ? null : layout.projectDir(id);
  };
  const audioModels = createPortalModels(portalDir);
  const audioTraining = createAudioTraining(ctx, {
    ops: platformOps,
    jobs,
    models: audioModels,
    projectId: () => audioPortal.projectId(),
  });
  const audioLive = await createAudioLive({
    workspaceDir: layout.root,
    // Tests may hand in their own; the app streams with the portal's trained models.
    models: deps.audioModels ?? audioModels,
    training: deps.audioTraining ?? audioTraining,
    now,
    logger,
    searchPath: deps.recorderSearchPath ?? (() => undefined),
  });

  const ops: OperationHandlers = {
    ...platformOps,
    ...regressionHandlers(regression),
    ...audioPortalHandlers(audioPortal),
    ...audioModelsHandlers(
      createAudioModelsService(ctx, audioModels, audioTraining),
      audioTraining,
    ),
    ...audioLive.ops,
  };
  return { ...facade, ops, regression, audioPortal, audioModels, audioTraining, audioLive };
}

const noTrainer: StartTraining = () => {
  throw new Error('this workstation was opened without a trainer');
};

/** Names the ZIP in the refusal, so a user who sent several knows which one. */
async function inspectZipNamed(
  inspect: InspectZip,
  file: string,
  name: string,
  limits: ImportLimits,
): Promise<void> {
  try {
    await inspect(file, limits);
  } catch (err) {
    if (err instanceof AppError)
      throw new AppError(err.code, `${name}: ${err.message}`, err.details);
    throw err;
  }
}

async function sweepStaleTmp(tmpDir: string, now: Date, logger: Logger): Promise<void> {
  let names: string[];
  try {
    names = await readdir(tmpDir);
  } catch {
    return;
  }
  for (const name of names) {
    const full = path.join(tmpDir, name);
    try {
      const s = await stat(full);
      if (now.getTime() - s.mtimeMs > STALE_TMP_MS)
        await rm(full, { recursive: true, force: true });
    } catch (err) {
      logger.warn({ err, path: full }, 'could not remove a stale staging file');
    }
  }
}
