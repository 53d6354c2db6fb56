import { z } from 'zod';
import {
  AudioDatasetInfo,
  AudioDatasetUploadFields,
  AudioDatasetUploadResponse,
  AudioWaveformResponse,
} from '../audio-portal.js';
import { audioPortal } from '../families/audio-portal.js';
import type { OperationDef } from '../operation.js';
import { audioDatasetToolOperations } from './audio-dataset-tools.js';

const family = audioPortal;

/** api-reference/audio-portal.md: the dataset endpoints, on the family's default project. */
export const audioPortalOperations = {
  audioDatasetInfo: {
    family,
    method: 'GET',
    path: '/api/dataset/info',
    summary: 'Files and acoustic events per class',
    description: 'On a workspace where the family was never written to: zeros; nothing is created.',
    response: AudioDatasetInfo,
  },
  audioDatasetUpload: {
    family,
    method: 'POST',
    path: '/api/dataset/upload',
    summary: 'Add one recording (WAV, MP3, FLAC, OGG) to a class of the dataset',
    description:
      'multipart/form-data: `file` and `class_label` (gold, iron or other). The type is judged ' +
      'by the bytes; the clip is decoded whole and its acoustic events found and stored.',
    files: { file: { description: 'The recording', required: true } },
    body: AudioDatasetUploadFields,
    response: AudioDatasetUploadResponse,
  },
  audioWaveform: {
    family,
    method: 'GET',
    path: '/api/waveform/:filename',
    summary: 'Downsampled waveform and events of a file of the dataset',
    description: 'The path is relative to the dataset (`gold/clip.wav`); nothing outside it.',
    params: z.strictObject({ filename: z.string().min(1) }),
    query: z.strictObject({
      points: z.coerce.number().int().min(10).max(10_000).default(1000),
    }),
    response: AudioWaveformResponse,
  },
  ...audioDatasetToolOperations,
} as const satisfies Record<string, OperationDef>;
