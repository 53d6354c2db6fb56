import type { LayerGraph, LayerOp, Weights } from './layer-ir.js';

/**
 * The `simplify` option: constant work done once at export instead of on every inference.
 * - dropout and identity ops are removed (inference never drops);
 * - batch norm becomes a per-channel affine map, folded into the convolution, depthwise
 *   convolution or dense layer before it when that layer's output feeds nothing else (its fused
 *   activation is a separate op, so the producer is linear by construction);
 * - any other affine map (the regression target's de-normalisation) folds the same way;
 * - a channels-last flatten feeding one dense layer permutes that layer's rows instead, so the
 *   NCHW graph flattens without a transpose.
 * Every rewrite is exact algebra on float32 weights; the parity tests hold it to 1e-4.
 */
export function simplifyGraph(graph: LayerGraph): LayerGraph {
  let g = removeIdentities(graph);
  g = { ...g, ops: g.ops.map(batchNormToAffine) };
  g = foldAffines(g);
  return flattenIntoDense(g);
}

function replaceInput(op: LayerOp, from: string, to: string): LayerOp {
  return { ...op, inputs: op.inputs.map((i) => (i === from ? to : i)) };
}

function removeIdentities(graph: LayerGraph): LayerGraph {
  let ops = [...graph.ops];
  let output = graph.output;
  let extraOutputs = graph.extraOutputs ?? [];
  for (const original of graph.ops) {
    if (original.op !== 'dropout' && original.op !== 'identity') continue;
    // By output id: an earlier removal has rewritten the op objects (two identities in a row).
    const op = ops.find((o) => o.output === original.output) as LayerOp;
    const source = op.inputs[0] as string;
    ops = ops.filter((o) => o !== op).map((o) => replaceInput(o, op.output, source));
    if (output === op.output) output = source;
    extraOutputs = extraOutputs.map((e) => (e.tensor === op.output ? { ...e, tensor: source } : e));
  }
  return { ...graph, ops, output, extraOutputs };
}

function batchNormToAffine(op: LayerOp): LayerOp {
  if (op.op !== 'batchnorm') return op;
  const n = op.gamma.length;
  const scale = new Float32Array(n);
  const shift = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    // Computed in float64 then rounded once, like tfjs' own batch norm up to its op order.
    const s = (op.gamma[i] as number) / Math.sqrt((op.variance[i] as number) + op.epsilon);
    scale[i] = s;
    shift[i] = (op.beta[i] as number) - (op.mean[i] as number) * s;
  }
  return { name: op.name, inputs: op.inputs, output: op.output, op: 'affine', scale, shift };
}

/** Scales output channel o of a kernel whose last axis (or last two, depthwise) is the output. */
function scaleKernel(kernel: Weights, scale: Float32Array): Weights {
  const data = Float32Array.from(kernel.data);
  const outs = scale.length;
  for (let i = 0; i < data.length; i++) data[i] = (data[i] as number) * (scale[i % outs] as number);
  return { data, shape: kernel.shape };
}

function foldAffines(graph: LayerGraph): LayerGraph {
  let ops = [...graph.ops];
  let output = graph.output;
  for (const affine of graph.ops) {
    if (affine.op !== 'affine') continue;
    const source = affine.inputs[0] as string;
    const producer = ops.find((o) => o.output === source);
    const sole = ops.filter((o) => o.inputs.includes(source)).length === 1;
    const tapped = (graph.extraOutputs ?? []).some((e) => e.tensor === source);
    if (!producer || !sole || source === output || tapped) continue;
    if (producer.op !== 'conv' && producer.op !== 'depthwise' && producer.op !== 'dense') continue;
    const { scale, shift } = affine;
    // Depthwise output channel i·mult + m is the flattened index of the kernel's last two axes,
    // so the same modulo walk scales it.
    const kernel = scaleKernel(producer.kernel, scale);
    const bias = new Float32Array(scale.length);
    for (let o = 0; o < scale.length; o++) {
      bias[o] = (producer.bias?.[o] ?? 0) * (scale[o] as number) + (shift[o] as number);
    }
    const folded: LayerOp = { ...producer, kernel, bias, output: affine.output };
    ops = ops.filter((o) => o !== affine).map((o) => (o === producer ? folded : o));
    if (output === affine.output) output = folded.output;
  }
  return { ...graph, ops, output };
}

function flattenIntoDense(graph: LayerGraph): LayerGraph {
  const ops = [...graph.ops];
  for (let i = 0; i < ops.length; i++) {
    const flat = ops[i] as LayerOp;
    if (flat.op !== 'flatten') continue;
    const shape = graph.shapes.get(flat.inputs[0] as string) ?? [];
    const users = ops.filter((o) => o.inputs.includes(flat.output));
    const dense = users[0];
    if (shape.length !== 3 || users.length !== 1 || dense?.op !== 'dense') continue;
    if (flat.output === graph.output) continue;
    const [h, w, c] = shape as [number, number, number];
    const units = dense.kernel.shape[1] as number;
    const rows = new Float32Array(dense.kernel.data.length);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        for (let ch = 0; ch < c; ch++) {
          const from = ((y * w + x) * c + ch) * units;
          const to = ((ch * h + y) * w + x) * units;
          rows.set(dense.kernel.data.subarray(from, from + units), to);
        }
      }
    }
    ops[i] = { ...flat, order: 'chw' };
    ops[ops.indexOf(dense)] = { ...dense, kernel: { data: rows, shape: dense.kernel.shape } };
  }
  return { ...graph, ops };
}
