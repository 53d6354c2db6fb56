import type { AudioInput } from '../config.js';
import { embeddingSteps, SPEECH, SpeechEmbedder } from '../pretrained/speech-embedding.js';
import { decodeMono } from './audio.js';
import { padOrCrop, resample } from './resample.js';

/** One embedder per thread, opened (and its models hash-checked) on first use. */
let embedder: Promise<SpeechEmbedder> | null = null;

function sharedEmbedder(): Promise<SpeechEmbedder> {
  embedder ??= SpeechEmbedder.open().catch((err: unknown) => {
    embedder = null;
    throw err;
  });
  return embedder;
}

/** [steps, 96, 1]: one 96-value speech embedding per 80 ms step of the clip. */
export function speechFeatureShape(input: AudioInput): [number, number, number] {
  const samples = Math.round(SPEECH.sampleRate * input.clip_seconds);
  return [embeddingSteps(samples), SPEECH.embedding, 1];
}

/** The models' source hash, for the feature cache key. */
export async function speechSourceHash(): Promise<string> {
  return (await sharedEmbedder()).sourceHash;
}

/**
 * One clip's speech embeddings: decode → mono → 16 kHz → first `clip_seconds` (zero-padded) →
 * openWakeWord's mel and embedding models, fed step by step as its own streaming code does.
 */
export async function extractSpeechFeatures(
  filePath: string,
  input: AudioInput,
): Promise<Float32Array> {
  const decoded = await decodeMono(filePath, input.clip_seconds + 0.5);
  const samples = Math.round(SPEECH.sampleRate * input.clip_seconds);
  const clip = padOrCrop(resample(decoded.samples, decoded.sampleRate, SPEECH.sampleRate), samples);
  return (await sharedEmbedder()).embed(clip);
}
