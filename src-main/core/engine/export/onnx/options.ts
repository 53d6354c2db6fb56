import { z } from 'zod';
import { AppError } from '../../../errors.js';

/** Opsets the exporter writes (and the ONNX checker of Debian's python3-onnx 1.12 knows). */
export const MIN_OPSET = 13;
export const MAX_OPSET = 17;

const AxisNames = z.record(z.string(), z.string());

/** The section-6 `options` of an ONNX export, as the API receives them (snake_case). */
export const OnnxExportOptionsInput = z
  .object({
    opset_version: z.number().int().optional(),
    input_shape: z.array(z.number().int().nullable()).optional(),
    dynamic_axes: z.record(z.string(), AxisNames).optional(),
    simplify: z.boolean().optional(),
  })
  .strict();
export type OnnxExportOptionsInput = z.infer<typeof OnnxExportOptionsInput>;

export interface OnnxExportOptions {
  readonly opsetVersion: number;
  /** Batch dimension: a fixed size, or the symbolic name of a dynamic one. */
  readonly batch: number | string;
  /** Output batch name when dynamic (defaults to the input's). */
  readonly outputBatch: number | string;
  readonly simplify: boolean;
}

const bad = (message: string): AppError => new AppError('bad_request', message);

/**
 * Checks the options against the model's per-sample input shape (tfjs, channels last) and
 * resolves defaults: opset 17, batch 1 unless made dynamic, no simplification. The ONNX input
 * is NCHW, so `input_shape` reads [N, C, H, W] for image and spectrogram models and [N, F] for
 * feature vectors; N may be null or -1 for a dynamic batch.
 */
export function resolveOnnxOptions(
  raw: unknown,
  sampleShape: readonly number[],
): OnnxExportOptions {
  const parsed = OnnxExportOptionsInput.safeParse(raw ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? `options.${issue.path.join('.')}` : 'options';
    throw new AppError('validation_error', `${where}: ${issue?.message ?? 'invalid'}`);
  }
  const o = parsed.data;
  const opset = o.opset_version ?? MAX_OPSET;
  if (opset < MIN_OPSET || opset > MAX_OPSET) {
    throw bad(
      `opset_version ${opset} is not supported: the ONNX exporter writes opsets ${MIN_OPSET}–${MAX_OPSET}`,
    );
  }

  const expected =
    sampleShape.length === 3 ? [sampleShape[2], sampleShape[0], sampleShape[1]] : [...sampleShape];
  const layout = sampleShape.length === 3 ? ' (NCHW)' : '';
  let batch: number | string = 1;
  if (o.input_shape) {
    const [n, ...rest] = o.input_shape;
    const fits = rest.length === expected.length && rest.every((d, i) => d === expected[i]);
    if (!fits) {
      throw new AppError(
        'unprocessable',
        `input_shape [${o.input_shape.join(', ')}] contradicts the model, whose input is [N, ${expected.join(', ')}]${layout}`,
      );
    }
    if (n === null || n === -1) batch = 'batch_size';
    else if (n !== undefined && n > 0) batch = n;
    else throw bad(`input_shape's batch dimension must be positive, or null/-1 for a dynamic one`);
  }

  let outputBatch: number | string = batch;
  if (o.dynamic_axes) {
    for (const [tensor, axes] of Object.entries(o.dynamic_axes)) {
      if (tensor !== 'input' && tensor !== 'output') {
        throw bad(`dynamic_axes names "${tensor}": the model's tensors are "input" and "output"`);
      }
      for (const [axis, name] of Object.entries(axes)) {
        if (axis !== '0')
          throw bad(`dynamic_axes.${tensor}: only the batch axis (0) can be dynamic`);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
          throw bad(`dynamic_axes.${tensor}.0: "${name}" is not a valid dimension name`);
        }
      }
    }
    const inName = o.dynamic_axes.input?.['0'];
    const outName = o.dynamic_axes.output?.['0'];
    if (outName !== undefined && inName === undefined && typeof batch === 'number') {
      throw bad('dynamic_axes: the output batch can only be dynamic when the input batch is');
    }
    if (inName !== undefined) batch = inName;
    outputBatch = outName ?? batch;
  }
  return { opsetVersion: opset, batch, outputBatch, simplify: o.simplify ?? false };
}

/** The IR version each opset was released with (onnx/helper.py's VERSION_TABLE). */
export function irVersionFor(opset: number): number {
  return opset <= 14 ? 7 : 8;
}
