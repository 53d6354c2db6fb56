import type * as Ort from 'onnxruntime-node';

let loaded: Promise<typeof Ort> | undefined;

/**
 * onnxruntime-node, loaded on first use: a process that never predicts never loads its native
 * addon, and a thread that only hands work on (the main one, for evaluations and exports) stays
 * free of it.
 */
export function loadOrt(): Promise<typeof Ort> {
  return (loaded ??= import('onnxruntime-node'));
}
