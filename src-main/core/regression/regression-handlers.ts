import type { HandlersOf } from '../../../src-shared/contract/operation.js';
import type { regressionOperations } from '../../../src-shared/contract/operations/tabular-regression.js';
import { AppError } from '../errors.js';
import type { RegressionService } from './regression-service.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  'learning_curve.png': 'image/png',
  'predictions_plot.png': 'image/png',
  'model.pkl': 'application/octet-stream',
};

/** The family's operations over its service: what both the HTTP routes and IPC call. */
export function regressionHandlers(
  reg: RegressionService,
): HandlersOf<typeof regressionOperations> {
  return {
    regressionUpload: (input) =>
      reg.upload({
        path: input.file.path,
        filename: input.file.filename,
        targetColumn: input.target_column,
      }),
    regressionTrain: (input) => reg.train(input),
    regressionPredict: (input) => reg.predict(input),
    regressionReset: async () => ({ status: 'success', removed: await reg.reset() }),
    async regressionOutput({ name }) {
      const file = await reg.outputPath(name);
      if (file === null) throw new AppError('not_found', `No output file named ${name}`);
      return {
        path: file,
        filename: name,
        content_type: CONTENT_TYPES[name] ?? 'application/octet-stream',
      };
    },
    regressionState: () => reg.state(),
    regressionBindProject: (input) => reg.bindProject(input.project_id),
  };
}
