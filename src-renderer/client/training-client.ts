import type {
  CreateExperimentInput,
  Experiment,
  Run,
  RunEvent,
  RunStatus,
  UpdateExperimentInput,
} from '../../src-shared/contract/index.js';
import { client } from './index.js';

interface ProjectRef {
  readonly project_id: string;
}
interface ExperimentRef extends ProjectRef {
  readonly exp_id: string;
}
interface RunRef extends ProjectRef {
  readonly run_id: string;
}

/**
 * The section-4 surface the training screens use, typed from the contract's schemas. The client
 * generates these methods from `operations` (so they exist once the section-4 entries are in that
 * map); this view only names them for the stores.
 */
export interface TrainingClient {
  listExperiments(input: ProjectRef): Promise<Experiment[]>;
  createExperiment(input: ProjectRef & CreateExperimentInput): Promise<Experiment>;
  getExperiment(input: ExperimentRef): Promise<Experiment>;
  updateExperiment(input: ExperimentRef & UpdateExperimentInput): Promise<Experiment>;
  deleteExperiment(input: ExperimentRef): Promise<{ deleted: true; id: string }>;
  startRun(input: ExperimentRef): Promise<{ run_id: string; status: RunStatus }>;
  listRuns(input: ProjectRef): Promise<Run[]>;
  getRun(input: RunRef): Promise<Run>;
  stopRun(input: RunRef): Promise<Run>;
  resumeRun(input: RunRef): Promise<{ run_id: string; status: RunStatus }>;
  deleteRun(input: RunRef): Promise<{ deleted: true; id: string }>;
  subscribeRun(projectId: string, runId: string, onEvent: (event: RunEvent) => void): () => void;
}

export const trainingClient = client as unknown as TrainingClient;
