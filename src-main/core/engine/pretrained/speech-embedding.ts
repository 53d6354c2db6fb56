import * as ort from 'onnxruntime-node';
import { loadVerifiedModel } from './resolve.js';
import { rowwiseMelModel, stridedEmbeddingModel } from './strided-embedding.js';

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
 * frames — those windows batched into one embedding-model call.
 */
export class SpeechEmbedder {
  private constructor(
    private readonly mel: ort.InferenceSession,
    /** The mel model with a floor per batch row, so steps batch (strided-embedding.ts). */
    private readonly melRows: ort.InferenceSession,
    private readonly embedding: ort.InferenceSession,
    /** The same model rewritten to embed a whole clip in one pass (strided-embedding.ts). */
    private readonly strided: ort.InferenceSession,
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
    const mel = await ort.InferenceSession.create(melBytes, so);
    const melRows = await ort.InferenceSession.create(rowwiseMelModel(melBytes), so);
    const embBytes = embFiles.files.get('model') as Buffer;
    const embedding = await ort.InferenceSession.create(embBytes, so);
    const strided = await ort.InferenceSession.create(stridedEmbeddingModel(embBytes), so);
    return new SpeechEmbedder(
      mel,
      melRows,
      embedding,
      strided,
      `${melFiles.hash.slice(0, 16)}${embFiles.hash.slice(0, 16)}`,
    );
  }

  /** [steps, 96] embeddings of 16 kHz mono samples in [-1, 1]. */
  async embed(samples: Float32Array): Promise<Float32Array> {
    return this.embedClip(samples, 'strided');
  }

  /**
   * The same embeddings, each 76-frame window through the original model (a batch of windows):
   * the reference the one-pass form is tested against.
   */
  async embedWindows(samples: Float32Array): Promise<Float32Array> {
    return this.embedClip(samples, 'windows');
  }

  private async embedClip(
    samples: Float32Array,
    how: 'strided' | 'windows',
  ): Promise<Float32Array> {
    const { melBins, windowFrames, embedding } = SPEECH;
    const steps = embeddingSteps(samples.length);
    const perStep =
      how === 'strided'
        ? await this.melBatched(samples, steps)
        : await this.melPerStep(samples, steps);
    const frames: Float32Array[] = [new Float32Array(windowFrames * melBins).fill(1), ...perStep];
    let total = windowFrames;
    const ends = perStep.map((f) => (total += f.length / melBins));
    if (steps === 0) return new Float32Array(0);
    const buffer = new Float32Array(total * melBins);
    let at = 0;
    for (const f of frames) {
      buffer.set(f, at);
      at += f.length;
    }
    // Every step gives 8 frames, so the windows start 8 frames apart from frame 8 on: the one-pass
    // model's rows 1…steps (row 0 is the window of the initial ones alone).
    const regular = ends.every((e, s) => e === windowFrames + SPEECH.framesPerStep * (s + 1));
    if (how === 'strided' && regular) {
      const out = await this.strided.run({
        input_1: new ort.Tensor('float32', buffer, [1, total, melBins, 1]),
      });
      const emb = Object.values(out)[0]?.data as Float32Array;
      return Float32Array.from(emb.subarray(embedding, (steps + 1) * embedding));
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
    out.fill(0);
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
      out.push(Float32Array.from(Object.values(r)[0]?.data as Float32Array, (v) => v / 10 + 2));
    }
    return out;
  }

  /** The same frames from one call: every step a row of the row-wise floored mel model. */
  private async melBatched(samples: Float32Array, steps: number): Promise<Float32Array[]> {
    if (steps === 0) return [];
    const width = SPEECH.stepSamples + SPEECH.contextSamples;
    const batch = new Float32Array(steps * width);
    for (let s = 0; s < steps; s++) {
      SpeechEmbedder.stepWindow(samples, s, batch.subarray(s * width, (s + 1) * width));
    }
    const r = await this.melRows.run({ input: new ort.Tensor('float32', batch, [steps, width]) });
    const mel = Object.values(r)[0]?.data as Float32Array;
    const per = mel.length / steps;
    return Array.from({ length: steps }, (_, s) =>
      Float32Array.from(mel.subarray(s * per, (s + 1) * per), (v) => v / 10 + 2),
    );
  }

  async release(): Promise<void> {
    await this.melRows.release();
    await this.mel.release();
    await this.embedding.release();
    await this.strided.release();
  }
}
