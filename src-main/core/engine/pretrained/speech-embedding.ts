import * as ort from 'onnxruntime-node';
import { loadVerifiedModel } from './resolve.js';

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
    private readonly embedding: ort.InferenceSession,
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
    const mel = await ort.InferenceSession.create(melFiles.files.get('model') as Buffer, so);
    const embedding = await ort.InferenceSession.create(embFiles.files.get('model') as Buffer, so);
    return new SpeechEmbedder(
      mel,
      embedding,
      `${melFiles.hash.slice(0, 16)}${embFiles.hash.slice(0, 16)}`,
    );
  }

  /** [steps, 96] embeddings of 16 kHz mono samples in [-1, 1]. */
  async embed(samples: Float32Array): Promise<Float32Array> {
    const { stepSamples, contextSamples, melBins, windowFrames, embedding } = SPEECH;
    const steps = embeddingSteps(samples.length);
    const frames: Float32Array[] = [new Float32Array(windowFrames * melBins).fill(1)];
    let total = windowFrames;
    const ends: number[] = [];
    const window = new Float32Array(stepSamples + contextSamples);
    for (let s = 0; s < steps; s++) {
      const end = (s + 1) * stepSamples;
      const start = end - window.length;
      window.fill(0);
      for (let i = Math.max(0, start); i < end; i++)
        window[i - start] = (samples[i] as number) * 32767;
      const out = await this.mel.run({
        input: new ort.Tensor('float32', window, [1, window.length]),
      });
      const mel = Object.values(out)[0]?.data as Float32Array;
      const f = Float32Array.from(mel, (v) => v / 10 + 2);
      frames.push(f);
      total += f.length / melBins;
      ends.push(total);
    }
    if (steps === 0) return new Float32Array(0);
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

  async release(): Promise<void> {
    await this.mel.release();
    await this.embedding.release();
  }
}
