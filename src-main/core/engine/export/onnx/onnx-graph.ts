import { type AttributeProto, type NodeProto, type TensorProto, rawBytes } from './onnx-proto.js';

/** Accumulates an ONNX graph: nodes, initializers and unique names. */
export class OnnxGraph {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private readonly names = new Set<string>(['input', 'output']);

  /** `base`, or `base_2`, `base_3`, … when taken. */
  unique(base: string): string {
    let name = base;
    for (let i = 2; this.names.has(name); i++) name = `${base}_${i}`;
    this.names.add(name);
    return name;
  }

  /** Keeps `name` for a graph output added later (no node or initializer takes it). */
  reserve(name: string): void {
    this.names.add(name);
  }

  constFloat(base: string, data: Float32Array, dims: readonly number[]): string {
    const name = this.unique(base);
    this.initializers.push({ name, dims: [...dims], dataType: 1, rawData: rawBytes(data) });
    return name;
  }

  constInt64(base: string, values: readonly number[]): string {
    const name = this.unique(base);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims: [values.length], dataType: 7, rawData: rawBytes(data) });
    return name;
  }

  /** Adds a node with one output named after the node; returns that output's name. */
  node(
    opType: string,
    base: string,
    inputs: readonly string[],
    attribute: readonly AttributeProto[] = [],
  ): string {
    const name = this.unique(base);
    this.nodes.push({ name, opType, input: inputs, output: [name], attribute });
    return name;
  }

  /** Renames a node output (the graph's final tensor becomes `output`). */
  renameOutput(from: string, to: string): boolean {
    const producer = this.nodes.findIndex((n) => n.output.includes(from));
    const used = this.nodes.some((n) => n.input.includes(from));
    if (producer < 0 || used) return false;
    const n = this.nodes[producer] as NodeProto;
    this.nodes[producer] = { ...n, output: n.output.map((o) => (o === from ? to : o)) };
    return true;
  }
}

/** Permutes an array stored row-major with `shape` by `perm` (numpy's transpose). */
export function transposeData(
  data: Float32Array,
  shape: readonly number[],
  perm: readonly number[],
): { data: Float32Array; shape: number[] } {
  const rank = shape.length;
  const outShape = perm.map((p) => shape[p] as number);
  const inStrides = new Array<number>(rank);
  for (let i = rank - 1, s = 1; i >= 0; i--) {
    inStrides[i] = s;
    s *= shape[i] as number;
  }
  const out = new Float32Array(data.length);
  const idx = new Array<number>(rank).fill(0);
  for (let o = 0; o < out.length; o++) {
    let src = 0;
    for (let k = 0; k < rank; k++)
      src += (idx[k] as number) * (inStrides[perm[k] as number] as number);
    out[o] = data[src] as number;
    for (let k = rank - 1; k >= 0; k--) {
      idx[k] = (idx[k] as number) + 1;
      if ((idx[k] as number) < (outShape[k] as number)) break;
      idx[k] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** TensorFlow's 'same' padding (the extra pixel at the end), or none for 'valid'. */
export function padsFor(
  size: number,
  kernel: number,
  stride: number,
  dilation: number,
  padding: 'same' | 'valid',
): [number, number] {
  if (padding === 'valid') return [0, 0];
  const out = Math.ceil(size / stride);
  const total = Math.max((out - 1) * stride + (kernel - 1) * dilation + 1 - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}
