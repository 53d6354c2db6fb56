import type { Project } from '../../../src-shared/contract/projects.js';

/** Training states after which the three families are there to classify with. */
const TRAINED = new Set(['completed', 'complete', 'done', 'trained', 'finished']);

/**
 * Whether the portal has trained models, from `GET /api/training/status`: a finished run, or a
 * status that says models are loaded (a later run may be going on over earlier models).
 */
export function modelReadyFrom(status: {
  readonly status: string;
  readonly [key: string]: unknown;
}): boolean {
  if (TRAINED.has(status.status.toLowerCase())) return true;
  return status.models_loaded === true || status.models_ready === true;
}

/** Training states in which progress still moves. */
export const isTrainingActive = (status: string): boolean =>
  ['running', 'training', 'queued', 'pending', 'starting'].includes(status.toLowerCase());

/**
 * The portal's default project among the workspace's projects: the one the family made
 * ("Audio portal", audio-classification); the first audio-classification project otherwise.
 */
export function portalProjectOf(projects: readonly Project[]): Project | null {
  const audio = projects.filter((p) => p.task === 'audio-classification');
  return audio.find((p) => p.name === 'Audio portal') ?? audio[0] ?? null;
}

/** "1 min 05 s left" style ETA for seconds, or null when unknown. */
export function etaText(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) {
    return null;
  }
  const s = Math.round(seconds);
  if (s < 60) return `${s} s left`;
  const m = Math.floor(s / 60);
  return `${m} min ${String(s % 60).padStart(2, '0')} s left`;
}
