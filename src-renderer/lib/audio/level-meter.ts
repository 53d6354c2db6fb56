/** The input level meter's arithmetic: RMS and peak of a chunk in dBFS, and a falling needle. */

export interface Level {
  readonly rmsDb: number;
  readonly peakDb: number;
}

export const SILENCE_DB = -100;

const toDb = (v: number): number => (v > 0 ? Math.max(SILENCE_DB, 20 * Math.log10(v)) : SILENCE_DB);

/** RMS and peak of a chunk; non-finite samples are skipped (they are the server's to refuse). */
export function chunkLevel(chunk: ArrayLike<number>): Level {
  let sum = 0;
  let peak = 0;
  let n = 0;
  for (let i = 0; i < chunk.length; i++) {
    const v = chunk[i]!;
    if (!Number.isFinite(v)) continue;
    sum += v * v;
    peak = Math.max(peak, Math.abs(v));
    n++;
  }
  return { rmsDb: toDb(n === 0 ? 0 : Math.sqrt(sum / n)), peakDb: toDb(peak) };
}

/** Where a dB value sits on a meter from `floorDb` (empty) to 0 dBFS (full), 0…1. */
export function meterFraction(db: number, floorDb = -60): number {
  if (!Number.isFinite(db)) return 0;
  return Math.max(0, Math.min(1, (db - floorDb) / -floorDb));
}

/**
 * The needle: it jumps up to a louder level at once and falls back at `fallDbPerSecond`, as a
 * hardware meter does, so a click is visible for longer than one chunk.
 */
export function fallingLevel(
  shownDb: number,
  newDb: number,
  elapsedSeconds: number,
  fallDbPerSecond = 24,
): number {
  if (newDb >= shownDb) return newDb;
  return Math.max(newDb, shownDb - fallDbPerSecond * Math.max(0, elapsedSeconds));
}

/** Clipping: any sample at or over full scale (within a hair, for 16-bit sources). */
export const isClipping = (level: Level): boolean => level.peakDb > -0.1;
