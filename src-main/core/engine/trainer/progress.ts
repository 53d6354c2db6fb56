import type { RunProgress } from '../../../../src-shared/contract/training.js';

/** At most this often a `progress` event during an epoch (about 4 per second). */
const INTERVAL_MS = 250;

/** Progress events, throttled within a phase; a phase change is always reported. */
export class ProgressReporter {
  private last = 0;
  private current: RunProgress;

  constructor(
    private readonly send: (p: RunProgress) => void,
    private readonly epochs: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    this.current = {
      epoch: 0,
      epochs,
      batch: 0,
      batches: 0,
      samples_per_second: 0,
      eta_seconds: null,
      phase: 'preparing',
    };
  }

  phase(phase: RunProgress['phase'], epoch: number, batches = this.current.batches): void {
    this.current = {
      ...this.current,
      phase,
      epoch,
      batches,
      batch: phase === 'training' && epoch !== this.current.epoch ? 0 : this.current.batch,
      ...(phase === 'done' ? { eta_seconds: 0 } : {}),
    };
    this.flush();
  }

  /** Feature extraction: `batch`/`batches` count items. */
  preparing(done: number, total: number): void {
    this.current = { ...this.current, phase: 'preparing', batch: done, batches: total };
    this.maybeFlush(done === total);
  }

  training(
    epoch: number,
    batch: number,
    batches: number,
    samplesPerSecond: number,
    eta: number,
  ): void {
    this.current = {
      epoch,
      epochs: this.epochs,
      batch,
      batches,
      samples_per_second: Math.round(samplesPerSecond * 10) / 10,
      eta_seconds: Number.isFinite(eta) ? Math.round(eta) : null,
      phase: 'training',
    };
    this.maybeFlush(false);
  }

  private maybeFlush(force: boolean): void {
    if (force || this.now() - this.last >= INTERVAL_MS) this.flush();
  }

  private flush(): void {
    this.last = this.now();
    this.send({ ...this.current });
  }
}
