import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../errors.js';

const Sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'a sha256 is 64 lowercase hex digits');
const Dim = z.union([z.number().int().nonnegative(), z.string().min(1)]);
const TensorInfo = z.strictObject({
  name: z.string().min(1),
  shape: z.array(Dim),
  dtype: z.enum(['float32', 'int64']),
});

/** One file of native-models/ (see its README): where a pretrained model's files come from. */
export const ModelManifest = z.strictObject({
  schema: z.literal(1),
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
  title: z.string().min(1),
  task: z.array(z.string()).min(1),
  license: z.string().min(1),
  /** Set when the licence restricts use (the openWakeWord heads): shown wherever it is listed. */
  license_note: z.string().optional(),
  package: z.strictObject({
    npm: z.string().min(1),
    version: z.string().regex(/^\d+\.\d+\.\d+$/),
  }),
  format: z.enum(['onnx', 'tfjs-layers-umd']),
  files: z
    .array(
      z.strictObject({
        role: z.string().min(1),
        /** Relative to the package folder; never leaves it. */
        path: z
          .string()
          .min(1)
          .refine((p) => !path.isAbsolute(p) && !p.split(/[\\/]/).includes('..'), {
            message: 'a file path stays inside its package',
          }),
        sha256: Sha256,
        bytes: z.number().int().positive(),
      }),
    )
    .min(1),
  inputs: z.array(TensorInfo).min(1),
  outputs: z.array(TensorInfo).min(1),
  preprocessing: z.record(z.string(), z.unknown()),
  note: z.string().optional(),
});
export type ModelManifest = z.infer<typeof ModelManifest>;

const Index = z.strictObject({
  schema: z.literal(1),
  models: z.array(z.string().regex(/^[a-z0-9-]+\.json$/)),
});

const broken = (message: string): AppError => new AppError('unprocessable', message);

async function readJson(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw broken(`cannot read ${path.basename(file)}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw broken(`${path.basename(file)} is not JSON: ${(err as Error).message}`);
  }
}

/** Every manifest listed in `<dir>/manifest.json`, validated; ids are unique. */
export async function readManifests(dir: string): Promise<ModelManifest[]> {
  const index = Index.safeParse(await readJson(path.join(dir, 'manifest.json')));
  if (!index.success)
    throw broken(`native-models/manifest.json: ${index.error.issues[0]?.message}`);
  const out: ModelManifest[] = [];
  for (const file of index.data.models) {
    const parsed = ModelManifest.safeParse(await readJson(path.join(dir, file)));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw broken(`native-models/${file}: ${issue?.path.join('.')}: ${issue?.message}`);
    }
    if (out.some((m) => m.id === parsed.data.id)) {
      throw broken(`native-models/${file}: id "${parsed.data.id}" is listed twice`);
    }
    out.push(parsed.data);
  }
  return out;
}

export async function readManifest(dir: string, id: string): Promise<ModelManifest> {
  const found = (await readManifests(dir)).find((m) => m.id === id);
  if (!found) throw new AppError('not_found', `pretrained model ${id} is not in native-models/`);
  return found;
}
