import type { AudioFamily } from '../classifier.js';
import type { AudioFormat } from '../../media/sniff.js';
import type { Scores } from './metrics.js';

/** What the training thread is given (workerData): every clip with its class and split subset. */
export interface TrainRequest {
  readonly outDir: string;
  readonly classes: readonly string[];
  readonly families: readonly AudioFamily[];
  readonly epochs: number;
  readonly batchSize: number;
  readonly learningRate: number;
  readonly seed: number;
  readonly maxAudioSeconds: number;
  readonly trainedAt: string;
  readonly clips: readonly {
    readonly file: string;
    readonly format: AudioFormat;
    readonly label: number;
    readonly subset: 'train' | 'val' | 'test';
  }[];
}

/** Per family, as training goes: the last epoch's numbers. */
export interface FamilyProgress {
  readonly status: 'waiting' | 'training' | 'done';
  readonly epoch: number;
  readonly epochs: number;
  readonly loss: number | null;
  readonly accuracy: number | null;
  readonly val_loss: number | null;
  readonly val_accuracy: number | null;
}

/** performance.json: the test-split scores of the last training. */
export interface Performance {
  readonly trained_at: string;
  readonly evaluated_on: 'test' | 'val';
  readonly classes: readonly string[];
  readonly clips: number;
  readonly families: Partial<Record<AudioFamily, Scores>>;
  readonly vote: Scores;
  readonly weights: Partial<Record<AudioFamily, number>>;
  /** `"CNN/TRANSFORMER"` → share of clips on which both chose the same class. */
  readonly agreement: Record<string, number>;
  readonly training: Partial<Record<AudioFamily, FamilyProgress>>;
}

export type TrainMessage =
  | {
      readonly type: 'progress';
      readonly done: number;
      readonly total: number;
      readonly message: string;
      readonly families: Partial<Record<AudioFamily, FamilyProgress>>;
    }
  | { readonly type: 'done'; readonly performance: Performance }
  | { readonly type: 'error'; readonly message: string; readonly expected: boolean };
