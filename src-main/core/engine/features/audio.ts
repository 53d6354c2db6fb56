import { createReadStream } from 'node:fs';
import { decoder as wavDecoder } from '@audio/decode-wav';
import { reason } from '../../media/file-error.js';
import { sniffFile, type AudioFormat } from '../../media/sniff.js';
import { melGeometry, type AudioInput } from '../config.js';
import { LogMel } from './mel.js';
import { padOrCrop, resample } from './resample.js';

interface AudioData {
  readonly channelData: readonly Float32Array[];
  readonly sampleRate: number;
}
/** The streaming shape every `@audio/decode-*` package shares (as core/media/audio.ts uses it). */
interface ChunkDecoder {
  decode(chunk: Uint8Array): AudioData;
  flush?(): AudioData;
  free(): void;
}

/** The same MIT decoders the import uses (core/media/audio.ts), loaded on first use. */
async function openDecoder(format: AudioFormat): Promise<ChunkDecoder> {
  switch (format) {
    case 'wav':
      return wavDecoder() as ChunkDecoder;
    case 'mp3':
      return (await (await import('@audio/decode-mp3')).decoder()) as ChunkDecoder;
    case 'flac':
      return (await (await import('@audio/decode-flac')).decoder()) as ChunkDecoder;
    case 'vorbis':
      return (await (await import('@audio/decode-vorbis')).decoder()) as ChunkDecoder;
    case 'opus':
      return (await (await import('@audio/decode-opus')).decoder()) as ChunkDecoder;
  }
}

export interface MonoAudio {
  readonly samples: Float32Array;
  readonly sampleRate: number;
}

/**
 * Decodes the first `seconds` of a file (judged by its bytes) and mixes it down to mono by
 * averaging the channels. Decoding stops once enough samples are in, so long recordings cost
 * only the clip they contribute.
 */
export async function decodeMono(filePath: string, seconds: number): Promise<MonoAudio> {
  const sniffed = await sniffFile(filePath);
  if (sniffed.kind !== 'audio') throw new Error(`not an audio file (${filePath})`);
  const decoder = await openDecoder(sniffed.format);
  const parts: Float32Array[] = [];
  let sampleRate = 0;
  let frames = 0;
  const take = (out: AudioData): void => {
    const n = out.channelData[0]?.length ?? 0;
    if (n === 0) return;
    if (sampleRate === 0) sampleRate = out.sampleRate;
    const mono = new Float32Array(n);
    const share = 1 / out.channelData.length;
    for (const ch of out.channelData) {
      for (let i = 0; i < n; i++) mono[i] = (mono[i] as number) + (ch[i] ?? 0) * share;
    }
    parts.push(mono);
    frames += n;
  };
  const enough = (): boolean => sampleRate > 0 && frames >= Math.ceil(seconds * sampleRate) + 64;
  const stream = createReadStream(filePath, { highWaterMark: 64 * 1024 });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      take(decoder.decode(new Uint8Array(chunk)));
      if (enough()) break;
    }
    if (!enough() && decoder.flush) take(decoder.flush());
  } catch (err) {
    throw new Error(`${sniffed.format} audio cannot be decoded: ${reason(err)}`);
  } finally {
    stream.destroy();
    try {
      decoder.free();
    } catch {
      /* a failed decoder may refuse to free */
    }
  }
  if (frames === 0 || !(sampleRate > 0)) throw new Error('no audio samples could be decoded');
  const samples = new Float32Array(frames);
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  return { samples, sampleRate };
}

const logMels = new Map<string, LogMel>();

/** The log-mel front end for an input config (one per geometry, reused across items). */
export function logMelFor(input: AudioInput): LogMel {
  const g = melGeometry(input);
  const key = `${input.sample_rate}/${g.windowSamples}/${g.hopSamples}/${g.fftSize}/${input.n_mels}`;
  let lm = logMels.get(key);
  if (!lm) {
    lm = new LogMel({
      sampleRate: input.sample_rate,
      windowSamples: g.windowSamples,
      hopSamples: g.hopSamples,
      fftSize: g.fftSize,
      nMels: input.n_mels,
    });
    logMels.set(key, lm);
  }
  return lm;
}

/** [frames, n_mels, 1] of an audio input config. */
export function audioFeatureShape(input: AudioInput): [number, number, number] {
  return [melGeometry(input).frames, input.n_mels, 1];
}

/**
 * One clip's features: decode → mono → resample to `sample_rate` → first `clip_seconds`
 * (zero-padded when shorter) → log-mel [frames × n_mels], time-major.
 */
export async function extractAudioFeatures(
  filePath: string,
  input: AudioInput,
): Promise<Float32Array> {
  // Half a second more than the clip: the resampler's filter needs samples past the cut.
  const decoded = await decodeMono(filePath, input.clip_seconds + 0.5);
  const { samples } = melGeometry(input);
  const resampled = resample(decoded.samples, decoded.sampleRate, input.sample_rate);
  return logMelFor(input).compute(padOrCrop(resampled, samples));
}
