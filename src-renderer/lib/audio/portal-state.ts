import type { Project } from '../../../src-shared/contract/projects.js';

/**
 * Whether `GET /api/training/status` proves the portal has trained models: its last training
 * completed. Any other state (idle, training, failed) leaves it open, since an earlier training
 * may have left models; the store then asks the analytics endpoint, which answers 404 without.
 */
export const modelReadyFrom = (status: { readonly status: string }): boolean =>
  status.status === 'completed';

/** Training states in which progress still moves (the status's `training`). */
export const isTrainingActive = (status: string): boolean => status === 'training';

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
