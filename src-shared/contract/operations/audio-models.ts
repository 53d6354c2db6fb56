import {
  AudioModelPerformance,
  AudioQuickClassifyBody,
  AudioQuickClassifyResponse,
  AudioTrainingConfig,
  AudioTrainingStartResponse,
  AudioTrainingStatus,
  AudioUploadResponse,
} from '../audio-models.js';
import { audioPortal } from '../families/audio-portal.js';
import type { OperationDef } from '../operation.js';

const family = audioPortal;
const TRAIN_FIRST = 'Before any training: 409 (`No trained models yet…`).';

/** api-reference/audio-portal.md: training, analytics, upload and quick-classify. */
export const audioModelsOperations = {
  audioTrainingStart: {
    family,
    method: 'POST',
    path: '/api/training/start',
    summary: 'Train the voting families on the dataset (a job; answers at once)',
    description:
      'Uses the latest split of the project when it covers every clip, else creates a seeded ' +
      'stratified 70/15/15 split. 400: a class with too few clips, or a bad config; 409: a ' +
      'training is already running.',
    body: AudioTrainingConfig,
    response: AudioTrainingStartResponse,
  },
  audioTrainingStatus: {
    family,
    method: 'GET',
    path: '/api/training/status',
    summary: 'Status, progress (0 … 1), per-family metrics and ETA of the last training',
    description: '`idle` when no training ever ran.',
    response: AudioTrainingStatus,
  },
  audioModelPerformance: {
    family,
    method: 'GET',
    path: '/api/analytics/model-performance',
    summary: 'Per class and per family (and the vote): accuracy, precision, recall, F1, confusion',
    description:
      'On the test split of the last completed training. Before any training: 404 ' +
      '(`No trained models yet…`).',
    response: AudioModelPerformance,
  },
  audioUpload: {
    family,
    method: 'POST',
    path: '/api/upload',
    summary: 'Classify one recording (WAV, MP3, FLAC, OGG); nothing is stored',
    description:
      'multipart/form-data `file`, judged by its bytes. M4A/AAC: 415 (no decoder). ' + TRAIN_FIRST,
    // No text fields: a body schema of `{}` would type the call's input as having no keys at all.
    files: { file: { description: 'The recording', required: true } },
    response: AudioUploadResponse,
  },
  audioQuickClassify: {
    family,
    method: 'POST',
    path: '/api/quick-classify',
    summary: 'Classify a chunk of samples sent as JSON',
    description: `\`audio\`: samples in [-1, 1]; \`sample_rate\` 1000 … 384000. ${TRAIN_FIRST}`,
    body: AudioQuickClassifyBody,
    // 30 s at 22050 Hz, written as JSON numbers at float precision.
    jsonLimit: '16mb',
    response: AudioQuickClassifyResponse,
  },
} as const satisfies Record<string, OperationDef>;
