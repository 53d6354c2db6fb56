import { z } from 'zod';
import {
  AudioAugmentRequest,
  AudioAugmentResponse,
  AudioBalanceRequest,
  AudioBalanceResponse,
} from '../audio-dataset-tools.js';
import { audioPortal } from '../families/audio-portal.js';
import { FileReply, type OperationDef } from '../operation.js';

const family = audioPortal;

/** api-reference/audio-portal.md: augment, balance and export, on the family's default project. */
export const audioDatasetToolOperations = {
  audioDatasetAugment: {
    family,
    method: 'POST',
    path: '/api/dataset/augment',
    summary: 'Add augmented copies of the files of some classes, linked to their source',
    description:
      'Copies are WAV files imported into the dataset, each linked to its root original: every ' +
      'split puts a copy in the subset of its source, so no copy of a test clip is trained on. ' +
      'Seeded: the same request on the same dataset makes the same copies (and adds none twice).',
    body: AudioAugmentRequest,
    response: AudioAugmentResponse,
  },
  audioDatasetBalance: {
    family,
    method: 'POST',
    path: '/api/dataset/balance',
    summary: 'Balance the classes by oversampling (augmentation) or undersampling (exclusion)',
    body: AudioBalanceRequest,
    response: AudioBalanceResponse,
  },
  audioDatasetExport: {
    family,
    method: 'GET',
    path: '/api/dataset/export',
    summary: 'The dataset as a ZIP: `<class>/<name>` files and metadata.json',
    description:
      'metadata.json holds each file’s label, events, augmentation lineage and creation time. ' +
      'A dataset without files gives a ZIP with metadata.json alone.',
    query: z.strictObject({}),
    response: FileReply,
    output: { kind: 'file', contentTypes: ['application/zip'], attachment: true },
  },
} as const satisfies Record<string, OperationDef>;
