import { onnxModelType, rawBytes } from '../export/onnx/onnx-proto.js';
import { rowwiseMelModel, stridedEmbeddingModel } from './strided-embedding.js';

/** Loosely typed ONNX objects as protobufjs' toObject gives them. */
interface Obj {
  [k: string]: unknown;
}

const STEP_WINDOW = 1760;
const HOP = 160;
const FFT = 512;
const FRAMES_PER_STEP = 8;
const MEL_BINS = 32;
/**
 * openWakeWord's buffer starts as 76 frames of ones and the first window it embeds ends after
 * step 0's 8 frames: 68 of those ones are ever seen, so the graph prepends 68 and its output row
 * s is the window that ends with step s.
 */
const LEADING_ONES = 76 - FRAMES_PER_STEP;

function decode(bytes: Uint8Array): Obj {
  const type = onnxModelType();
  return type.toObject(type.decode(bytes), { defaults: false }) as Obj;
}

function floats(t: Obj): Float32Array {
  const raw = t['rawData'] as Uint8Array | undefined;
  if (!raw || raw.length === 0) return Float32Array.from((t['floatData'] as number[]) ?? []);
  return new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
}

function tensor(name: string, dims: number[], data: Float32Array | BigInt64Array): Obj {
  return { name, dims, dataType: data instanceof Float32Array ? 1 : 7, rawData: rawBytes(data) };
}

function node(opType: string, input: string[], output: string[], attribute: Obj[] = []): Obj {
  return { name: `assay_${output[0] as string}`, opType, input, output, attribute };
}

/**
 * Max(x, c) then MaxPool equals MaxPool then Max(·, c) (both are maxima), and the second form
 * clamps a tensor 2–4× smaller. It matters more than its size suggests: onnxruntime's blocked
 * (NCHWc) convolutions have no broadcast Max, so each one costs a reorder out and back in.
 */
function poolBeforeClamp(nodes: Obj[]): Obj[] {
  const out = [...nodes];
  for (let i = 0; i + 1 < out.length; i++) {
    const clamp = out[i] as Obj;
    const pool = out[i + 1] as Obj;
    const clamped = (clamp['output'] as string[])[0] as string;
    const readers = out.filter((n) => ((n['input'] as string[]) ?? []).includes(clamped));
    if (
      clamp['opType'] !== 'Max' ||
      pool['opType'] !== 'MaxPool' ||
      readers.length !== 1 ||
      readers[0] !== pool
    ) {
      continue;
    }
    const [x, c] = clamp['input'] as string[];
    const pooledOut = pool['output'] as string[];
    const pooled = `${clamped}_pooled_first`;
    out[i] = { ...pool, input: [x], output: [pooled] };
    out[i + 1] = { ...clamp, input: [pooled, c], output: pooledOut };
  }
  return out;
}

/** [257, 1, 512] conv kernels as a [512, 257] MatMul operand. */
function kernelColumns(w: Float32Array): Float32Array {
  const bins = w.length / FFT;
  const out = new Float32Array(w.length);
  for (let b = 0; b < bins; b++) for (let k = 0; k < FFT; k++) out[k * bins + b] = w[b * FFT + k]!;
  return out;
}

/**
 * openWakeWord's whole front end as one graph, [steps, 1760] int16-scale step windows in,
 * [steps, 1, 1, 96] embeddings out: the row-wise floored mel model, the x/10 + 2 rescale, the
 * 68 leading frames of ones and the one-pass embedding model (strided-embedding.ts), so a clip
 * is one call with no JS-side copies between the models. The mel model's STFT is two Convs with
 * one input channel (kernel 512, stride 160), which onnxruntime runs at half the speed of a
 * plain GEMM; here the 8 frames of each step are gathered and multiplied by the same kernels as
 * MatMuls. That changes only the order of the 512-term sums (mel values within a few ulps);
 * the rescale is float32 arithmetic as openWakeWord's numpy does it.
 */
