import type { EpochMetrics } from '../../../../src-shared/contract/training.js';
import type { ModelMeta } from '../trainer/checkpoint.js';

export type ExportFormat = 'onnx' | 'tfjs';

/** metadata.json inside every export ZIP: what a consumer needs to feed the model and read it. */
export interface ExportMetadata {
  readonly format: ExportFormat;
  readonly producer: 'assay';
  readonly created_at: string;
  readonly task: ModelMeta['task'];
  readonly architecture: ModelMeta['architecture'];
  /** Class names by output index; empty for regression. */
  readonly classes: readonly string[];
  readonly input: {
    readonly name: string;
    /** null or a name: a dynamic dimension. */
    readonly shape: readonly (number | string | null)[];
    readonly layout: 'NCHW' | 'NHWC' | 'NF';
    readonly dtype: 'float32';
  };
  readonly output: {
    readonly name: string;
    readonly shape: readonly (number | string | null)[];
    readonly kind: 'probabilities' | 'regression';
  };
  /** Applied to extracted features before the model: x' = (x − mean) / std. */
  readonly normalization: ModelMeta['normalization'];
  /** Regression: y = out·std + mean; `in_model` says whether the export already applies it. */
  readonly target_normalization:
    (NonNullable<ModelMeta['target_normalization']> & { readonly in_model: boolean }) | null;
  readonly feature_pipeline: ModelMeta['features'] & { readonly description: string };
  readonly metrics: {
    readonly epochs: number;
    readonly last: EpochMetrics | null;
    readonly best: EpochMetrics | null;
  };
  readonly options?: Readonly<Record<string, unknown>>;
}

export function describeFeatures(f: ModelMeta['features']): string {
  switch (f.kind) {
    case 'image':
      return `Decode the image (EXIF orientation applied, alpha dropped), resize to ${f.input.width}×${f.input.height} (fill, no crop), ${f.input.channels === 1 ? 'greyscale' : 'RGB'}, float32 in [0, 1], channels last [h, w, c].`;
    case 'audio':
      return `Decode, mix to mono, resample to ${f.input.sample_rate} Hz, pad or crop to ${f.input.clip_seconds} s; HTK log-mel spectrogram: ${f.input.n_mels} mels, ${f.input.window_ms} ms Hann window, ${f.input.hop_ms} ms hop, ln(power + 1e-6); shape [frames, mels, 1].`;
    case 'speech-embedding':
      return `Decode, mix to mono, resample to 16000 Hz, pad or crop to ${f.input.clip_seconds} s; openWakeWord's melspectrogram.onnx run per 1280-sample step with 480 samples of context on int16-scale samples, frames rescaled x/10 + 2 into a buffer starting as 76 frames of ones, then embedding_model.onnx on the last 76 frames at every step: shape [steps, 96, 1].`;
    case 'table':
      return `One row's columns ${f.columns.join(', ')} as float32, in that order (target column: ${f.target}).`;
  }
}

/** The best epoch by the run's monitored metric is not known here: the lowest val_loss stands in. */
export function metricsSummary(history: readonly EpochMetrics[]): ExportMetadata['metrics'] {
  const last = history.at(-1) ?? null;
  let best: EpochMetrics | null = null;
  for (const e of history) {
    const v = e.val_loss ?? e.loss;
    const b = best ? (best.val_loss ?? best.loss) : null;
    if (typeof v === 'number' && (b === null || (typeof b === 'number' && v < b))) best = e;
  }
  return { epochs: history.length, last, best };
}

export function readme(m: ExportMetadata): string {
  const files =
    m.format === 'onnx'
      ? '- `model.onnx` — the model (ONNX, float32).'
      : '- `model/model.json`, `model/weights.bin` — the model in the TensorFlow.js layers format\n  (`tf.loadLayersModel("file://…/model/model.json")`).';
  const load =
    m.format === 'onnx'
      ? "```js\nconst session = await ort.InferenceSession.create('model.onnx');\nconst { output } = await session.run({ input: new ort.Tensor('float32', x, " +
        JSON.stringify(m.input.shape.map((d) => (typeof d === 'number' ? d : 1))) +
        ') });\n```'
      : "```js\nconst model = await tf.loadLayersModel('file://model/model.json');\nconst y = model.predict(tf.tensor(x, " +
        JSON.stringify(m.input.shape.map((d) => (typeof d === 'number' ? d : 1))) +
        '));\n```';
  const target = m.target_normalization
    ? m.target_normalization.in_model
      ? `The output is in the target's units (de-normalisation y = out·${m.target_normalization.std} + ${m.target_normalization.mean} is inside the model).`
      : `De-normalise the output: y = out·${m.target_normalization.std} + ${m.target_normalization.mean}.`
    : m.classes.length
      ? `The output holds one probability per class, in the order of \`classes\` in metadata.json: ${m.classes.join(', ')}.`
      : '';
  return `# ${m.architecture} (${m.task}) — exported by Assay

Files:
${files}
- \`metadata.json\` — classes, input and output shapes, feature pipeline, normalisation, metrics.

Input \`${m.input.name}\`: float32 ${JSON.stringify(m.input.shape)} (${m.input.layout}; a string or
null is a dynamic batch). Prepare each item as the training did:
${m.feature_pipeline.description}
Then normalise: x' = (x − mean) / std with ${JSON.stringify(m.normalization)}.${m.input.layout === 'NCHW' ? '\nThe ONNX model is channels first: transpose [h, w, c] features to [c, h, w].' : ''}

Output \`${m.output.name}\`: ${JSON.stringify(m.output.shape)}. ${target}

${load}
`;
}
