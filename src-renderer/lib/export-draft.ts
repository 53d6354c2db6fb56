/**
 * The Export screen's form as the user edits it (strings from inputs), and the request options
 * it stands for. Checked here for what the form can know (numbers, shape syntax); the server
 * checks the rest against the model (400/422 with its message).
 */
export interface OnnxDraft {
  readonly opset: string;
  /** Comma- or space-separated, e.g. "1, 3, 224, 224"; empty: the model's own. */
  readonly inputShape: string;
  readonly dynamicBatch: boolean;
  readonly simplify: boolean;
}

export const DEFAULT_ONNX_DRAFT: OnnxDraft = {
  opset: '17',
  inputShape: '',
  dynamicBatch: true,
  simplify: true,
};

export type DraftResult =
  | { readonly ok: true; readonly options: Readonly<Record<string, unknown>> }
  | { readonly ok: false; readonly error: string };

export function onnxOptions(d: OnnxDraft): DraftResult {
  const opset = Number(d.opset.trim());
  if (!Number.isInteger(opset) || opset < 13 || opset > 17) {
    return { ok: false, error: 'Opset must be a whole number from 13 to 17' };
  }
  const options: Record<string, unknown> = { opset_version: opset, simplify: d.simplify };
  const text = d.inputShape.trim();
  if (text !== '') {
    const parts = text.split(/[\s,]+/).filter(Boolean);
    const dims = parts.map(Number);
    if (dims.length < 2 || dims.some((v) => !Number.isInteger(v) || v < 1)) {
      return { ok: false, error: 'Input shape is whole numbers, batch first, e.g. 1, 3, 224, 224' };
    }
    options.input_shape = dims;
  }
  if (d.dynamicBatch) {
    options.dynamic_axes = { input: { '0': 'batch_size' }, output: { '0': 'batch_size' } };
  }
  return { ok: true, options };
}
