import { copyFile, mkdir, stat, writeFile } from 'node:fs/promises';
import {
  discardStaged,
  stagingPath,
  uploadRelativePath,
  type StagedFile,
} from '../core/workspace/import/staging.js';

export interface UploadEntry {
  readonly relativePath: string;
  readonly path?: string | undefined;
  readonly bytes?: Uint8Array | undefined;
}

export class StagingError extends Error {
  constructor(
    readonly code: 'bad_request' | 'payload_too_large',
    message: string,
  ) {
    super(message);
    this.name = 'StagingError';
  }
}

/**
 * The Electron twin of the HTTP upload: copies (or writes) each file into the workspace's tmp
 * folder, then the core takes the staged files over with `importStaged`, exactly as it does for
 * the API's uploads. Refuses directories and anything over the upload limit before copying;
 * on any failure, removes what it staged.
 */
export async function stageUploads(
  tmpDir: string,
  entries: readonly UploadEntry[],
  maxTotalBytes: number,
): Promise<StagedFile[]> {
  let total = 0;
  const sources: { entry: UploadEntry; relativePath: string }[] = [];
  for (const entry of entries) {
    // The same rule as the HTTP upload: unsafe names are refused, not repaired.
    const relativePath = uploadRelativePath(entry.relativePath);
    let size: number;
    if (entry.path !== undefined) {
      const info = await stat(entry.path).catch(() => null);
      if (!info?.isFile())
        throw new StagingError('bad_request', `not a file: ${entry.relativePath}`);
      size = info.size;
    } else {
      size = entry.bytes?.byteLength ?? 0;
    }
    total += size;
    if (total > maxTotalBytes) {
      throw new StagingError(
        'payload_too_large',
        `upload exceeds the limit of ${maxTotalBytes} bytes`,
      );
    }
    sources.push({ entry, relativePath });
  }

  await mkdir(tmpDir, { recursive: true });
  const staged: StagedFile[] = [];
  try {
    for (const { entry, relativePath } of sources) {
      const tempPath = stagingPath(tmpDir, relativePath);
      staged.push({ tempPath, relativePath });
      if (entry.path !== undefined) await copyFile(entry.path, tempPath);
      else await writeFile(tempPath, entry.bytes ?? new Uint8Array());
    }
  } catch (err) {
    await discardStaged(staged);
    throw err;
  }
  return staged;
}
