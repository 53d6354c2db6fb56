import type { ModelInfo, Prediction, TableRow } from '../../../src-shared/contract/predict.js';
import { AppError } from '../errors.js';
import type { ModelVersion, PredictInput } from '../engine/runtime/index.js';
import { sniffFile } from '../media/sniff.js';

/** One item on its way to a model: a file on disk (staged) or a table row. */
export type Materialised =
  | { readonly kind: 'file'; readonly path: string; readonly filename: string }
  | { readonly kind: 'row'; readonly row: TableRow };

const WANTS: Readonly<Record<string, string>> = {
  image: 'an image file (PNG, JPEG, WebP, TIFF, BMP)',
  audio: 'a sound file (WAV, MP3, FLAC, OGG)',
  table: 'a table row as JSON ({"row": {column: value, …}})',
};

/** The model's input for one item, after checking that the item is the media the model takes. */
export async function inputFor(version: ModelVersion, item: Materialised): Promise<PredictInput> {
  const f = version.features;
  const wants = f ? WANTS[f.kind] : 'prepared features, not files or rows';
  if (item.kind === 'row') {
    if (f?.kind !== 'table')
      throw new AppError('unsupported_media_type', `this model takes ${wants}, not a table row`);
    if (!Array.isArray(item.row)) return { row: item.row as Record<string, number> };
    const values = item.row as readonly number[];
    if (values.length !== f.columns.length) {
      throw new AppError(
        'bad_request',
        `the row has ${values.length} values; this model takes ${f.columns.length} (${f.columns.join(', ')})`,
      );
    }
    return { row: Object.fromEntries(f.columns.map((c, i) => [c, values[i] as number])) };
  }
  if (!f || f.kind === 'table') {
    throw new AppError('unsupported_media_type', `this model takes ${wants}, not a file`);
  }
  const sniffed = await sniffFile(item.path).catch(() => null);
  if (sniffed?.kind !== f.kind) {
    const is =
      !sniffed || sniffed.kind === 'unsupported'
        ? 'not an image or sound file'
        : `a ${sniffed.kind} file`;
    throw new AppError(
      'unsupported_media_type',
      `this model takes ${wants}; ${item.filename} is ${is}`,
    );
  }
  return { file: item.path };
}

export const kindOf = (v: ModelVersion): Prediction['kind'] =>
  v.kind === 'classifier' ? 'classification' : v.kind === 'regressor' ? 'regression' : 'raw';

export function infoOf(v: ModelVersion, loaded: boolean): ModelInfo {
  return {
    id: v.id,
    name: v.name,
    source: v.source,
    kind: v.kind,
    task: v.task,
    classes: [...v.classes],
    input: { name: v.input.name, dims: [...v.input.dims], layout: v.input.layout },
    output: { name: v.output.name, dims: [...v.output.dims] },
    created_at: v.created_at,
    run_id: v.origin?.run_id ?? null,
    checkpoint: v.origin?.checkpoint ?? null,
    loaded,
  };
}
