import { assertNever } from '../../../errors.js';
import type { ActivationFn, LayerGraph, LayerOp } from './layer-ir.js';
import { type OnnxGraph, padsFor, transposeData } from './onnx-graph.js';
import { attr } from './onnx-proto.js';

/**
 * Layout: tfjs is channels last (NHWC), ONNX's Conv and pooling are channels first (NCHW). The
 * exported model takes NCHW input (ONNX's and PyTorch's convention, and what an `input_shape`
 * like [1, 3, 224, 224] means) and keeps 4-D tensors NCHW through convolutions, batch norm and
 * pooling. Ops whose meaning depends on axis order in tfjs (flatten, dense on 4-D, reshape,
 * permute, softmax, concat over a non-channel axis) get a Transpose back to NHWC first, so every
 * op computes exactly what the tfjs layer did. Each tensor's current layout is tracked and a
 * conversion is emitted at most once per tensor.
 */
type Layout = 'nchw' | 'plain';

interface Value {
  readonly name: string;
  readonly layout: Layout;
  /** tfjs per-sample shape (channels last), whatever the layout. */
  readonly shape: readonly number[];
}

export function emitGraph(
  graph: LayerGraph,
  g: OnnxGraph,
): { output: Value; extraOutputs: { name: string; value: Value }[] } {
  const values = new Map<string, Value>();
  const converted = new Map<string, Value>();
  const inShape = graph.shapes.get(graph.input) ?? [];
  values.set(graph.input, {
    name: 'input',
    layout: inShape.length === 3 ? 'nchw' : 'plain',
    shape: inShape,
  });

  const as = (v: Value, layout: Layout): Value => {
    if (v.layout === layout || v.shape.length !== 3) return { ...v, layout: v.layout };
    const key = `${v.name}|${layout}`;
    const hit = converted.get(key);
    if (hit) return hit;
    const perm = layout === 'nchw' ? [0, 3, 1, 2] : [0, 2, 3, 1];
    const name = g.node('Transpose', `${v.name}_to_${layout}`, [v.name], [attr.ints('perm', perm)]);
    const out = { name, layout, shape: v.shape };
    converted.set(key, out);
    return out;
  };
  const get = (id: string): Value => {
    const v = values.get(id);
    if (!v) throw new Error(`invariant failed: tensor ${id} used before it is produced`);
    return v;
  };

  for (const op of graph.ops) {
    const shape = graph.shapes.get(op.output) ?? [];
    const inputs = op.inputs.map(get);
    const x = inputs[0] as Value;
    const emitted = emitOp(op, x, inputs, shape, g, as);
    values.set(op.output, emitted);
  }
  return {
    output: as(get(graph.output), 'plain'),
    extraOutputs: (graph.extraOutputs ?? []).map((e) => ({
      name: e.name,
      value: as(get(e.tensor), 'plain'),
    })),
  };
}

type As = (v: Value, layout: Layout) => Value;

