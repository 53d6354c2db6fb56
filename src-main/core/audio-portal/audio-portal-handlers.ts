import type { HandlersOf } from '../../../src-shared/contract/operation.js';
import type { audioPortalOperations } from '../../../src-shared/contract/operations/audio-portal.js';
import type { AudioPortalService } from './audio-portal-service.js';

/** The family's operations over its service: what both the HTTP routes and IPC call. */
export function audioPortalHandlers(
  svc: AudioPortalService,
): HandlersOf<typeof audioPortalOperations> {
  return {
    audioDatasetInfo: () => svc.info(),
    audioDatasetUpload: (input) =>
      svc.upload({
        path: input.file.path,
        filename: input.file.filename,
        classLabel: input.class_label,
      }),
    audioWaveform: (input) => svc.waveform(input.filename, input.points),
    audioDatasetAugment: (input) => svc.augment(input),
    audioDatasetBalance: (input) => svc.balance(input),
    audioDatasetExport: () => svc.exportZip(),
  };
}
