import { rm } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type {
  AudioModelPerformance,
  AudioQuickClassifyResponse,
  AudioUploadResponse,
} from '../../../../src-shared/contract/index.js';
import { AppError } from '../../errors.js';
import { isFileError } from '../../media/file-error.js';
import { sniffFile } from '../../media/sniff.js';
import type { ServiceContext } from '../../services/context.js';
import { audioFormatOf } from '../audio-portal-service.js';
import type { AudioClassifier, Verdict } from '../classifier.js';
import { decodeMono, downsample } from '../decode.js';
import { detectOnsets } from '../onsets.js';
import type { PortalModels } from './audio-models.js';
import type { AudioTraining } from './training.js';

/** Longest chunk /api/quick-classify takes: it is for live chunks, not whole recordings. */
export const MAX_QUICK_SECONDS = 30;
const WAVEFORM_POINTS = 1000;
const WORKING_FORMATS = 'WAV, MP3, FLAC and OGG';

export interface AudioModelsService {
  upload(file: { path: string; filename: string }): Promise<AudioUploadResponse>;
  quickClassify(audio: readonly number[], sampleRate: number): Promise<AudioQuickClassifyResponse>;
  performance(): Promise<AudioModelPerformance>;
}

const r3 = (x: number): number => Math.round(x * 1000) / 1000;
const safeName = (name: string): string => name.replace(/\\/g, '/').split('/').pop() || 'upload';

export function createAudioModelsService(
  ctx: ServiceContext,
  models: PortalModels,
  training: AudioTraining,
): AudioModelsService {
  const classifier = async (): Promise<AudioClassifier> => {
    const c = await models.current();
    if (!c) {
      throw new AppError(
        'conflict',
        'No trained models yet: train them first with POST /api/training/start',
      );
    }
    return c;
  };
  const judge = (c: AudioClassifier, samples: Float32Array, rate: number): Promise<Verdict> => {
    if (c.classifyAt) return c.classifyAt(samples, rate);
    throw new AppError('internal', 'the models cannot take audio at other rates');
  };

  return {
    async upload({ path: staged, filename }) {
      const started = performance.now();
      const name = safeName(filename);
      try {
        const sniffed = await sniffFile(staged).catch(() => null);
        if (sniffed?.kind === 'unsupported' && /AAC/.test(sniffed.detail)) {
          throw new AppError(
            'unsupported_media_type',
            `${name}: ${sniffed.detail}. Formats that work: ${WORKING_FORMATS}`,
          );
        }
        const format = await audioFormatOf(staged, name);
        let clip;
        try {
          clip = await decodeMono(staged, format, ctx.limits.maxAudioSeconds);
        } catch (err) {
          if (isFileError(err)) throw new AppError('bad_request', `${name}: ${err.message}`);
          throw err;
        }
        const verdict = await judge(await classifier(), clip.samples, clip.sampleRate);
        // The events the models judged (found on their thread, at their rate).
        const events =
          verdict.events?.map((e) => ({ onset: e.onset, offset: e.offset })) ??
          detectOnsets(clip.samples, clip.sampleRate).map((e) => ({
            onset: r3(e.onset),
            offset: r3(e.offset),
          }));
        return {
          success: true,
          filename: name,
          predicted_label: verdict.predicted_label,
          confidence: verdict.confidence,
          processing_time: Math.round(performance.now() - started) / 1000,
          all_probabilities: { ...verdict.all_probabilities },
          model_votes: { ...verdict.model_votes },
          waveform: downsample(clip.samples, WAVEFORM_POINTS),
          sample_rate: clip.sampleRate,
          duration: r3(clip.samples.length / clip.sampleRate),
          timestamp: ctx.now().toISOString(),
          events,
        };
      } finally {
        // Nothing of an upload is kept.
        await rm(staged, { force: true });
      }
    },

    async quickClassify(audio, sampleRate) {
      if (audio.length / sampleRate > MAX_QUICK_SECONDS) {
        throw new AppError(
          'bad_request',
          `audio holds ${r3(audio.length / sampleRate)} s; at most ${MAX_QUICK_SECONDS} s per request`,
        );
      }
      const c = await classifier();
      const v = await judge(c, Float32Array.from(audio), sampleRate);
      return {
        success: true,
        predicted_label: v.predicted_label,
        confidence: v.confidence,
        all_probabilities: { ...v.all_probabilities },
      };
    },

    async performance() {
      const p = await training.performance();
      if (!p) {
        throw new AppError(
          'not_found',
          'No trained models yet: train them first with POST /api/training/start',
        );
      }
      return {
        success: true,
        trained_at: p.trained_at,
        evaluated_on: p.evaluated_on,
        classes: [...p.classes],
        clips: p.clips,
        families: { ...p.families },
        vote: p.vote,
        weights: { ...p.weights },
        agreement: p.agreement,
      } as AudioModelPerformance;
    },
  };
}
