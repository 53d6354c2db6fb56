import type {
  EpochMetrics,
  ExperimentConfig,
  RunProgress,
  RunStatus,
} from '../../../../src-shared/contract/training.js';
import type { Db } from '../database.js';
import type {
  CheckpointRecord,
  RunPatch,
  RunRecord,
  RunsRepo,
  RunSummaryRecord,
} from './training-types.js';

interface RunRow {
  id: string;
  experiment_id: string;
  project_id: string;
  split_id: number | null;
  split_name: string | null;
  status: RunStatus;
  config: string;
  classes: string;
  backend: string | null;
  device: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  message: string | null;
  best: string | null;
  last: string | null;
  progress: string | null;
  number: number;
  name: string | null;
}

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
const text = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));

const toRecord = (r: RunRow): RunRecord => ({
  id: r.id,
  experimentId: r.experiment_id,
  projectId: r.project_id,
  splitId: r.split_id,
  splitName: r.split_name,
  status: r.status,
  config: JSON.parse(r.config) as ExperimentConfig,
  classes: JSON.parse(r.classes) as string[],
  backend: r.backend,
  device: r.device,
  createdAt: r.created_at,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  message: r.message,
  best: json<CheckpointRecord>(r.best),
  last: json<CheckpointRecord>(r.last),
  progress: json<RunProgress>(r.progress),
  number: r.number,
  name: r.name,
});

const toRow = (r: RunRecord): RunRow => ({
  id: r.id,
  experiment_id: r.experimentId,
  project_id: r.projectId,
  split_id: r.splitId,
  split_name: r.splitName,
  status: r.status,
  config: JSON.stringify(r.config),
  classes: JSON.stringify(r.classes),
  backend: r.backend,
  device: r.device,
  created_at: r.createdAt,
  started_at: r.startedAt,
  finished_at: r.finishedAt,
  message: r.message,
  best: text(r.best),
  last: text(r.last),
  progress: text(r.progress),
  number: r.number,
  name: r.name,
});

export function createRunsRepo(db: Db): RunsRepo {
  const insertStmt = db.prepare(`
    INSERT INTO runs (id, experiment_id, project_id, split_id, split_name, status, config, classes,
      backend, device, created_at, started_at, finished_at, message, best, last, progress, number, name)
    VALUES (@id, @experiment_id, @project_id, @split_id, @split_name, @status, @config, @classes,
      @backend, @device,
      @created_at, @started_at, @finished_at, @message, @best, @last, @progress,
      -- The next number of its experiment: never reused, so a name does not move to another run.
      (SELECT COALESCE(MAX(number), 0) + 1 FROM runs WHERE experiment_id = @experiment_id), @name)`);
  const getStmt = db.prepare<[string, string], RunRow>(
    'SELECT * FROM runs WHERE project_id = ? AND id = ?',
  );
  const byIdStmt = db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?');
  const byProjectStmt = db.prepare<[string], RunRow>(
    'SELECT * FROM runs WHERE project_id = ? ORDER BY created_at DESC, id DESC',
  );
  const summariesStmt = db.prepare<
    [string],
    { id: string; status: RunStatus; created_at: string; best: string | null; n: number }
  >(`
    SELECT r.id, r.status, r.created_at, r.best,
      (SELECT COUNT(*) FROM run_epochs e WHERE e.run_id = r.id) AS n
    FROM runs r WHERE r.experiment_id = ? ORDER BY r.created_at DESC, r.id DESC`);
  const idsStmt = db.prepare<[string], { id: string }>(
    'SELECT id FROM runs WHERE experiment_id = ?',
  );
  const updateStmt = db.prepare(`
    UPDATE runs SET status = @status, classes = @classes, backend = @backend, device = @device, started_at = @started_at,
      finished_at = @finished_at, message = @message, best = @best, last = @last, progress = @progress,
      name = @name
    WHERE id = @id`);
  const epochInsertStmt = db.prepare<[string, number, string, string]>(
    'INSERT INTO run_epochs (run_id, epoch, metrics, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const epochsStmt = db.prepare<[string], { metrics: string }>(
    'SELECT metrics FROM run_epochs WHERE run_id = ? ORDER BY epoch',
  );
  const deleteStmt = db.prepare<[string]>('DELETE FROM runs WHERE id = ?');
  const unfinishedStmt = db.prepare<[], { id: string; status: RunStatus }>(
    "SELECT id, status FROM runs WHERE status IN ('pending', 'running')",
  );
  const markStmt = db.prepare<[RunStatus, string, string, string]>(
    'UPDATE runs SET status = ?, message = ?, finished_at = ? WHERE id = ?',
  );

  const update = db.transaction((id: string, patch: RunPatch): RunRecord | undefined => {
    const row = byIdStmt.get(id);
    if (!row) return undefined;
    const next: RunRecord = { ...toRecord(row), ...patch };
    updateStmt.run(toRow(next));
    return next;
  });

  const addEpoch = db.transaction(
    (
      id: string,
      metrics: EpochMetrics,
      checkpoints: { best?: CheckpointRecord; last: CheckpointRecord },
      at: string,
    ): boolean => {
      const inserted = epochInsertStmt.run(id, metrics.epoch, JSON.stringify(metrics), at).changes;
      if (inserted === 0) return false;
      const patch: RunPatch = checkpoints.best
        ? { best: checkpoints.best, last: checkpoints.last }
        : { last: checkpoints.last };
      update(id, patch);
      return true;
    },
  );

  const markUnfinished = db.transaction((status: RunStatus, message: string, at: string) => {
    const rows = unfinishedStmt.all();
    for (const r of rows) markStmt.run(status, message, at, r.id);
    return rows.map((r) => ({ id: r.id, previous: r.status }));
  });

  return {
    insert: (run) => {
      insertStmt.run(toRow(run));
    },
    get: (projectId, id) => {
      const row = getStmt.get(projectId, id);
      return row ? toRecord(row) : undefined;
    },
    exists: (id) => byIdStmt.get(id) !== undefined,
    listByProject: (projectId) => byProjectStmt.all(projectId).map(toRecord),
    summaries: (experimentId): RunSummaryRecord[] =>
      summariesStmt.all(experimentId).map((r) => ({
        id: r.id,
        status: r.status,
        createdAt: r.created_at,
        epochsCompleted: r.n,
        bestValue: json<CheckpointRecord>(r.best)?.value ?? null,
      })),
    idsByExperiment: (experimentId) => idsStmt.all(experimentId).map((r) => r.id),
    update: (id, patch) => update(id, patch),
    addEpoch: (id, metrics, checkpoints, at) => addEpoch(id, metrics, checkpoints, at),
    epochs: (id) => epochsStmt.all(id).map((r) => JSON.parse(r.metrics) as EpochMetrics),
    delete: (id) => deleteStmt.run(id).changes > 0,
    markUnfinished: (status, message, at) => markUnfinished(status, message, at),
  };
}
