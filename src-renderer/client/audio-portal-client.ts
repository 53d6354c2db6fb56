import { z } from 'zod';
import { AudioEvent, WorkstationError } from '../../src-shared/contract/index.js';
import { networkError } from './operation-client.js';

/**
 * The audio portal's calls that the contract's operation table does not declare yet
 * (api-reference/audio-portal.md plus Assay's additions), over fetch with the documented shapes.
 * Each reply is unwrapped from the family's envelope (`{"success":false,"error"}`) and checked
 * loosely: fields the screens read are typed, anything else passes. Once the operations are in
 * the table, the generated client replaces this file call for call.
 */

const Probabilities = z.record(z.string(), z.number());

export const ClassifyResult = z.looseObject({
  success: z.literal(true),
  filename: z.string(),
  predicted_label: z.string(),
  confidence: z.number(),
  processing_time: z.number(),
  all_probabilities: Probabilities,
  model_votes: z.record(z.string(), z.string()),
  waveform: z.array(z.number()),
  sample_rate: z.number(),
  duration: z.number(),
  timestamp: z.string(),
  events: z.array(AudioEvent).default([]),
});
export type ClassifyResult = z.infer<typeof ClassifyResult>;

export const AugmentResult = z.looseObject({
  success: z.literal(true),
  message: z.string().optional(),
});
export type AugmentResult = z.infer<typeof AugmentResult>;

export const BalanceResult = z.looseObject({
  success: z.literal(true).optional(),
  message: z.string().optional(),
  original_distribution: z.record(z.string(), z.number()),
  new_distribution: z.record(z.string(), z.number()),
});
export type BalanceResult = z.infer<typeof BalanceResult>;

export const TrainingStarted = z.looseObject({
  success: z.literal(true),
  message: z.string().optional(),
});

export const TrainingStatus = z.looseObject({
  status: z.string(),
  progress: z.number().default(0),
  /** Per family (`CNN`, `TRANSFORMER`, `TRADITIONAL`): whatever metrics it reports. */
  metrics: z.record(z.string(), z.unknown()).default({}),
  eta: z.number().nullable().optional(),
});
export type TrainingStatus = z.infer<typeof TrainingStatus>;

/** Read by pure functions (lib/audio/performance.ts), which tolerate the shape's variations. */
export const ModelPerformance = z.record(z.string(), z.unknown());
export type ModelPerformance = z.infer<typeof ModelPerformance>;

export interface AugmentInput {
  readonly techniques: Readonly<Record<string, boolean>>;
  readonly factor: number;
  readonly target_classes: readonly string[] | 'all';
}

export interface TrainingInput {
  readonly epochs: number;
  readonly batch_size: number;
  readonly learning_rate: number;
  readonly families: readonly string[];
}

export const DATASET_EXPORT_URL = '/api/dataset/export';

async function call<T>(
  schema: z.ZodType<T>,
  path: string,
  init: RequestInit = {},
  base = '',
): Promise<T> {
  let res: Response;
  try {
    res = await fetch(base + path, {
      ...init,
      headers: { Accept: 'application/json', ...(init.headers ?? {}) },
    });
  } catch {
    throw networkError();
  }
  let payload: unknown;
  try {
    payload = JSON.parse(await res.text()) as unknown;
  } catch {
    payload = undefined;
  }
  const failed =
    typeof payload === 'object' &&
    payload !== null &&
    (payload as { success?: unknown }).success === false;
  if (!res.ok || failed) {
    const said = (payload as { error?: unknown } | undefined)?.error;
    const message =
      typeof said === 'string'
        ? said
        : res.status === 404
          ? `${path} is not available on this server`
          : `${path} failed (HTTP ${res.status})`;
    throw new WorkstationError(
      res.status === 404 ? 'not_found' : 'bad_request',
      message,
      res.status,
    );
  }
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new WorkstationError('bad_response', `${path}: the reply does not match the reference`);
  }
  return parsed.data;
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(body),
});

export const audioPortalClient = {
  classifyFile(file: Blob, filename: string): Promise<ClassifyResult> {
    const form = new FormData();
    form.append('file', file, filename);
    return call(ClassifyResult, '/api/upload', { method: 'POST', body: form });
  },
  augment: (input: AugmentInput): Promise<AugmentResult> =>
    call(AugmentResult, '/api/dataset/augment', json(input)),
  balance: (method: 'oversample' | 'undersample'): Promise<BalanceResult> =>
    call(BalanceResult, '/api/dataset/balance', json({ method })),
  startTraining: (input: TrainingInput) =>
    call(TrainingStarted, '/api/training/start', json(input)),
  trainingStatus: (): Promise<TrainingStatus> => call(TrainingStatus, '/api/training/status'),
  modelPerformance: (): Promise<ModelPerformance> =>
    call(ModelPerformance, '/api/analytics/model-performance'),
};
