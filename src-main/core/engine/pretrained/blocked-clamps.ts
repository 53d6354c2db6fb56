import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { onnxModelType } from '../export/onnx/onnx-proto.js';

/** Loosely typed ONNX objects as protobufjs' toObject gives them. */
interface Obj {
  [k: string]: unknown;
}

const inputs = (n: Obj): string[] => (n['input'] as string[] | undefined) ?? [];
const outputs = (n: Obj): string[] => (n['output'] as string[] | undefined) ?? [];

/**
 * The speech embedding clamps every layer with Max(x, −0.4), an op onnxruntime's blocked
 * (NCHWc) layout does not know, so its optimiser wraps each one in a ReorderOutput to plain
 * NCHW and a ReorderInput back: a fifth of the model's time. A Max against a scalar is the same
 * op in any layout (and keeps the blocked layout's zero padding channels at zero, max(0, −0.4)),
 * so in the optimised graph each ReorderOutput → Max(·, scalar) → ReorderInput becomes the Max
 * alone, on the blocked tensor (with a plain MaxPool before it, that pool becomes the blocked
 * layout's own). Returns the edited model and how many pairs it removed.
 */
export function keepClampsBlocked(optimized: Uint8Array): { bytes: Uint8Array; removed: number } {
  const type = onnxModelType();
  const model = type.toObject(type.decode(optimized), { defaults: false }) as Obj;
  const graph = model['graph'] as Obj;
  const nodes = graph['node'] as Obj[];
  const scalars = new Set(
    ((graph['initializer'] as Obj[] | undefined) ?? [])
      .filter((t) => ((t['dims'] as number[] | undefined) ?? []).every((d) => Number(d) === 1))
      .map((t) => t['name'] as string),
  );
  const readers = (name: string): Obj[] => nodes.filter((n) => inputs(n).includes(name));
  const producer = (name: string): Obj | undefined => nodes.find((n) => outputs(n).includes(name));
  const drop = new Set<Obj>();
  for (const max of nodes) {
    const [x, c] = inputs(max);
    if (max['opType'] !== 'Max' || max['domain'] || inputs(max).length !== 2 || !scalars.has(c!)) {
      continue;
    }
    // A plain MaxPool between the reorder and the Max moves into the blocked layout too.
    const before = producer(x!);
    const pool = before?.['opType'] === 'MaxPool' && !before['domain'] ? before : undefined;
    const out = pool ? producer(inputs(pool)[0]!) : before;
    const next = readers(outputs(max)[0]!);
    const back = next[0];
    if (
      out?.['opType'] !== 'ReorderOutput' ||
      readers(outputs(out)[0]!).length !== 1 ||
      readers(x!).length !== 1 ||
      next.length !== 1 ||
      back?.['opType'] !== 'ReorderInput'
    ) {
      continue;
    }
    if (pool) {
      pool['domain'] = 'com.microsoft.nchwc';
      pool['input'] = [inputs(out)[0]];
    } else {
      max['input'] = [inputs(out)[0], c];
    }
    max['output'] = [outputs(back)[0]];
    drop.add(out).add(back);
  }
  graph['node'] = nodes.filter((n) => !drop.has(n));
  // Shapes recorded for the removed plain-layout tensors no longer hold.
  graph['valueInfo'] = [];
  return { bytes: type.encode(type.fromObject(model)).finish(), removed: drop.size / 2 };
}

/**
 * A session of `bytes` optimised for this machine (the blocked layout's block size is the
 * CPU's), then with its clamps kept blocked and loaded without re-optimising. Falls back to the
 * plainly optimised session if nothing could be edited or the edit does not load.
 */
export async function openWithBlockedClamps(
  bytes: Uint8Array,
  so: ort.InferenceSession.SessionOptions,
): Promise<ort.InferenceSession> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'assay-speech-graph-'));
  try {
    const file = path.join(dir, 'optimized.onnx');
    const plain = await ort.InferenceSession.create(bytes, {
      ...so,
      graphOptimizationLevel: 'all',
      optimizedModelFilePath: file,
      // The optimiser warns that the file is for this CPU only: it is, and is deleted after.
      logSeverityLevel: 3,
    });
    try {
      const edited = keepClampsBlocked(await readFile(file));
      if (edited.removed === 0) return plain;
      const blocked = await ort.InferenceSession.create(edited.bytes, {
        ...so,
        graphOptimizationLevel: 'disabled',
      });
      await plain.release();
      return blocked;
    } catch {
      return plain;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
