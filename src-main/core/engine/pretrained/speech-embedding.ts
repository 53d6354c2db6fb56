import * as ort from 'onnxruntime-node';
import { loadVerifiedModel } from './resolve.js';
import { openWithBlockedClamps } from './blocked-clamps.js';
import { clipEmbeddingModel, foldedFrames } from './clip-embedding-graph.js';

export const MEL_MODEL = 'openwakeword-melspectrogram';
export const EMBEDDING_MODEL = 'openwakeword-embedding';

/** openWakeWord's streaming geometry (native-models/openwakeword-*.json). */
export const SPEECH = {
  sampleRate: 16000,
  stepSamples: 1280,
  contextSamples: 480,
  melBins: 32,
  windowFrames: 76,
  framesPerStep: 8,
  embedding: 96,
} as const;

/** Embeddings of a clip of `samples` samples: one per whole 1280-sample step. */
export function embeddingSteps(samples: number): number {
  return Math.floor(samples / SPEECH.stepSamples);
}

/**
 * Google's speech embedding as openWakeWord computes it: int16-scale samples, the mel model run
 * once per 1280-sample step with 480 samples of context (it floors its output at max − 80 dB over
 * its whole input, so batching steps would change the numbers), mel frames rescaled x/10 + 2
 * into a buffer that starts as 76 frames of ones, and per step the embedding of the last 76
 * frames. `embed` runs all of that as one graph call per clip (clip-embedding-graph.ts).
 */
export class SpeechEmbedder {
  private constructor(
    private readonly mel: ort.InferenceSession,
    private readonly embedding: ort.InferenceSession,
    /** Mel, rescale and one-pass embedding in one graph: the clip's whole front end. */
    private readonly clip: ort.InferenceSession,
    /** Hash of both models' files: part of every cache key of their features. */
    readonly sourceHash: string,
  ) {}

  static async open(
    opts: { readonly nativeModelsDir?: string; readonly threads?: number } = {},
  ): Promise<SpeechEmbedder> {
    const melFiles = await loadVerifiedModel(MEL_MODEL, opts.nativeModelsDir);
    const embFiles = await loadVerifiedModel(EMBEDDING_MODEL, opts.nativeModelsDir);
    const so: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: opts.threads ?? 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    };
    const melBytes = melFiles.files.get('model') as Buffer;
    const embBytes = embFiles.files.get('model') as Buffer;
    const mel = await ort.InferenceSession.create(melBytes, so);
    const embedding = await ort.InferenceSession.create(embBytes, so);
    const clip = await openWithBlockedClamps(clipEmbeddingModel(melBytes, embBytes), so);
    return new SpeechEmbedder(
      mel,
      embedding,
      clip,
      `${melFiles.hash.slice(0, 16)}${embFiles.hash.slice(0, 16)}`,
    );
  }

  /** [steps, 96] embeddings of 16 kHz mono samples in [-1, 1]. */
  async embed(samples: Float32Array): Promise<Float32Array> {
    const steps = embeddingSteps(samples.length);
    if (steps === 0) return new Float32Array(0);
    // Fresh buffers per clip: calls may overlap while onnxruntime reads them off the JS thread.
    const { sums, diffs } = foldedFrames(samples, steps);
    const shape = [steps, 1, SPEECH.framesPerStep, sums.length / steps / SPEECH.framesPerStep];
    const out = await this.clip.run({
      sums: new ort.Tensor('float32', sums, shape),
      diffs: new ort.Tensor('float32', diffs, shape),
    });
    const emb = Object.values(out)[0]?.data as Float32Array;
    if (emb.length !== steps * SPEECH.embedding) {
      throw new Error(`the speech front end gave ${emb.length} values for ${steps} steps`);
    }
    // onnxruntime hands over a fresh buffer per call; copied only if it is a view of a larger one
    // (callers may store `.buffer` whole).
    return emb.byteOffset === 0 && emb.buffer.byteLength === emb.byteLength ? emb : emb.slice();
  }

  /**
   * The same embeddings from the original models as openWakeWord feeds them: the mel model once
   * per step, the rescale and the 76-frame buffer in JS, each window through the original
   * embedding model (a batch of windows). The reference the one-graph form is tested against.
   */
  async embedWindows(samples: Float32Array): Promise<Float32Array> {
    const { melBins, windowFrames, embedding } = SPEECH;
    const steps = embeddingSteps(samples.length);
    if (steps === 0) return new Float32Array(0);
    const perStep = await this.melPerStep(samples, steps);
    const frames: Float32Array[] = [new Float32Array(windowFrames * melBins).fill(1), ...perStep];
    let total = windowFrames;
    const ends = perStep.map((f) => (total += f.length / melBins));
    const buffer = new Float32Array(total * melBins);
    let at = 0;
    for (const f of frames) {
      buffer.set(f, at);
      at += f.length;
    }
    const batch = new Float32Array(steps * windowFrames * melBins);
    ends.forEach((e, s) => {
      // Always the last 76 frames up to this step, as openWakeWord's streaming buffer holds.
      const from = Math.max(0, e - windowFrames) * melBins;
      batch.set(buffer.subarray(from, from + windowFrames * melBins), s * windowFrames * melBins);
    });
    const out = await this.embedding.run({
      input_1: new ort.Tensor('float32', batch, [steps, windowFrames, melBins, 1]),
    });
    const emb = Object.values(out)[0]?.data as Float32Array;
    return Float32Array.from(emb.subarray(0, steps * embedding));
  }

  /** The 1760-sample window of step s: its 1280 samples after 480 of context, int16 scale. */
  private static stepWindow(samples: Float32Array, s: number, out: Float32Array): void {
    const end = (s + 1) * SPEECH.stepSamples;
    const start = end - out.length;
    if (start < 0) out.fill(0, 0, -start);
    for (let i = Math.max(0, start); i < end; i++) out[i - start] = (samples[i] as number) * 32767;
  }

  /** Rescaled mel frames of each step, the mel model run once per step (openWakeWord's way). */
  private async melPerStep(samples: Float32Array, steps: number): Promise<Float32Array[]> {
    const window = new Float32Array(SPEECH.stepSamples + SPEECH.contextSamples);
    const out: Float32Array[] = [];
    for (let s = 0; s < steps; s++) {
      SpeechEmbedder.stepWindow(samples, s, window);
      const r = await this.mel.run({
        input: new ort.Tensor('float32', window, [1, window.length]),
      });
      // float32 arithmetic, as openWakeWord's numpy rescales (and as the one-graph form does).
      const rescale = (v: number): number => Math.fround(Math.fround(v / 10) + 2);
      out.push(Float32Array.from(Object.values(r)[0]?.data as Float32Array, rescale));
    }
    return out;
  }

  async release(): Promise<void> {
    await this.mel.release();
    await this.embedding.release();
    await this.clip.release();
  }
}
