import type { HandlersOf } from '../../../../src-shared/contract/operation.js';
import type { audioModelsOperations } from '../../../../src-shared/contract/operations/audio-models.js';
import type { AudioModelsService } from './models-service.js';
import type { AudioTraining } from './training.js';

/** Training, analytics, upload and quick-classify over their services (HTTP routes and IPC). */
export function audioModelsHandlers(
  svc: AudioModelsService,
  training: AudioTraining,
): HandlersOf<typeof audioModelsOperations> {
  return {
    audioTrainingStart: async (config) => {
      const { job_id, split_index } = await training.start(config);
      return {
        success: true,
        message: `Training started (${config.families.join(', ')})`,
        job_id,
        status: 'training',
        split_index,
        config,
      };
    },
    audioTrainingStatus: async () => training.status(),
    audioModelPerformance: () => svc.performance(),
    audioUpload: (input) => svc.upload({ path: input.file.path, filename: input.file.filename }),
    audioQuickClassify: (input) => svc.quickClassify(input.audio, input.sample_rate),
  };
}
