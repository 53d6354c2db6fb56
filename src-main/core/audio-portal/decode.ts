import { decodeStreamed, openDecoder, type AudioData } from '../media/audio.js';
import { FileError } from '../media/file-error.js';
import type { AudioFormat } from '../media/sniff.js';

export interface DecodedClip {
  /** Mono: the channels averaged. */
  readonly samples: Float32Array;
  readonly sampleRate: number;
}

/**
 * Decodes a whole clip into memory as mono samples (the onset detector and the waveform need
 * them all), refusing anything longer than `maxSeconds` while it decodes.
 */
export async function decodeMono(
  filePath: string,
  format: AudioFormat,
  maxSeconds: number,
): Promise<DecodedClip> {
  const decoder = await openDecoder(format);
  const parts: Float32Array[] = [];
  let sampleRate = 0;
  let frames = 0;
  const take = (out: AudioData): void => {
    const n = out.channelData[0]?.length ?? 0;
    if (n === 0) return;
    if (!(out.sampleRate > 0))
      throw new FileError('corrupt_audio', 'decoder reported no sample rate');
    if (sampleRate === 0) sampleRate = out.sampleRate;
    const mono = new Float32Array(n);
    for (const ch of out.channelData) {
      for (let i = 0; i < n; i++) mono[i]! += (ch[i] ?? 0) / out.channelData.length;
    }
    parts.push(mono);
    frames += n;
    if (frames / sampleRate > maxSeconds) {
      throw new FileError('audio_too_long', `audio is longer than the limit of ${maxSeconds} s`);
    }
  };
  await decodeStreamed(decoder, filePath, format, take);
  if (frames === 0)
    throw new FileError('corrupt_audio', `no ${format} audio samples could be decoded`);
  const samples = new Float32Array(frames);
  let at = 0;
  for (const p of parts) {
    samples.set(p, at);
    at += p.length;
  }
  return { samples, sampleRate };
}

/** `points` buckets, each the sample of largest magnitude in it (sign kept): peaks stay visible. */
export function downsample(samples: Float32Array, points: number): number[] {
  const n = Math.min(points, samples.length);
  const out: number[] = [];
  for (let b = 0; b < n; b++) {
    const from = Math.floor((b * samples.length) / n);
    const to = Math.floor(((b + 1) * samples.length) / n);
    let best = 0;
    for (let i = from; i < to; i++) if (Math.abs(samples[i]!) > Math.abs(best)) best = samples[i]!;
    out.push(Math.round(best * 10_000) / 10_000);
  }
  return out;
}
