/**
 * What data-parallel training needs from a model, and the shared-memory layout between the
 * training thread and its helpers (see data-parallel.ts).
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { ConcreteBackend } from './packages.js';

/** Samples back to back (x), one label or target each (y). */
export interface PartBatch {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly size: number;
}

/** A model as data-parallel training sees it. Every replica lists the same variables in the same order. */
export interface Replica {
  readonly vars: readonly tf.Variable[];
  /** Per-sample input shape, e.g. [28, 28, 1]. */
  readonly inputShape: readonly number[];
  /**
   * Gradients of the MEAN loss over `part` (in `vars` order) and up to 8 metric SUMS over it,
   * read back. `seed` seeds this part's randomness (dropout masks).
   */
  gradients(part: PartBatch, seed: number): { grads: tf.Tensor[]; sums: Float32Array };
}

/** A module helpers import: `export async function createReplica(args): Promise<Replica>`. */
export interface ReplicaSpec {
  readonly module: string;
  readonly args: unknown;
}

/** Indexes into the Int32Array control block of one helper. */
export const CTRL = {
  /** Sequence number of the last request (the training thread increments it). */
  request: 0,
  /** Sequence number of the last finished request (the helper sets it; −1: helper gone). */
  done: 1,
  /** 0 ok, 1 the last request failed. */
  status: 2,
  /** Samples in this request's part. */
  size: 3,
  seed: 4,
  command: 5,
  length: 8,
} as const;

export const Command = { step: 1, stop: 2 } as const;

export interface HelperData {
  readonly backend: ConcreteBackend;
  readonly replica: ReplicaSpec;
  readonly varShapes: readonly (readonly number[])[];
  readonly weights: SharedArrayBuffer;
  readonly ctrl: SharedArrayBuffer;
  readonly x: SharedArrayBuffer;
  readonly y: SharedArrayBuffer;
  readonly grads: SharedArrayBuffer;
  readonly sums: SharedArrayBuffer;
}
