import type * as tfl from '@tensorflow/tfjs-layers';
import { AppError } from '../../../errors.js';
import type { ActivationFn, LayerGraph, LayerOp, Padding, Weights } from './layer-ir.js';

/** A layer's config as tfjs serialises it: the boundary where its loosely typed JSON enters. */
type Config = Readonly<Record<string, unknown>>;

const unsupported = (what: string): AppError =>
  new AppError('unprocessable', `the ONNX exporter does not support ${what}`);

const pair = (v: unknown, name: string): [number, number] => {
  if (typeof v === 'number') return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every((x) => typeof x === 'number')) {
    return [v[0] as number, v[1] as number];
  }
  throw unsupported(`${name} = ${JSON.stringify(v)}`);
};

function padding(c: Config, layer: string): Padding {
  if (c.padding === 'same' || c.padding === 'valid') return c.padding;
  throw unsupported(`padding "${String(c.padding)}" (layer ${layer})`);
}

function channelsLast(c: Config, layer: string): void {
  if (c.dataFormat !== undefined && c.dataFormat !== 'channelsLast') {
    throw unsupported(`dataFormat ${String(c.dataFormat)} (layer ${layer})`);
  }
}

/** An activation by its tfjs name; null for linear. */
function activationOf(name: unknown, layer: string): ActivationFn | null {
  switch (name) {
    case undefined:
    case null:
    case 'linear':
      return null;
    case 'relu':
    case 'sigmoid':
    case 'tanh':
    case 'softmax':
    case 'elu':
    case 'softplus':
      return { fn: name };
    case 'relu6':
      return { fn: 'clip', max: 6 };
    default:
      throw unsupported(`activation "${String(name)}" (layer ${layer})`);
  }
}

/** The layer's weights by their short name (`kernel`, `bias`, `gamma`, …), copied out. */
function weightsOf(layer: tfl.layers.Layer): Map<string, Weights> {
  const out = new Map<string, Weights>();
  for (const w of layer.weights) {
    const short = w.originalName.split('/').pop() ?? w.originalName;
    out.set(short, {
      data: Float32Array.from(w.read().dataSync()),
      shape: w.shape.map((d) => d ?? 0),
    });
  }
  return out;
}

function sampleShape(shape: readonly (number | null)[], layer: string): number[] {
  const s = shape.slice(1);
  if (s.some((d) => d === null)) throw unsupported(`a dynamic shape (layer ${layer})`);
  return s as number[];
}

/**
 * Reads a tfjs LayersModel (Sequential or functional, one input, one output) into the exporter's
 * op list. Activations fused into conv/dense layers become ops of their own, so a batch norm
 * folds only into a producer that is linear. Unsupported layers are refused (422) by name.
 */
export function readLayers(model: tfl.LayersModel): LayerGraph {
  if (model.inputs.length !== 1) throw unsupported('models with several inputs');
  const input = model.inputs[0] as tfl.SymbolicTensor;
  const shapes = new Map<string, readonly number[]>();
  const known = new Set<string>([String(input.id)]);
  shapes.set(String(input.id), sampleShape(input.shape, 'input'));
  const ops: LayerOp[] = [];
  for (const layer of model.layers) {
    const cls = layer.getClassName();
    if (cls === 'InputLayer') continue;
    const node = layer.inboundNodes.find((n) =>
      n.inputTensors.every((t) => known.has(String(t.id))),
    );
    if (!node || node.outputTensors.length !== 1) throw unsupported(`layer ${layer.name} (${cls})`);
    const inputs = node.inputTensors.map((t) => String(t.id));
    const output = String((node.outputTensors[0] as tfl.SymbolicTensor).id);
    const outShape = sampleShape((node.outputTensors[0] as tfl.SymbolicTensor).shape, layer.name);
    known.add(output);
    shapes.set(output, outShape);
    const added = convertLayer(layer, inputs, output, shapes);
    ops.push(...added.ops);
    for (const [id, s] of added.extraShapes) shapes.set(id, s);
  }
  const out = String((model.outputs[0] as tfl.SymbolicTensor).id);
  // Further outputs (a backbone's taps) are named after the layer that produces them.
  const extraOutputs = model.outputs.slice(1).map((t, i) => ({
    name: t.sourceLayer.name || `output_${i + 1}`,
    tensor: String(t.id),
  }));
  return { input: String(input.id), shapes, ops, output: out, extraOutputs };
}

interface Converted {
  readonly ops: LayerOp[];
  readonly extraShapes: [string, readonly number[]][];
}

