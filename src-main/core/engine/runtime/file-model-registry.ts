import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { AppError } from '../../errors.js';
import { fsyncDir, writeFileAtomic } from '../../workspace/atomic-write.js';
import { readCheckpointFiles } from '../export/checkpoint-files.js';
import { type CheckedOnnx, checkpointHash } from './checkpoint-onnx.js';
import { loadOrt } from './ort.js';
import type {
  ImportOptions,
  ModelRegistry,
  ModelVersion,
  RegisterCheckpointOptions,
} from './model-version.js';
import { type Dims, inspectOnnx } from './onnx-inspect.js';
import { parseUltralyticsNames } from './yolo.js';

const ID = /^mv-[0-9a-f]{8}$/;

/** A layout guess for imported models: channels of 1 or 3 next to the batch mean NCHW. */
function guessLayout(dims: Dims): 'NCHW' | 'NHWC' | 'NF' {
  if (dims.length === 4) {
    if (dims[1] === 1 || dims[1] === 3) return 'NCHW';
    if (dims[3] === 1 || dims[3] === 3) return 'NHWC';
  }
  return 'NF';
}

function guessImageFeatures(dims: Dims, layout: 'NCHW' | 'NHWC' | 'NF'): ModelVersion['features'] {
  if (layout === 'NF') return null;
  const [c, h, w] = layout === 'NCHW' ? [dims[1], dims[2], dims[3]] : [dims[3], dims[1], dims[2]];
  if (typeof h !== 'number' || typeof w !== 'number' || (c !== 1 && c !== 3)) return null;
  return { kind: 'image', input: { width: w, height: h, channels: c } };
}

/**
 * Model versions as folders `<root>/<id>/{model.onnx, version.json}`. A version appears whole or
 * not at all: its folder is written under a temp name, fsynced and renamed into place.
 */
export class FileModelRegistry implements ModelRegistry {
  private readonly now: () => Date;
  private readonly maxImportBytes: number;
  private readonly exporter: (checkpointDir: string) => Promise<CheckedOnnx>;

  constructor(
    private readonly root: string,
    opts: {
      readonly now?: () => Date;
      readonly maxImportBytes?: number;
      /** How a checkpoint becomes a checked ONNX graph; default: in this thread. */
      readonly exporter?: (checkpointDir: string) => Promise<CheckedOnnx>;
    } = {},
  ) {
    this.now = opts.now ?? (() => new Date());
    this.maxImportBytes = opts.maxImportBytes ?? 1024 * 1024 * 1024;
    this.exporter =
      opts.exporter ??
      // Both halves in this thread, loaded only when used (the workstation hands in a worker's).
      (async (dir) =>
        (await import('./checkpoint-onnx-export.js')).exportCheckedOnnx(
          await readCheckpointFiles(dir),
        ));
  }

