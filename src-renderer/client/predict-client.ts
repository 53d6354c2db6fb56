import {
  PREDICT_PATH,
  RunPrediction,
  WorkstationError,
  type PredictItem,
} from '../../src-shared/contract/index.js';
import { unwrapEnvelope } from './build-request.js';

/** POST …/runs/:run_id/predict over fetch: the file as multipart field `file`, a row as JSON. */
export async function predictOverHttp(
  base: string,
  projectId: string,
  runId: string,
  item: PredictItem,
  checkpoint: 'best' | 'last' = 'best',
): Promise<RunPrediction> {
  const url =
    base +
    PREDICT_PATH.replace(':project_id', encodeURIComponent(projectId)).replace(
      ':run_id',
      encodeURIComponent(runId),
    ) +
    `?checkpoint=${checkpoint}`;
  let init: RequestInit;
  if ('row' in item) {
    init = {
      method: 'POST',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
      body: JSON.stringify({ row: item.row }),
    };
  } else {
    const form = new FormData();
    form.append('file', item.file, item.filename);
    init = { method: 'POST', headers: { Accept: 'application/json' }, body: form };
  }
  let res: Response;
  try {
    res = await fetch(url, init);
  } catch {
    throw new WorkstationError('network', 'Cannot reach the workstation server. Is it running?');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(await res.text()) as unknown;
  } catch {
    payload = undefined;
  }
  const parsed = RunPrediction.safeParse(unwrapEnvelope(payload, res.status));
  if (!parsed.success) {
    throw new WorkstationError('bad_response', 'predict: reply does not match the contract');
  }
  return parsed.data;
}
