import { strToU8, zipSync, type Zippable } from 'fflate';
import { AppError } from '../../errors.js';
import { writeFileAtomic } from '../../workspace/atomic-write.js';
import { loadCheckpointModel, readCheckpointFiles } from './checkpoint-model.js';
import { layersArtifactsOf } from './transfer-model.js';
import {
  type ExportFormat,
  type ExportMetadata,
  describeFeatures,
  metricsSummary,
  readme,
} from './export-metadata.js';
import { exportOnnx } from './onnx/export-onnx.js';
import { resolveOnnxOptions } from './onnx/options.js';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['onnx', 'tfjs'];

export interface ExportRequest {
  /** runDir/checkpoints/best or …/last. */
  readonly checkpointDir: string;
  readonly format: string;
  /** Format options as the API received them (ONNX: opset_version, input_shape, …). */
  readonly options?: unknown;
  /** Where the ZIP goes; written atomically, so it exists only when complete. */
  readonly outFile: string;
  readonly now?: () => Date;
}

export interface ExportResult {
  readonly metadata: ExportMetadata;
  readonly bytes: number;
  /** Names of the files inside the ZIP. */
  readonly entries: readonly string[];
}

/**
 * Packages a checkpoint as a ZIP: the model (ONNX or TensorFlow.js layers format), metadata.json
 * and README.md. Bad requests are refused before anything is written: an unknown format or bad
 * options 400, options contradicting the model 422, a missing checkpoint 404.
 */
export async function createExportPackage(req: ExportRequest): Promise<ExportResult> {
  const format = req.format;
  if (format !== 'onnx' && format !== 'tfjs') {
    throw new AppError(
      'bad_request',
      `unknown export format "${format}": choose one of ${EXPORT_FORMATS.join(', ')}`,
    );
  }
  const files = await readCheckpointFiles(req.checkpointDir);
  const { meta } = files;
  const created = (req.now ?? (() => new Date()))().toISOString();
  const common = {
    producer: 'assay' as const,
    created_at: created,
    task: meta.task,
    architecture: meta.architecture,
    classes: meta.classes,
    normalization: meta.normalization,
    feature_pipeline: { ...meta.features, description: describeFeatures(meta.features) },
    metrics: metricsSummary(files.history),
  };
  const outputKind = meta.task === 'regression' ? 'regression' : 'probabilities';
  const outputs = meta.classes.length || 1;
  const zip: Zippable = {};
  let metadata: ExportMetadata;

  if (format === 'onnx') {
    const options = resolveOnnxOptions(req.options, meta.input_shape);
    const model = await loadCheckpointModel(files);
    try {
      const result = exportOnnx(model, options, {
        targetNormalization: meta.target_normalization,
        metadata: { task: meta.task, classes: JSON.stringify(meta.classes) },
      });
      zip['model.onnx'] = [result.bytes, { level: 6 }];
      metadata = {
        ...common,
        format,
        input: { name: 'input', shape: result.inputDims, layout: result.layout, dtype: 'float32' },
        output: { name: 'output', shape: result.outputDims, kind: outputKind },
        target_normalization: meta.target_normalization
          ? { ...meta.target_normalization, in_model: true }
          : null,
        options: {
          opset_version: options.opsetVersion,
          batch: options.batch,
          simplify: options.simplify,
        },
      };
    } finally {
      model.dispose();
    }
  } else {
    if (req.options !== undefined && req.options !== null) {
      const keys = Object.keys(req.options as object);
      if (keys.length) {
        throw new AppError(
          'bad_request',
          `the tfjs format takes no options (got ${keys.join(', ')})`,
        );
      }
    }
    // The checkpoint's model.json is already the layers format; its userDefinedMetadata stays.
    // Flat keys: fflate writes no separate directory entry for them.
    const layers = await layersArtifactsOf(files);
    zip['model/model.json'] = strToU8(JSON.stringify(layers.modelJson));
    zip['model/weights.bin'] = layers.weights;
    const rank3 = meta.input_shape.length === 3;
    metadata = {
      ...common,
      format,
      input: {
        name: 'input',
        shape: [null, ...meta.input_shape],
        layout: rank3 ? 'NHWC' : 'NF',
        dtype: 'float32',
      },
      output: { name: 'output', shape: [null, outputs], kind: outputKind },
      target_normalization: meta.target_normalization
        ? { ...meta.target_normalization, in_model: false }
        : null,
    };
  }
  zip['metadata.json'] = strToU8(`${JSON.stringify(metadata, null, 2)}\n`);
  zip['README.md'] = strToU8(readme(metadata));
  const bytes = zipSync(zip, { level: 6, mtime: new Date(created) });
  await writeFileAtomic(req.outFile, bytes);
  const entries = Object.keys(zip);
  return { metadata, bytes: bytes.byteLength, entries };
}
