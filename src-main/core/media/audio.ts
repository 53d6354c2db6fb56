import { createReadStream } from 'node:fs';
import { decoder as wavDecoder } from '@audio/decode-wav';
import { FileError, isFileError, reason } from './file-error.js';
import { mp3Channels } from './mp3-header.js';
import type { AudioFormat } from './sniff.js';
import { PeakAccumulator, renderWaveformThumbnail, type Peak } from './waveform.js';

export interface AudioData {
  readonly channelData: readonly Float32Array[];
  readonly sampleRate: number;
}
/** The streaming shape every `@audio/decode-*` package shares (read from their .d.ts files). */
export interface ChunkDecoder {
  decode(chunk: Uint8Array): AudioData;
  flush?(): AudioData;
  free(): void;
}

export interface AudioProbe {
  readonly duration: number;
  readonly sampleRate: number;
  readonly channels: number;
  readonly peaks: Peak[];
  /** 256×96 WebP waveform. */
  readonly thumbnail: Buffer;
}

const CHUNK_BYTES = 64 * 1024;

/**
 * Decoders: the MIT `@audio/decode-*` packages, loaded on first use (the WASM ones are large).
 * AAC/M4A is absent on purpose: `@audio/decode-aac` is GPL-2.0 (see sniff.ts).
 */
export async function openDecoder(format: AudioFormat): Promise<ChunkDecoder> {
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

/**
 * Streams a file through `decoder` (which it frees), handing each decoded block to `take` and
 * each raw chunk to `onBytes` first. A FileError thrown by `take` passes through; any other
 * failure is `corrupt_audio`.
 */
export async function decodeStreamed(
  decoder: ChunkDecoder,
  filePath: string,
  format: AudioFormat,
  take: (out: AudioData) => void,
  onBytes?: (chunk: Uint8Array) => void,
): Promise<void> {
  const stream = createReadStream(filePath, { highWaterMark: CHUNK_BYTES });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      onBytes?.(chunk);
      take(decoder.decode(new Uint8Array(chunk)));
    }
    if (decoder.flush) take(decoder.flush());
  } catch (err) {
    if (isFileError(err)) throw err;
    throw new FileError('corrupt_audio', `${format} audio cannot be decoded: ${reason(err)}`);
  } finally {
    stream.destroy();
    try {
      decoder.free();
    } catch {
      /* a decoder that failed may refuse to free; nothing else holds it */
    }
  }
}

/**
 * Decodes a whole clip as a stream (bounded memory: samples are folded into the peak envelope and
 * dropped), stopping as soon as it runs past `maxSeconds`.
 */
export async function probeAudio(
  filePath: string,
  format: AudioFormat,
  maxSeconds: number,
): Promise<AudioProbe> {
  let decoder: ChunkDecoder;
  try {
    decoder = await openDecoder(format);
  } catch (err) {
    throw new FileError('corrupt_audio', `cannot start the ${format} decoder: ${reason(err)}`);
  }
  const peaks = new PeakAccumulator();
  let sampleRate = 0;
  let channels = 0;
  let frames = 0;

  const take = (out: AudioData): void => {
    const n = out.channelData[0]?.length ?? 0;
    if (n === 0) return;
    if (!(out.sampleRate > 0))
      throw new FileError('corrupt_audio', 'decoder reported no sample rate');
    if (sampleRate === 0) sampleRate = out.sampleRate;
    channels = Math.max(channels, out.channelData.length);
    peaks.push(out.channelData, n);
    frames += n;
    if (frames / sampleRate > maxSeconds) {
      throw new FileError('audio_too_long', `audio is longer than the limit of ${maxSeconds} s`);
    }
  };

  let declaredChannels: number | null = null;
  await decodeStreamed(decoder, filePath, format, take, (chunk) => {
    if (format === 'mp3' && declaredChannels === null) declaredChannels = mp3Channels(chunk);
  });
  if (frames === 0 || sampleRate === 0) {
    throw new FileError('corrupt_audio', `no ${format} audio samples could be decoded`);
  }
  const envelope = peaks.finish();
  return {
    duration: Math.round((frames / sampleRate) * 1000) / 1000,
    sampleRate,
    // mp3: the decoder duplicates a mono stream into two channels; the frame header is the truth.
    channels: declaredChannels ?? channels,
    peaks: envelope,
    thumbnail: await renderWaveformThumbnail(envelope),
  };
}