function emitOp(
  op: LayerOp,
  x: Value,
  inputs: readonly Value[],
  shape: readonly number[],
  g: OnnxGraph,
  as: As,
): Value {
  const out = (name: string, layout: Layout): Value => ({ name, layout, shape });
  switch (op.op) {
    case 'conv':
    case 'depthwise': {
      const v = as(x, 'nchw');
      const [kh, kw, cin, cout] = op.kernel.shape as [number, number, number, number];
      // conv [kh, kw, in, out] → [out, in, kh, kw]; depthwise [kh, kw, in, mult] → [in·mult, 1, kh, kw]
      // (tfjs' depthwise output channel i·mult + m is ONNX's group i, filter m).
      const perm = op.op === 'conv' ? [3, 2, 0, 1] : [2, 3, 0, 1];
      const t = transposeData(op.kernel.data, op.kernel.shape, perm);
      const dims = op.op === 'conv' ? [cout, cin, kh, kw] : [cin * cout, 1, kh, kw];
      const w = g.constFloat(`${op.name}_W`, t.data, dims);
      const ins = [v.name, w];
      if (op.bias) ins.push(g.constFloat(`${op.name}_B`, op.bias, [op.bias.length]));
      const [h, wd] = x.shape as [number, number, number];
      const [ph0, ph1] = padsFor(h, kh, op.strides[0], op.dilations[0], op.padding);
      const [pw0, pw1] = padsFor(wd, kw, op.strides[1], op.dilations[1], op.padding);
      const name = g.node('Conv', op.name, ins, [
        attr.ints('kernel_shape', [kh, kw]),
        attr.ints('strides', op.strides),
        attr.ints('dilations', op.dilations),
        attr.ints('pads', [ph0, pw0, ph1, pw1]),
        attr.int('group', op.op === 'conv' ? 1 : cin),
      ]);
      return out(name, 'nchw');
    }
    case 'dense': {
      const v = as(x, 'plain');
      const w = g.constFloat(`${op.name}_W`, op.kernel.data, op.kernel.shape);
      const b = op.bias ? g.constFloat(`${op.name}_B`, op.bias, [op.bias.length]) : null;
      if (x.shape.length === 1) {
        return out(g.node('Gemm', op.name, b ? [v.name, w, b] : [v.name, w]), 'plain');
      }
      const mm = g.node('MatMul', b ? `${op.name}_matmul` : op.name, [v.name, w]);
      return out(b ? g.node('Add', op.name, [mm, b]) : mm, 'plain');
    }
    case 'batchnorm': {
      if (x.shape.length === 2) {
        // [N, steps, C]: ONNX BatchNormalization normalises axis 1, so write it as x·s + t.
        return emitAffine(op.name, x, bnAffine(op), shape, g);
      }
      const v = as(x, 'nchw');
      const c = op.gamma.length;
      const ins = [
        v.name,
        g.constFloat(`${op.name}_scale`, op.gamma, [c]),
        g.constFloat(`${op.name}_bias`, op.beta, [c]),
        g.constFloat(`${op.name}_mean`, op.mean, [c]),
        g.constFloat(`${op.name}_var`, op.variance, [c]),
      ];
      const name = g.node('BatchNormalization', op.name, ins, [attr.float('epsilon', op.epsilon)]);
      return out(name, v.layout);
    }
    case 'affine':
      return emitAffine(op.name, x, op, shape, g);
    case 'activation':
      return emitActivation(op.name, op.activation, x, shape, g, as);
    case 'maxpool':
    case 'avgpool': {
      const v = as(x, 'nchw');
      const [h, w] = x.shape as [number, number, number];
      const [ph0, ph1] = padsFor(h, op.size[0], op.strides[0], 1, op.padding);
      const [pw0, pw1] = padsFor(w, op.size[1], op.strides[1], 1, op.padding);
      // AveragePool's count_include_pad defaults to 0: padding is left out of the mean, as in tfjs.
      const name = g.node(
        op.op === 'maxpool' ? 'MaxPool' : 'AveragePool',
        op.name,
        [v.name],
        [
          attr.ints('kernel_shape', op.size),
          attr.ints('strides', op.strides),
          attr.ints('pads', [ph0, pw0, ph1, pw1]),
        ],
      );
      return out(name, 'nchw');
    }
    case 'gap2d': {
      const v = as(x, 'nchw');
      const pooled = g.node('GlobalAveragePool', `${op.name}_pool`, [v.name]);
      return out(g.node('Flatten', op.name, [pooled], [attr.int('axis', 1)]), 'plain');
    }
    case 'gap1d':
      return out(
        g.node('ReduceMean', op.name, [x.name], [attr.ints('axes', [1]), attr.int('keepdims', 0)]),
        'plain',
      );
    case 'flatten': {
      const [h, w, c] = x.shape as [number, number, number];
      // With one channel, or one pixel, both layouts hold the values in the same order.
      const sameOrder = x.shape.length === 3 && (c === 1 || h * w === 1);
      const src = op.order === 'chw' ? as(x, 'nchw') : sameOrder ? x : as(x, 'plain');
      return out(g.node('Flatten', op.name, [src.name], [attr.int('axis', 1)]), 'plain');
    }
    case 'dropout': {
      const ratio = g.constFloat(`${op.name}_ratio`, Float32Array.of(op.rate), []);
      return out(g.node('Dropout', op.name, [x.name, ratio]), x.layout);
    }
    case 'identity':
      return out(g.node('Identity', op.name, [x.name]), x.layout);
    case 'reshape': {
      const v = as(x, 'plain');
      const target = g.constInt64(`${op.name}_shape`, [0, ...op.target]);
      return out(g.node('Reshape', op.name, [v.name, target]), 'plain');
    }
    case 'permute': {
      const v = as(x, 'plain');
      const perm = [0, ...op.dims];
      return out(g.node('Transpose', op.name, [v.name], [attr.ints('perm', perm)]), 'plain');
    }
    case 'add': {
      const vs = inputs.map((i) => as(i, x.layout));
      const opType = vs.length === 2 ? 'Add' : 'Sum';
      return out(
        g.node(
          opType,
          op.name,
          vs.map((v) => v.name),
        ),
        x.layout,
      );
    }
    case 'concat': {
      const rank = x.shape.length + 1;
      const axis = op.axis < 0 ? rank + op.axis : op.axis;
      const channels = rank === 4 && axis === 3 && inputs.every((i) => i.shape.length === 3);
      const layout: Layout = channels ? 'nchw' : 'plain';
      const vs = inputs.map((i) => as(i, layout));
      const name = g.node(
        'Concat',
        op.name,
        vs.map((v) => v.name),
        [attr.int('axis', channels ? 1 : axis)],
      );
      return out(name, layout);
    }
    case 'pad': {
      const v = as(x, 'nchw');
      const [top, bottom, left, right] = op.pads;
      const pads = g.constInt64(`${op.name}_pads`, [0, 0, top, left, 0, 0, bottom, right]);
      return out(g.node('Pad', op.name, [v.name, pads]), 'nchw');
    }
    default:
      return assertNever(op);
  }
}

