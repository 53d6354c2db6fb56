import { readPickle } from '../media/pickle/read-pickle.js';
import { PickleTuple, type PickleValue } from '../media/pickle/values.js';

/**
 * The trained regressor as `/outputs/model.pkl`: a protocol-2 pickle of plain Python values
 * (dict, list, str, float, int), so a lab script can `pickle.load` it without numpy, TensorFlow
 * or Assay, and our own safe reader reads it back for /predict.
 */
export interface RegressionModel {
  readonly format: 'assay-mlp-regressor';
  readonly version: 1;
  readonly feature_names: readonly string[];
  readonly target_name: string;
  /** x' = (x − mean) / std per feature, fitted on the train part only. */
  readonly x_mean: readonly number[];
  readonly x_std: readonly number[];
  /** y = out · y_std + y_mean. */
  readonly y_mean: number;
  readonly y_std: number;
  /** Dense layers in order: kernel [in][out] and bias [out]; ReLU between, linear last. */
  readonly layers: readonly {
    readonly kernel: readonly (readonly number[])[];
    readonly bias: readonly number[];
  }[];
  readonly run_id: string;
}

type Plain = string | number | boolean | null | readonly Plain[] | { readonly [k: string]: Plain };

function writePlain(v: Plain, out: number[]): void {
  if (v === null) out.push(0x4e);
  else if (typeof v === 'boolean') out.push(v ? 0x88 : 0x89);
  else if (typeof v === 'number') {
    if (Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31) {
      out.push(0x4a);
      const b = Buffer.alloc(4);
      b.writeInt32LE(v);
      out.push(...b);
    } else {
      out.push(0x47);
      const b = Buffer.alloc(8);
      b.writeDoubleBE(v);
      out.push(...b);
    }
  } else if (typeof v === 'string') {
    const b = Buffer.from(v, 'utf8');
    out.push(0x58);
    const n = Buffer.alloc(4);
    n.writeUInt32LE(b.length);
    out.push(...n, ...b);
  } else if (Array.isArray(v)) {
    out.push(0x5d, 0x28);
    for (const item of v as readonly Plain[]) writePlain(item, out);
    out.push(0x65);
  } else {
    out.push(0x7d, 0x28);
    for (const [k, item] of Object.entries(v)) {
      writePlain(k, out);
      writePlain(item, out);
    }
    out.push(0x75);
  }
}

export function encodeModel(m: RegressionModel): Uint8Array {
  const out: number[] = [0x80, 0x02];
  writePlain(m as unknown as Plain, out);
  out.push(0x2e);
  return Uint8Array.from(out);
}

function plainOf(v: PickleValue): unknown {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [String(k), plainOf(x)]));
  if (Array.isArray(v)) return v.map(plainOf);
  if (v instanceof PickleTuple) return v.items.map(plainOf);
  return v;
}

export function decodeModel(bytes: Uint8Array): RegressionModel {
  const m = plainOf(readPickle(bytes)) as RegressionModel;
  if (m?.format !== 'assay-mlp-regressor' || m.version !== 1) {
    throw new Error('the model file is not an Assay MLP regressor');
  }
  return m;
}

/** One prediction in target units. */
export function predictOne(m: RegressionModel, inputs: readonly number[]): number {
  let a = inputs.map((v, i) => (v - (m.x_mean[i] as number)) / (m.x_std[i] as number));
  m.layers.forEach((layer, li) => {
    const outs = layer.bias.length;
    const next = new Array<number>(outs);
    for (let o = 0; o < outs; o++) {
      let s = layer.bias[o] as number;
      for (let i = 0; i < a.length; i++)
        s += (a[i] as number) * ((layer.kernel[i] as number[])[o] as number);
      next[o] = li < m.layers.length - 1 ? Math.max(0, s) : s;
    }
    a = next;
  });
  return (a[0] as number) * m.y_std + m.y_mean;
}

/** Dense kernels/biases from checkpoint weights ([in*out] row-major kernels, as tfjs stores them). */
export function layersFromWeights(
  weights: readonly { name: string; shape: number[]; data: Float32Array }[],
): RegressionModel['layers'] {
  const layers: { kernel: number[][]; bias: number[] }[] = [];
  for (let i = 0; i < weights.length; i += 2) {
    const k = weights[i];
    const b = weights[i + 1];
    if (!k || !b || k.shape.length !== 2 || b.shape.length !== 1 || !/kernel/.test(k.name)) {
      throw new Error('the checkpoint is not a plain dense MLP (kernel, bias pairs)');
    }
    const [inp, out] = k.shape as [number, number];
    layers.push({
      kernel: Array.from({ length: inp }, (_, r) =>
        Array.from(k.data.subarray(r * out, (r + 1) * out)),
      ),
      bias: Array.from(b.data),
    });
  }
  return layers;
}