  /** Removes what a crash can leave: half-written (`.mv-*.tmp`) and half-deleted folders. */
  async recover(): Promise<void> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return;
    }
    for (const n of names.filter((x) => /^\.mv-[0-9a-f]{8}\.(tmp|deleted-[0-9a-f]{8})$/.test(x))) {
      await rm(path.join(this.root, n), { recursive: true, force: true });
    }
  }

  async list(): Promise<readonly ModelVersion[]> {
    let names: string[];
    try {
      names = await readdir(this.root);
    } catch {
      return [];
    }
    const out: ModelVersion[] = [];
    for (const n of names.filter((x) => ID.test(x)).sort()) {
      // An unreadable folder (copied in by hand, damaged) is left out, not fatal for the list.
      const v = await this.get(n).catch(() => null);
      if (v) out.push(v);
    }
    return out.sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  async get(id: string): Promise<ModelVersion> {
    if (!ID.test(id)) throw new AppError('not_found', `model version ${id} not found`);
    try {
      const v = JSON.parse(
        await readFile(path.join(this.root, id, 'version.json'), 'utf8'),
      ) as ModelVersion;
      // The stored path is informative; the folder may have moved with its workspace.
      return { ...v, onnx_path: path.join(this.root, id, 'model.onnx') };
    } catch {
      throw new AppError('not_found', `model version ${id} not found`);
    }
  }

  async registerCheckpoint(
    checkpointDir: string,
    opts: RegisterCheckpointOptions = {},
  ): Promise<ModelVersion> {
    const files = await readCheckpointFiles(checkpointDir);
    const { meta } = files;
    const result = await this.exporter(checkpointDir);
    return this.write(result.bytes, (id, sha256) => ({
      id,
      name:
        opts.name ?? `${meta.architecture} (${opts.checkpoint ?? path.basename(checkpointDir)})`,
      source: 'trained',
      created_at: this.now().toISOString(),
      sha256,
      onnx_path: path.join(this.root, id, 'model.onnx'),
      task: meta.task,
      kind: meta.task === 'regression' ? 'regressor' : 'classifier',
      classes: meta.classes,
      input: { name: 'input', dims: result.inputDims, layout: result.layout },
      output: { name: 'output', dims: result.outputDims },
      features: meta.features,
      normalization: meta.normalization,
      origin: {
        run_id: opts.runId ?? null,
        checkpoint: opts.checkpoint ?? path.basename(checkpointDir),
        checkpoint_sha256: checkpointHash(files),
        parity_max_diff: result.parityMaxDiff,
      },
    }));
  }

  async importOnnx(filePath: string, opts: ImportOptions = {}): Promise<ModelVersion> {
    const size = await stat(filePath).then(
      (st) => st.size,
      () => {
        throw new AppError('not_found', `${path.basename(filePath)} not found`);
      },
    );
    if (size > this.maxImportBytes) {
      throw new AppError(
        'payload_too_large',
        `${path.basename(filePath)} is ${size} bytes; models up to ${this.maxImportBytes} bytes can be imported`,
      );
    }
    const bytes = new Uint8Array(await readFile(filePath));
    const sig = inspectOnnx(bytes);
    try {
      const ort = await loadOrt();
      const session = await ort.InferenceSession.create(bytes, { intraOpNumThreads: 1 });
      await session.release();
    } catch (err) {
      throw new AppError(
        'unprocessable',
        `onnxruntime cannot load this model: ${(err as Error).message.split('\n')[0]}`,
      );
    }
    const layout = opts.layout ?? guessLayout(sig.input.dims);
    // Ultralytics exports name their task and classes in the metadata.
    const names = sig.metadata.names ? parseUltralyticsNames(sig.metadata.names) : null;
    const yolo = sig.metadata.task === 'detect' && names !== null;
    const classes = opts.classes ?? names ?? [];
    return this.write(bytes, (id, sha256) => ({
      id,
      name: opts.name ?? path.basename(filePath),
      source: 'imported',
      created_at: this.now().toISOString(),
      sha256,
      onnx_path: path.join(this.root, id, 'model.onnx'),
      task: opts.task ?? null,
      kind: opts.kind ?? (yolo ? 'detector' : classes.length ? 'classifier' : 'raw'),
      classes,
      input: { name: sig.input.name, dims: sig.input.dims, layout },
      output: { name: sig.output.name, dims: sig.output.dims },
      features:
        opts.features === undefined ? guessImageFeatures(sig.input.dims, layout) : opts.features,
      normalization: opts.normalization ?? { mean: 0, std: 1 },
      origin: null,
    }));
  }

  async remove(id: string): Promise<void> {
    await this.get(id);
    // Renamed aside first so a reader never sees a half-deleted folder.
    const gone = path.join(this.root, `.${id}.deleted-${randomBytes(4).toString('hex')}`);
    await rename(path.join(this.root, id), gone);
    await rm(gone, { recursive: true, force: true });
  }

  private async write(
    bytes: Uint8Array,
    describe: (id: string, sha256: string) => ModelVersion,
  ): Promise<ModelVersion> {
    await mkdir(this.root, { recursive: true });
    const id = `mv-${randomBytes(4).toString('hex')}`;
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const version = describe(id, sha256);
    const tmp = path.join(this.root, `.${id}.tmp`);
    try {
      await mkdir(tmp);
      await writeFileAtomic(path.join(tmp, 'model.onnx'), bytes);
      await writeFileAtomic(
        path.join(tmp, 'version.json'),
        `${JSON.stringify(version, null, 2)}\n`,
      );
      await rename(tmp, path.join(this.root, id));
      await fsyncDir(this.root);
    } catch (err) {
      await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
      throw err;
    }
    return version;
  }
}
