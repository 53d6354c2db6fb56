import { onnxModelType, rawBytes } from '../export/onnx/onnx-proto.js';

/** Loosely typed ONNX objects as protobufjs' toObject gives them. */
interface Obj {
  [k: string]: unknown;
}

/**
 * The speech-embedding model rewritten to embed a whole clip in one pass. Along time (its input
 * height) every convolution is unpadded and the max-pools stride 2·1·2·1·2 = 8 frames, so the
 * network is a sliding window of 76 frames moved 8 at a time: on [1, T, 32, 1] it computes every
 * window's embedding at once, sharing the work of overlapping windows (the original evaluates
 * each 76-frame window on its own, 9.5× the same convolutions). Two edits, the weights untouched:
 * the input Reshape keeps time free ([1, 1, T, 32] instead of [N, 1, 76, 32]), and the output is
 * transposed from [1, 96, S, 1] to [S, 1, 1, 96] before the final Reshape. Output row j is the
 * window starting at frame 8·j; speech-embedding.test.ts holds it equal to the window-by-window
 * model.
 */
export function stridedEmbeddingModel(bytes: Uint8Array): Uint8Array {
  const type = onnxModelType();
  const model = type.toObject(type.decode(bytes), { defaults: false }) as Obj;
  const graph = model['graph'] as Obj;
  const nodes = graph['node'] as Obj[];
  const inits = graph['initializer'] as Obj[];
  const first = nodes[0] as Obj;
  const last = nodes[nodes.length - 1] as Obj;
  if (first['opType'] !== 'Reshape' || last['opType'] !== 'Reshape') {
    throw new Error('the speech-embedding model does not have the expected layout');
  }
  inits.push({
    name: 'assay_time_free_shape',
    dims: [4],
    dataType: 7,
    rawData: rawBytes(BigInt64Array.from([1n, 1n, -1n, 32n])),
  });
  const oldShape = (first['input'] as string[])[1];
  first['input'] = [(first['input'] as string[])[0], 'assay_time_free_shape'];
  if (
    !nodes.some((n) => ((n['input'] as string[] | undefined) ?? []).includes(oldShape as string))
  ) {
    graph['initializer'] = inits.filter((i) => i['name'] !== oldShape);
  }
  const convOut = (last['input'] as string[])[0] as string;
  const transposed = 'assay_steps_first';
  nodes.splice(nodes.length - 1, 0, {
    name: 'assay_steps_first',
    opType: 'Transpose',
    input: [convOut],
    output: [transposed],
    attribute: [{ name: 'perm', type: 7, ints: [0, 2, 3, 1] }],
  });
  last['input'] = [transposed, (last['input'] as string[])[1]];
  const dim = (d: number | string): Obj =>
    typeof d === 'number' ? { dimValue: d } : { dimParam: d };
  const io = (v: Obj, dims: (number | string)[]): void => {
    ((v['type'] as Obj)['tensorType'] as Obj)['shape'] = { dim: dims.map(dim) };
  };
  io((graph['input'] as Obj[])[0] as Obj, [1, 'frames', 32, 1]);
  io((graph['output'] as Obj[])[0] as Obj, ['steps', 1, 1, 96]);
  // Shapes inferred for the 76-frame input no longer hold.
  graph['valueInfo'] = [];
  return type.encode(type.fromObject(model)).finish();
}

/**
 * The mel model rewritten so that each row of a batch is floored on its own. The original takes
 * the maximum over its whole input tensor (ReduceMax, no axes) and clips every value at
 * max − 80 dB, so a batch of steps would share one floor and change the numbers; here ReduceMax
 * keeps the batch axis ([B, 1, 1, 1]) and the Clip becomes a broadcasting Max. A batch of steps
 * then equals the steps run one at a time (speech-embedding.test.ts), in one call.
 */
export function rowwiseMelModel(bytes: Uint8Array): Uint8Array {
  const type = onnxModelType();
  const model = type.toObject(type.decode(bytes), { defaults: false }) as Obj;
  const graph = model['graph'] as Obj;
  const nodes = graph['node'] as Obj[];
  const reduce = nodes.filter((n) => n['opType'] === 'ReduceMax');
  const last = nodes[nodes.length - 1] as Obj;
  if (reduce.length !== 1 || last['opType'] !== 'Clip') {
    throw new Error('the mel model does not have the expected layout');
  }
  (reduce[0] as Obj)['attribute'] = [
    { name: 'axes', type: 7, ints: [1, 2, 3] },
    { name: 'keepdims', type: 2, i: 1 },
  ];
  const [x, floor, ceiling] = last['input'] as string[];
  nodes[nodes.length - 1] = {
    name: 'assay_rowwise_floor',
    opType: 'Max',
    input: [x, floor],
    output: last['output'],
  };
  // The Clip's upper bound (+inf) is used by nothing now.
  if (
    ceiling &&
    !nodes.some((n) => ((n['input'] as string[] | undefined) ?? []).includes(ceiling))
  ) {
    graph['initializer'] = (graph['initializer'] as Obj[]).filter((i) => i['name'] !== ceiling);
  }
  graph['valueInfo'] = [];
  return type.encode(type.fromObject(model)).finish();
}