function bnAffine(op: Extract<LayerOp, { op: 'batchnorm' }>): {
  scale: Float32Array;
  shift: Float32Array;
} {
  const scale = op.gamma.map((gm, i) => gm / Math.sqrt((op.variance[i] as number) + op.epsilon));
  const shift = op.beta.map((b, i) => b - (op.mean[i] as number) * (scale[i] as number));
  return { scale, shift };
}

/** x·scale + shift per channel, broadcast over the channel axis of the current layout. */
function emitAffine(
  name: string,
  x: Value,
  a: { scale: Float32Array; shift: Float32Array },
  shape: readonly number[],
  g: OnnxGraph,
): Value {
  const c = a.scale.length;
  const dims = x.layout === 'nchw' ? [c, 1, 1] : [c];
  const s = g.constFloat(`${name}_scale`, a.scale, dims);
  const t = g.constFloat(`${name}_shift`, a.shift, dims);
  const mul = g.node('Mul', `${name}_mul`, [x.name, s]);
  return { name: g.node('Add', name, [mul, t]), layout: x.layout, shape };
}

function emitActivation(
  name: string,
  a: ActivationFn,
  x: Value,
  shape: readonly number[],
  g: OnnxGraph,
  as: As,
): Value {
  const keep = (n: string): Value => ({ name: n, layout: x.layout, shape });
  switch (a.fn) {
    case 'relu':
      return keep(g.node('Relu', name, [x.name]));
    case 'sigmoid':
      return keep(g.node('Sigmoid', name, [x.name]));
    case 'tanh':
      return keep(g.node('Tanh', name, [x.name]));
    case 'elu':
      return keep(g.node('Elu', name, [x.name], [attr.float('alpha', 1)]));
    case 'softplus':
      return keep(g.node('Softplus', name, [x.name]));
    case 'leaky_relu':
      return keep(g.node('LeakyRelu', name, [x.name], [attr.float('alpha', a.alpha)]));
    case 'clip': {
      const lo = g.constFloat(`${name}_min`, Float32Array.of(0), []);
      const hi = g.constFloat(`${name}_max`, Float32Array.of(a.max), []);
      return keep(g.node('Clip', name, [x.name, lo, hi]));
    }
    case 'softmax': {
      // tfjs' softmax runs over the last axis: channels, so NHWC for 4-D tensors.
      const v = as(x, 'plain');
      return {
        name: g.node('Softmax', name, [v.name], [attr.int('axis', -1)]),
        layout: 'plain',
        shape,
      };
    }
    default:
      return assertNever(a);
  }
}
