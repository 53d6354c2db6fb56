import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import busboy from 'busboy';
import type { OperationDef, ReceivedFile } from '../../src-shared/contract/operation.js';
import { AppError } from '../core/errors.js';

export interface ReceivedForm {
  readonly fields: Record<string, string>;
  readonly files: Record<string, ReceivedFile>;
}

/** Deletes what a refused request had staged. */
export async function discardForm(form: ReceivedForm | undefined): Promise<void> {
  if (!form) return;
  await Promise.all(Object.values(form.files).map((f) => rm(f.path, { force: true })));
}

/** Room for the form's text fields and part headers beside its files. */
const FORM_OVERHEAD_BYTES = 1024 * 1024;

/**
 * The multipart body of an operation with `files`: each declared file part is streamed to its own
 * file under `tmpDir` (never held in memory), undeclared parts are skipped, text fields kept.
 * Over `maxFileBytes` a part stops being written and the request is refused with 413; on any
 * failure every file written so far is deleted.
 */
export async function receiveForm(
  req: Request,
  def: OperationDef,
  opts: { readonly tmpDir: string; readonly maxFileBytes: number },
): Promise<ReceivedForm> {
  const declared = def.files ?? {};
  // A body that announces more than its files may hold is refused before a byte is read.
  const announced = Number(req.headers['content-length'] ?? NaN);
  const most = opts.maxFileBytes * Object.keys(declared).length + FORM_OVERHEAD_BYTES;
  if (Number.isFinite(announced) && announced > most) {
    throw new AppError(
      'payload_too_large',
      `upload of ${announced} bytes exceeds the limit of ${opts.maxFileBytes} bytes per file`,
    );
  }
  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: req.headers,
      defParamCharset: 'utf8',
      // Undeclared parts are read past (not stored), so they must not use up the file count.
      limits: { files: Object.keys(declared).length + 8, fileSize: opts.maxFileBytes, fields: 32 },
    });
  } catch {
    const names = Object.keys(declared).map((n) => `"${n}"`);
    throw new AppError(
      'unsupported_media_type',
      `send the request as multipart/form-data (file field ${names.join(', ')})`,
    );
  }
  await mkdir(opts.tmpDir, { recursive: true });
  const fields: Record<string, string> = {};
  const files: Record<string, ReceivedFile> = {};
  const writes: Promise<void>[] = [];
  const parts: NodeJS.ReadableStream[] = [];
  let failure: AppError | null = null;
  // A part whose request went away never ends by itself: end its write so cleanup can run.
  const abandon = (): void => {
    for (const part of parts) (part as NodeJS.ReadableStream & { destroy(): void }).destroy();
  };

  const done = new Promise<void>((resolve) => {
    bb.on('field', (name, value) => {
      fields[name] = value;
    });
    bb.on('file', (field, stream, info) => {
      if (!(field in declared) || field in files || failure) {
        stream.resume();
        return;
      }
      const target = path.join(opts.tmpDir, `form-${randomBytes(8).toString('hex')}`);
      files[field] = { path: target, filename: info.filename || 'upload' };
      stream.on('limit', () => {
        failure ??= new AppError(
          'payload_too_large',
          `the file is over the limit of ${opts.maxFileBytes} bytes`,
        );
      });
      parts.push(stream);
      const write = pipeline(stream, createWriteStream(target, { flags: 'wx' }));
      write.catch(() => undefined);
      writes.push(write);
    });
    bb.on('error', (err: unknown) => {
      failure ??= new AppError(
        'bad_request',
        `malformed multipart body: ${(err as Error).message}`,
      );
      resolve();
    });
    bb.on('close', () => resolve());
    req.on('close', () => {
      if (req.complete) return;
      failure ??= new AppError('bad_request', 'the upload was aborted by the client');
      abandon();
      resolve();
    });
    req.pipe(bb);
  });

  const form = { fields, files };
  try {
    await done;
    const results = await Promise.allSettled(writes);
    if (failure) throw failure;
    const failed = results.find((r) => r.status === 'rejected');
    if (failed) throw new AppError('bad_request', 'the upload was interrupted');
    for (const [name, field] of Object.entries(declared)) {
      if (field.required && !(name in files)) {
        throw new AppError('bad_request', `the request holds no file (multipart field "${name}")`);
      }
    }
    return form;
  } catch (err) {
    req.unpipe(bb);
    abandon();
    await Promise.allSettled(writes);
    await discardForm(form);
    throw err;
  }
}