export function clipEmbeddingModel(melBytes: Uint8Array, embBytes: Uint8Array): Uint8Array {
  const mel = decode(rowwiseMelModel(melBytes));
  const emb = decode(stridedEmbeddingModel(embBytes));
  const melGraph = mel['graph'] as Obj;
  const embGraph = emb['graph'] as Obj;
  const melNodes = melGraph['node'] as Obj[];
  const melInits = melGraph['initializer'] as Obj[];
  const spectrum = melNodes.findIndex((n) => n['opType'] === 'MatMul');
  const convs = melNodes.filter((n) => n['opType'] === 'Conv');
  const embNodes = embGraph['node'] as Obj[];
  const embInput = (embNodes[0] as Obj)['output'] as string[];
  if (spectrum < 0 || convs.length !== 2 || (embNodes[0] as Obj)['opType'] !== 'Reshape') {
    throw new Error('the openWakeWord models do not have the expected layout');
  }
  const init = (name: string): Obj => {
    const t = melInits.find((i) => i['name'] === name);
    if (!t) throw new Error(`the mel model lacks ${name}`);
    return t;
  };
  const [real, imag] = convs.map((c) => floats(init((c['input'] as string[])[1] as string)));
  const spectrumNode = melNodes[spectrum] as Obj;
  const [, melWeights] = spectrumNode['input'] as string[];
  const bins = (real as Float32Array).length / FFT;
  // Frames gathered as 32-sample blocks (32 divides both the hop and the window): one copy per
  // block instead of per sample, which is most of what a Gather costs here.
  const block = 32;
  const perFrame = FFT / block;
  const index = new BigInt64Array(FRAMES_PER_STEP * perFrame);
  for (let f = 0; f < FRAMES_PER_STEP; f++) {
    for (let b = 0; b < perFrame; b++) index[f * perFrame + b] = BigInt((f * HOP) / block + b);
  }
  const inits: Obj[] = [
    tensor(
      'assay_blocks',
      [3],
      BigInt64Array.from([-1n, BigInt(STEP_WINDOW / block), BigInt(block)]),
    ),
    tensor('assay_frame_index', [FRAMES_PER_STEP, perFrame], index),
    tensor(
      'assay_frames_flat',
      [4],
      BigInt64Array.from([-1n, 1n, BigInt(FRAMES_PER_STEP), BigInt(FFT)]),
    ),
    tensor('assay_dft_real', [FFT, bins], kernelColumns(real as Float32Array)),
    tensor('assay_dft_imag', [FFT, bins], kernelColumns(imag as Float32Array)),
    tensor('assay_ten', [], Float32Array.of(10)),
    tensor('assay_two', [], Float32Array.of(2)),
    tensor('assay_frames_shape', [4], BigInt64Array.from([1n, 1n, -1n, BigInt(MEL_BINS)])),
    tensor(
      'assay_leading_ones',
      [1, 1, LEADING_ONES, MEL_BINS],
      new Float32Array(LEADING_ONES * MEL_BINS).fill(1),
    ),
    init(melWeights as string),
  ];
  const front = [
    node('Reshape', ['input', 'assay_blocks'], ['assay_steps']),
    node(
      'Gather',
      ['assay_steps', 'assay_frame_index'],
      ['assay_frame_blocks'],
      [{ name: 'axis', type: 2, i: 1 }],
    ),
    node('Reshape', ['assay_frame_blocks', 'assay_frames_flat'], ['assay_frames']),
    node('MatMul', ['assay_frames', 'assay_dft_real'], ['assay_re']),
    node('MatMul', ['assay_frames', 'assay_dft_imag'], ['assay_im']),
    node('Mul', ['assay_re', 'assay_re'], ['assay_re2']),
    node('Mul', ['assay_im', 'assay_im'], ['assay_im2']),
    node('Add', ['assay_re2', 'assay_im2'], ['assay_power']),
    node('MatMul', ['assay_power', melWeights as string], spectrumNode['output'] as string[]),
  ];
  // The floor's tail (Clip, Log, dB scale, row-wise max) stays; its constants come along.
  const tail = melNodes.slice(spectrum + 1);
  const used = new Set(tail.flatMap((n) => (n['input'] as string[] | undefined) ?? []));
  const melOut = (melGraph['output'] as Obj[])[0]?.['name'] as string;
  const join = [
    node('Div', [melOut, 'assay_ten'], ['assay_mel_tenth']),
    node('Add', ['assay_mel_tenth', 'assay_two'], ['assay_mel_rescaled']),
    node('Reshape', ['assay_mel_rescaled', 'assay_frames_shape'], ['assay_clip_frames']),
    node('Concat', ['assay_leading_ones', 'assay_clip_frames'], embInput, [
      { name: 'axis', type: 2, i: 2 },
    ]),
  ];
  const constants = melNodes
    .slice(0, spectrum)
    .filter(
      (n) =>
        n['opType'] === 'Constant' && ((n['output'] as string[]) ?? []).some((o) => used.has(o)),
    );
  const model: Obj = {
    ...emb,
    irVersion: Math.max(Number(mel['irVersion']), Number(emb['irVersion'])),
    graph: {
      ...embGraph,
      name: 'assay_openwakeword_front_end',
      node: [...constants, ...front, ...tail, ...join, ...poolBeforeClamp(embNodes.slice(1))],
      initializer: [
        ...inits,
        ...melInits.filter((i) => used.has(i['name'] as string)),
        // The one-pass model's input Reshape is replaced by the Concat: its shape goes too.
        ...(embGraph['initializer'] as Obj[]).filter(
          (i) => i['name'] !== ((embNodes[0] as Obj)['input'] as string[])[1],
        ),
      ],
      input: [
        {
          name: 'input',
          type: {
            tensorType: {
              elemType: 1,
              shape: { dim: [{ dimParam: 'steps' }, { dimValue: STEP_WINDOW }] },
            },
          },
        },
      ],
      valueInfo: [],
    },
  };
  const type = onnxModelType();
  return type.encode(type.fromObject(model)).finish();
}