function convertLayer(
  layer: tfl.layers.Layer,
  inputs: string[],
  output: string,
  shapes: ReadonlyMap<string, readonly number[]>,
): Converted {
  const cls = layer.getClassName();
  const c = layer.getConfig() as Config;
  const name = layer.name;
  const w = (): Map<string, Weights> => weightsOf(layer);
  const inShape = shapes.get(inputs[0] ?? '') ?? [];
  const outShape = shapes.get(output) ?? [];
  const extraShapes: [string, readonly number[]][] = [];
  /** The layer's main op into a temp tensor, then its fused activation into `output`. */
  const withActivation = (op: LayerOp, act: ActivationFn | null): Converted => {
    if (!act) return { ops: [op], extraShapes };
    const mid = `${output}:pre`;
    extraShapes.push([mid, outShape]);
    return {
      ops: [
        { ...op, output: mid },
        { op: 'activation', name: `${name}_${act.fn}`, inputs: [mid], output, activation: act },
      ],
      extraShapes,
    };
  };
  const one = (op: LayerOp): Converted => ({ ops: [op], extraShapes });
  const base = { name, inputs, output };

  switch (cls) {
    case 'Conv2D':
    case 'DepthwiseConv2D':
    case 'SeparableConv2D': {
      channelsLast(c, name);
      const ws = w();
      const conv = {
        strides: pair(c.strides, 'strides'),
        dilations: pair(c.dilationRate ?? 1, 'dilationRate'),
        padding: padding(c, name),
      };
      const bias = ws.get('bias')?.data ?? null;
      const act = activationOf(c.activation, name);
      if (cls === 'Conv2D') {
        const kernel = ws.get('kernel');
        if (!kernel) throw unsupported(`${name} without a kernel`);
        return withActivation({ ...base, op: 'conv', kernel, bias, ...conv }, act);
      }
      const depthwise = ws.get('depthwise_kernel');
      if (!depthwise) throw unsupported(`${name} without a depthwise kernel`);
      if (cls === 'DepthwiseConv2D') {
        return withActivation({ ...base, op: 'depthwise', kernel: depthwise, bias, ...conv }, act);
      }
      // Separable = depthwise (no bias) then a 1×1 convolution with the bias and activation.
      const pointwise = ws.get('pointwise_kernel');
      if (!pointwise) throw unsupported(`${name} without a pointwise kernel`);
      const mid = `${output}:dw`;
      const [oh, ow] = outShape as [number, number, number];
      extraShapes.push([mid, [oh, ow, depthwise.shape[2]! * depthwise.shape[3]!]]);
      const dw: LayerOp = {
        ...base,
        output: mid,
        op: 'depthwise',
        kernel: depthwise,
        bias: null,
        ...conv,
      };
      const pw = withActivation(
        {
          ...base,
          name: `${name}_pointwise`,
          inputs: [mid],
          op: 'conv',
          kernel: pointwise,
          bias,
          strides: [1, 1],
          dilations: [1, 1],
          padding: 'valid',
        },
        act,
      );
      return { ops: [dw, ...pw.ops], extraShapes };
    }
    case 'Dense': {
      const ws = w();
      const kernel = ws.get('kernel');
      if (!kernel) throw unsupported(`${name} without a kernel`);
      const op: LayerOp = { ...base, op: 'dense', kernel, bias: ws.get('bias')?.data ?? null };
      return withActivation(op, activationOf(c.activation, name));
    }
    case 'BatchNormalization': {
      const axis = c.axis as number;
      if (axis !== -1 && axis !== inShape.length) throw unsupported(`batch norm over axis ${axis}`);
      const ws = w();
      const channels = inShape[inShape.length - 1] as number;
      const fill = (v: number): Float32Array => new Float32Array(channels).fill(v);
      const mean = ws.get('moving_mean')?.data;
      const variance = ws.get('moving_variance')?.data;
      if (!mean || !variance) throw unsupported(`${name} without moving statistics`);
      return one({
        ...base,
        op: 'batchnorm',
        gamma: ws.get('gamma')?.data ?? fill(1),
        beta: ws.get('beta')?.data ?? fill(0),
        mean,
        variance,
        epsilon: c.epsilon as number,
      });
    }
    case 'Activation': {
      const act = activationOf(c.activation, name);
      return one(
        act ? { ...base, op: 'activation', activation: act } : { ...base, op: 'identity' },
      );
    }
    case 'ReLU': {
      const max = c.maxValue as number | null | undefined;
      const act: ActivationFn = max == null ? { fn: 'relu' } : { fn: 'clip', max };
      return one({ ...base, op: 'activation', activation: act });
    }
    case 'LeakyReLU':
      return one({
        ...base,
        op: 'activation',
        activation: { fn: 'leaky_relu', alpha: c.alpha as number },
      });
    case 'Softmax': {
      if (c.axis !== -1 && c.axis !== inShape.length)
        throw unsupported(`softmax over axis ${String(c.axis)}`);
      return one({ ...base, op: 'activation', activation: { fn: 'softmax' } });
    }
    case 'MaxPooling2D':
    case 'AveragePooling2D': {
      channelsLast(c, name);
      const size = pair(c.poolSize, 'poolSize');
      return one({
        ...base,
        op: cls === 'MaxPooling2D' ? 'maxpool' : 'avgpool',
        size,
        strides: c.strides == null ? size : pair(c.strides, 'strides'),
        padding: padding(c, name),
      });
    }
    case 'GlobalAveragePooling2D':
      channelsLast(c, name);
      return one({ ...base, op: 'gap2d' });
    case 'GlobalAveragePooling1D':
      return one({ ...base, op: 'gap1d' });
    case 'Flatten':
      return one({ ...base, op: 'flatten', order: 'hwc' });
    case 'Dropout':
    case 'SpatialDropout1D':
      return one({ ...base, op: 'dropout', rate: c.rate as number });
    case 'Reshape':
      return one({ ...base, op: 'reshape', target: c.targetShape as number[] });
    case 'Permute':
      return one({ ...base, op: 'permute', dims: c.dims as number[] });
    case 'Add':
      return one({ ...base, op: 'add' });
    case 'ZeroPadding2D': {
      channelsLast(c, name);
      // Keras writes padding as n, [h, w] or [[top, bottom], [left, right]].
      const p = c.padding;
      const nested = Array.isArray(p) && p.length === 2 && p.every(Array.isArray);
      const [h, wd] = nested ? (p as unknown[]) : [pair(p, 'padding')[0], pair(p, 'padding')[1]];
      const pads = [...pair(h, 'padding'), ...pair(wd, 'padding')] as [
        number,
        number,
        number,
        number,
      ];
      return one({ ...base, op: 'pad', pads });
    }
    case 'Concatenate':
      return one({ ...base, op: 'concat', axis: (c.axis as number | undefined) ?? -1 });
    default:
      throw unsupported(`layer ${name} (${cls})`);
  }
}
