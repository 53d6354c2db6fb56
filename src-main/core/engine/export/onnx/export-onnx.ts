import type * as tfl from '@tensorflow/tfjs-layers';
import { writeFileAtomic } from '../../../workspace/atomic-write.js';
import { loadCheckpointModel, readCheckpointFiles } from '../checkpoint-model.js';
import { emitGraph } from './emit.js';
import type { LayerGraph } from './layer-ir.js';
import { type Dim, type ValueInfoProto, encodeModel } from './onnx-proto.js';
import { OnnxGraph } from './onnx-graph.js';
import { type OnnxExportOptions, irVersionFor, resolveOnnxOptions } from './options.js';
import { readLayers } from './read-layers.js';
import { simplifyGraph } from './simplify.js';

export interface OnnxExtras {
  /** Regression: the model predicts (y − mean)/std; the export appends y = out·std + mean. */
  readonly targetNormalization?: { readonly mean: number; readonly std: number } | null;
  /** Written into the model's metadata_props (string values). */
  readonly metadata?: Readonly<Record<string, string>>;
  readonly graphName?: string;
}

export interface OnnxExportResult {
  readonly bytes: Uint8Array;
  /** ONNX dims of `input` (NCHW for images and spectrograms) and `output`; strings are dynamic. */
  readonly inputDims: readonly (number | string)[];
  readonly outputDims: readonly (number | string)[];
  readonly layout: 'NCHW' | 'NF';
  readonly nodes: number;
}

const dims = (ds: readonly (number | string)[]): Dim[] =>
  ds.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));

const valueInfo = (name: string, ds: readonly (number | string)[]): ValueInfoProto => ({
  name,
  type: { tensorType: { elemType: 1, shape: { dim: dims(ds) } } },
});

/** Appends y = x·std + mean over the output's last axis (simplify folds it into the dense layer). */
function withTargetScale(graph: LayerGraph, t: { mean: number; std: number }): LayerGraph {
  const shape = graph.shapes.get(graph.output) ?? [];
  const n = shape[shape.length - 1] as number;
  const output = `${graph.output}:denormalised`;
  const shapes = new Map(graph.shapes);
  shapes.set(output, shape);
  return {
    ...graph,
    shapes,
    output,
    ops: [
      ...graph.ops,
      {
        op: 'affine',
        name: 'target_denormalize',
        inputs: [graph.output],
        output,
        scale: new Float32Array(n).fill(t.std),
        shift: new Float32Array(n).fill(t.mean),
      },
    ],
  };
}

/**
 * Converts a tfjs layers model to an ONNX ModelProto: graph input `input`, output `output`,
 * NCHW input for 3-D samples (see emit.ts for the layout rule), float32 throughout.
 */
export function exportOnnx(
  model: tfl.LayersModel,
  options: OnnxExportOptions,
  extras: OnnxExtras = {},
): OnnxExportResult {
  let graph = readLayers(model);
  if (extras.targetNormalization) graph = withTargetScale(graph, extras.targetNormalization);
  if (options.simplify) graph = simplifyGraph(graph);
  const g = new OnnxGraph();
  for (const e of graph.extraOutputs ?? []) g.reserve(e.name);
  const { output, extraOutputs } = emitGraph(graph, g);
  if (!g.renameOutput(output.name, 'output'))
    g.nodes.push({
      name: g.unique('output_identity'),
      opType: 'Identity',
      input: [output.name],
      output: ['output'],
      attribute: [],
    });

  const sample = graph.shapes.get(graph.input) ?? [];
  const inputDims = [
    options.batch,
    ...(sample.length === 3 ? [sample[2], sample[0], sample[1]] : sample),
  ] as (number | string)[];
  const outputDims = [options.outputBatch, ...output.shape];
  // Taps leave the graph channels last (tfjs' layout), under their layer names.
  const tapOutputs = extraOutputs.map((e) => {
    if (!g.renameOutput(e.value.name, e.name)) {
      g.nodes.push({
        name: `${e.name}_identity`,
        opType: 'Identity',
        input: [e.value.name],
        output: [e.name],
        attribute: [],
      });
    }
    return valueInfo(e.name, [options.outputBatch, ...e.value.shape]);
  });
  const bytes = encodeModel({
    irVersion: irVersionFor(options.opsetVersion),
    opsetImport: [{ domain: '', version: options.opsetVersion }],
    producerName: 'assay',
    producerVersion: '0.1.0',
    docString: 'Exported by Assay from a TensorFlow.js layers model',
    graph: {
      name: extras.graphName ?? model.name,
      node: g.nodes,
      initializer: g.initializers,
      input: [valueInfo('input', inputDims)],
      output: [valueInfo('output', outputDims), ...tapOutputs],
    },
    metadataProps: Object.entries(extras.metadata ?? {}).map(([key, value]) => ({ key, value })),
  });
  return {
    bytes,
    inputDims,
    outputDims,
    layout: sample.length === 3 ? 'NCHW' : 'NF',
    nodes: g.nodes.length,
  };
}

/**
 * Exports a checkpoint folder to an ONNX file, written atomically (nothing is left at `outFile`
 * unless the whole model was written). Options are checked before any work: AppError 4xx.
 */
export async function exportCheckpointToOnnx(
  checkpointDir: string,
  outFile: string,
  rawOptions: unknown,
): Promise<OnnxExportResult & { readonly options: OnnxExportOptions }> {
  const files = await readCheckpointFiles(checkpointDir);
  const options = resolveOnnxOptions(rawOptions, files.meta.input_shape);
  const model = await loadCheckpointModel(files);
  try {
    const result = exportOnnx(model, options, {
      targetNormalization: files.meta.target_normalization,
      metadata: {
        task: files.meta.task,
        architecture: files.meta.architecture,
        classes: JSON.stringify(files.meta.classes),
        normalization: JSON.stringify(files.meta.normalization),
        features: JSON.stringify(files.meta.features),
      },
    });
    await writeFileAtomic(outFile, result.bytes);
    return { ...result, options };
  } finally {
    model.dispose();
  }
}
