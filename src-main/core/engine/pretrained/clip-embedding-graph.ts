import { onnxModelType, rawBytes } from '../export/onnx/onnx-proto.js';
import { rowwiseMelModel, stridedEmbeddingModel } from './strided-embedding.js';

/** Loosely typed ONNX objects as protobufjs' toObject gives them. */
interface Obj {
  [k: string]: unknown;
}

const STEP = 1280;
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

/**
 * The STFT's kernels are a periodic Hann window times cos and −sin: w[0] = 0, the cosines are
 * even and the sines odd about sample 256. So a frame's real part is Σ_{n=1..256} re[n]·(x[n] +
 * x[512−n]) (the n = 256 term counted twice, hence its weight halved, which is exact) and its
 * imaginary part Σ_{n=1..255} im[n]·(x[n] − x[512−n]): half the multiply-adds. Returns the
 * [256, bins] MatMul operand of the folded sums (or differences), checking the symmetry.
 */
function foldedKernel(w: Float32Array, sign: 1 | -1): Float32Array {
  const bins = w.length / FFT;
  const half = FFT / 2;
  const out = new Float32Array(half * bins);
  for (let b = 0; b < bins; b++) {
    const row = w.subarray(b * FFT, (b + 1) * FFT);
    if (row[0] !== 0) throw new Error("the mel model's window does not start at zero");
    for (let n = 1; n < half; n++) {
      if (Math.abs(row[n]! - sign * row[FFT - n]!) > 1e-9) {
        throw new Error("the mel model's STFT kernels are not symmetric");
      }
      out[(n - 1) * bins + b] = row[n]!;
    }
    out[(half - 1) * bins + b] = sign === 1 ? row[half]! / 2 : 0;
  }
  return out;
}

/**
 * Folded frames of a clip for the graph's two inputs, [steps, 1, 8, 256] each: per 512-sample
 * frame (hop 160, the first one 480 samples before the clip, zeros there) x[n] + x[512 − n] and
 * x[n] − x[512 − n] for n = 1…256, at int16 scale.
 */
export function foldedFrames(
  samples: Float32Array,
  steps: number,
): { sums: Float32Array; diffs: Float32Array } {
  const context = STEP_WINDOW - STEP;
  const x = new Float32Array(context + steps * STEP);
  for (let i = 0; i < steps * STEP; i++) x[context + i] = samples[i]! * 32767;
  const half = FFT / 2;
  const sums = new Float32Array(steps * FRAMES_PER_STEP * half);
  const diffs = new Float32Array(sums.length);
  let o = 0;
  for (let f = 0; f < steps * FRAMES_PER_STEP; f++) {
    const p = f * HOP;
    for (let n = 1; n <= half; n++, o++) {
      const a = x[p + n]!;
      const b = x[p + FFT - n]!;
      sums[o] = a + b;
      diffs[o] = a - b;
    }
  }
  return { sums, diffs };
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
  const half = FFT / 2;
  const inits: Obj[] = [
    tensor('assay_dft_real', [half, bins], foldedKernel(real as Float32Array, 1)),
    tensor('assay_dft_imag', [half, bins], foldedKernel(imag as Float32Array, -1)),
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
    node('MatMul', ['sums', 'assay_dft_real'], ['assay_re']),
    node('MatMul', ['diffs', 'assay_dft_imag'], ['assay_im']),
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
      input: ['sums', 'diffs'].map((name) => ({
        name,
        type: {
          tensorType: {
            elemType: 1,
            shape: {
              dim: [
                { dimParam: 'steps' },
                { dimValue: 1 },
                { dimValue: FRAMES_PER_STEP },
                { dimValue: FFT / 2 },
              ],
            },
          },
        },
      })),
      valueInfo: [],
    },
  };
  const type = onnxModelType();
  return type.encode(type.fromObject(model)).finish();
}
