import { AppError } from '../../errors.js';
import { decodeModel } from '../export/onnx/onnx-proto.js';

export type Dims = readonly (number | string)[];

export interface OnnxSignature {
  readonly opset: number;
  readonly producer: string;
  readonly input: { readonly name: string; readonly dims: Dims };
  readonly output: { readonly name: string; readonly dims: Dims };
  readonly outputs: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
}

interface LooseValueInfo {
  readonly name: string;
  readonly type?: {
    readonly tensorType?: {
      readonly shape?: { readonly dim?: readonly { dimValue?: number; dimParam?: string }[] };
    };
  };
}

const dimsOf = (v: LooseValueInfo): Dims =>
  (v.type?.tensorType?.shape?.dim ?? []).map((d) =>
    d.dimParam ? d.dimParam : d.dimValue && d.dimValue > 0 ? d.dimValue : '?',
  );

const notOnnx = (why: string): AppError =>
  new AppError('unsupported_media_type', `the file is not an ONNX model (${why})`);

/**
 * Reads an ONNX file's signature without running it, and refuses bytes that are not an ONNX
 * model (415): protobuf decodes many byte strings, so a model must also have an IR version, a
 * default-domain opset and a graph with nodes, inputs and outputs. Initializers listed among the
 * graph inputs (older exporters do that) are not the input.
 */
export function inspectOnnx(bytes: Uint8Array): OnnxSignature {
  if (bytes.byteLength === 0) throw notOnnx('empty file');
  let m;
  try {
    m = decodeModel(bytes);
  } catch (err) {
    throw notOnnx((err as Error).message);
  }
  const graph = m.graph as
    | (NonNullable<typeof m.graph> & {
        readonly input: readonly LooseValueInfo[];
        readonly output: readonly LooseValueInfo[];
        readonly initializer?: readonly { readonly name: string }[];
      })
    | null;
  const opset = m.opsetImport.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version;
  if (!m.irVersion || !graph || graph.node.length === 0 || opset === undefined) {
    throw notOnnx('no graph, IR version or opset');
  }
  const initialised = new Set((graph.initializer ?? []).map((t) => t.name));
  const inputs = graph.input.filter((i) => !initialised.has(i.name));
  const input = inputs[0];
  const output = graph.output[0];
  if (!input || !output) throw notOnnx('the graph has no input or output');
  if (inputs.length > 1) {
    throw new AppError(
      'unprocessable',
      `the model has ${inputs.length} inputs; Assay runs models with one`,
    );
  }
  return {
    opset,
    producer: m.producerName,
    input: { name: input.name, dims: dimsOf(input) },
    output: { name: output.name, dims: dimsOf(output) },
    outputs: graph.output.map((o) => o.name),
    metadata: Object.fromEntries(m.metadataProps.map((p) => [p.key, p.value])),
  };
}
