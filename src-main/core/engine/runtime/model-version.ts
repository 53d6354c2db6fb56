import type { Task } from '../../../../src-shared/contract/projects.js';
import type { ModelMeta } from '../trainer/checkpoint.js';
import type { Dims } from './onnx-inspect.js';

/** What a model's output means, which decides how predictions are read. */
export type ModelKind = 'classifier' | 'regressor' | 'detector' | 'raw';

/**
 * One runnable model: an ONNX file plus what it takes to feed it and read it. Trained models are
 * exported from a checkpoint; imported ones are ONNX files a user brought (their preprocessing is
 * declared at import, or guessed from the input shape).
 */
export interface ModelVersion {
  /** `mv-` + 8 hex. */
  readonly id: string;
  readonly name: string;
  readonly source: 'trained' | 'imported';
  readonly created_at: string;
  /** sha256 of model.onnx: with the id, the session cache key (a replaced file is a new session). */
  readonly sha256: string;
  readonly onnx_path: string;
  readonly task: Task | null;
  readonly kind: ModelKind;
  /** Output index → class name (classifiers, detectors); empty otherwise. */
  readonly classes: readonly string[];
  readonly input: {
    readonly name: string;
    readonly dims: Dims;
    /** NCHW/NHWC: 4-D image-like input; NF: a feature vector per sample. */
    readonly layout: 'NCHW' | 'NHWC' | 'NF';
  };
  readonly output: { readonly name: string; readonly dims: Dims };
  /** How a file becomes the model's input; null when callers pass feature tensors. */
  readonly features: ModelMeta['features'] | null;
  readonly normalization: ModelMeta['normalization'];
  /** Where a trained version came from. */
  readonly origin: {
    readonly run_id: string | null;
    readonly checkpoint: string | null;
    /** The checkpoint's model + weights hash: a retrained checkpoint is exported again. */
    readonly checkpoint_sha256?: string;
    /** Largest |TensorFlow.js − onnxruntime| the export's parity check saw. */
    readonly parity_max_diff?: number;
  } | null;
}

export interface ImportOptions {
  readonly name?: string;
  readonly task?: Task | null;
  readonly kind?: ModelKind;
  readonly classes?: readonly string[];
  readonly features?: ModelMeta['features'] | null;
  readonly normalization?: ModelMeta['normalization'];
  readonly layout?: 'NCHW' | 'NHWC' | 'NF';
}

export interface RegisterCheckpointOptions {
  readonly name?: string;
  readonly runId?: string | null;
  readonly checkpoint?: string | null;
}

/** The model versions inference can use (trained in Assay or imported). */
export interface ModelRegistry {
  list(): Promise<readonly ModelVersion[]>;
  /** AppError not_found when unknown. */
  get(id: string): Promise<ModelVersion>;
  /**
   * Exports a checkpoint to ONNX (dynamic batch, simplified), checks it against TensorFlow.js
   * (422 when they differ) and registers it.
   */
  registerCheckpoint(
    checkpointDir: string,
    opts?: RegisterCheckpointOptions,
  ): Promise<ModelVersion>;
  /** Copies an ONNX file in: 415 when it is not ONNX, 422 when onnxruntime cannot load it. */
  importOnnx(filePath: string, opts?: ImportOptions): Promise<ModelVersion>;
  remove(id: string): Promise<void>;
}
