/**
 * The exporter's intermediate form: the tfjs layer graph as a flat list of ops in topological
 * order, with weights copied out as Float32Arrays in tfjs' own layouts (channels last). Reading
 * (read-layers.ts), simplifying (simplify.ts) and emitting ONNX (emit.ts) are separate passes over
 * it, so folding never has to reason about ONNX layouts.
 */

export interface Weights {
  readonly data: Float32Array;
  /** tfjs layout: conv [kh, kw, in, out], depthwise [kh, kw, in, mult], dense [in, out]. */
  readonly shape: readonly number[];
}

export type ActivationFn =
  | { readonly fn: 'relu' | 'sigmoid' | 'tanh' | 'softmax' | 'elu' | 'softplus' }
  | { readonly fn: 'clip'; readonly max: number }
  | { readonly fn: 'leaky_relu'; readonly alpha: number };

interface Common {
  /** The tfjs layer name (suffixed when one layer becomes several ops). */
  readonly name: string;
  /** Ids of the tensors consumed (see {@link LayerGraph}). */
  readonly inputs: readonly string[];
  readonly output: string;
}

export type Padding = 'same' | 'valid';

export type LayerOp = Common &
  (
    | {
        readonly op: 'conv' | 'depthwise';
        readonly kernel: Weights;
        readonly bias: Float32Array | null;
        readonly strides: readonly [number, number];
        readonly dilations: readonly [number, number];
        readonly padding: Padding;
      }
    | { readonly op: 'dense'; readonly kernel: Weights; readonly bias: Float32Array | null }
    | {
        readonly op: 'batchnorm';
        readonly gamma: Float32Array;
        readonly beta: Float32Array;
        readonly mean: Float32Array;
        readonly variance: Float32Array;
        readonly epsilon: number;
      }
    /** y = x·scale + shift over the last (channel) axis: folded batch norm, output scaling. */
    | { readonly op: 'affine'; readonly scale: Float32Array; readonly shift: Float32Array }
    | { readonly op: 'activation'; readonly activation: ActivationFn }
    | {
        readonly op: 'maxpool' | 'avgpool';
        readonly size: readonly [number, number];
        readonly strides: readonly [number, number];
        readonly padding: Padding;
      }
    | { readonly op: 'gap2d' | 'gap1d' }
    /**
     * tfjs flattens channels-last (h, w, c order). `order: 'chw'` is set by simplify when the
     * following dense layer's rows were permuted to match, so no transpose is needed.
     */
    | { readonly op: 'flatten'; readonly order: 'hwc' | 'chw' }
    | { readonly op: 'dropout'; readonly rate: number }
    | { readonly op: 'identity' }
    | { readonly op: 'reshape'; readonly target: readonly number[] }
    | { readonly op: 'permute'; readonly dims: readonly number[] }
    | { readonly op: 'add' }
    | { readonly op: 'concat'; readonly axis: number }
    /** Zero padding of the two spatial axes: [top, bottom, left, right]. */
    | { readonly op: 'pad'; readonly pads: readonly [number, number, number, number] }
  );

export interface LayerGraph {
  readonly input: string;
  /** Per-sample shape of every tensor (tfjs logical, channels last, batch left out). */
  readonly shapes: ReadonlyMap<string, readonly number[]>;
  readonly ops: readonly LayerOp[];
  readonly output: string;
  /** Further model outputs (feature taps), exported under their layer names after `output`. */
  readonly extraOutputs?: readonly { readonly name: string; readonly tensor: string }[];
}

export function consumers(graph: LayerGraph, tensor: string): LayerOp[] {
  return graph.ops.filter((o) => o.inputs.includes(tensor));
}
