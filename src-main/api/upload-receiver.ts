import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import busboy from 'busboy';
import { AppError } from '../core/errors.js';
import {
  discardStaged,
  stagingPath,
  uploadRelativePath,
  type StagedFile,
} from '../core/workspace/import/staging.js';

export interface ReceiveOptions {
  readonly tmpDir: string;
  /** Whole request, multipart overhead included. */
  readonly maxBytes: number;
  readonly maxFiles: number;
  /** Every non-file field, as received (`paths` is also read here). */
  readonly onField?: (name: string, value: string) => void;
}

function parsePathsField(value: string, fileCount: number): string[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new AppError('bad_request', 'field "paths" must be a JSON array of strings');
  }
  if (!Array.isArray(parsed) || !parsed.every((p): p is string => typeof p === 'string')) {
    throw new AppError('bad_request', 'field "paths" must be a JSON array of strings');
  }
  if (parsed.length !== fileCount) {
    throw new AppError(
      'bad_request',
      `field "paths" has ${parsed.length} entries for ${fileCount} files`,
    );
  }
  return parsed;
}

/**
 * Streams every file part of a multipart request into `tmpDir` under a unique name, counting
 * the raw bytes of the whole request. Over the limit it stops reading, deletes every temp
 * file it wrote and rejects with 413; any other failure cleans up the same way.
 */
export async function receiveUpload(req: Request, opts: ReceiveOptions): Promise<StagedFile[]> {
  let bb: busboy.Busboy;
  try {
    bb = busboy({
      headers: req.headers,
      preservePath: true,
      defParamCharset: 'utf8',
      limits: { files: opts.maxFiles, fields: 64, fieldSize: 16 * 1024 ** 2 },
    });
  } catch {
    throw new AppError('unsupported_media_type', 'send the files as multipart/form-data');
  }
  await mkdir(opts.tmpDir, { recursive: true });

  const staged: { tempPath: string; clientName: string }[] = [];
  const writes: Promise<void>[] = [];
  const sinks: WriteStream[] = [];
  const fileStreams: NodeJS.ReadableStream[] = [];
  let pathsField: string | undefined;
  let received = 0;

  const outcome = new Promise<void>((resolve, reject) => {
    let settled = false;
    const fail = (err: AppError): void => {
      if (settled) return;
      settled = true;
      req.unpipe(bb);
      // Unblock the file streams so their pipelines end (with an error) instead of hanging.
      for (const s of fileStreams) (s as NodeJS.ReadableStream & { destroy(): void }).destroy();
      // A part busboy stopped feeding (files limit) may never end: its write must not wait on it.
      for (const s of sinks) s.destroy();
      reject(err);
    };

    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > opts.maxBytes) {
        fail(
          new AppError('payload_too_large', `upload exceeds the limit of ${opts.maxBytes} bytes`),
        );
      }
    });
    req.on('aborted', () => fail(new AppError('bad_request', 'upload aborted by the client')));
    req.on('error', () => fail(new AppError('bad_request', 'upload interrupted')));

    bb.on('file', (_field, stream, info) => {
      if (settled) {
        stream.resume();
        return;
      }
      const clientName = info.filename ?? '';
      if (clientName !== '') {
        try {
          // Refused while streaming, before anything of this part is written.
          uploadRelativePath(clientName);
        } catch (err) {
          stream.resume();
          fail(err as AppError);
          return;
        }
      }
      const tempPath = stagingPath(opts.tmpDir, clientName);
      staged.push({ tempPath, clientName });
      fileStreams.push(stream);
      const sink = createWriteStream(tempPath, { flags: 'wx' });
      sinks.push(sink);
      const write = pipeline(stream, sink);
      // Handled later (Promise.all / allSettled); never an unhandled rejection meanwhile.
      write.catch(() => undefined);
      writes.push(write);
    });
    bb.on('field', (name, value) => {
      opts.onField?.(name, value);
      if (name === 'paths') pathsField = value;
    });
    bb.on('filesLimit', () =>
      fail(new AppError('payload_too_large', `an upload holds at most ${opts.maxFiles} files`)),
    );
    bb.on('error', (err: unknown) =>
      fail(new AppError('bad_request', `malformed multipart body: ${(err as Error).message}`)),
    );
    bb.on('close', () => {
      if (settled) return;
      settled = true;
      resolve();
    });
    req.pipe(bb);
  });

  const cleanUp = async (): Promise<void> => {
    await Promise.allSettled(writes);
    // A sink destroyed before its open() finished still creates the file: wait for 'close'.
    await Promise.all(
      sinks.map((s) =>
        s.closed ? undefined : new Promise<void>((r) => s.once('close', () => r())),
      ),
    );
    await discardStaged(staged);
  };

  try {
    await outcome;
    await Promise.all(writes);
    if (staged.length === 0) throw new AppError('bad_request', 'the upload holds no files');
    const names =
      pathsField === undefined
        ? staged.map((s) => s.clientName)
        : parsePathsField(pathsField, staged.length);
    return staged.map((s, i) => ({
      tempPath: s.tempPath,
      relativePath: uploadRelativePath(names[i] ?? ''),
    }));
  } catch (err) {
    await cleanUp();
    throw err;
  }
}

/**
 * After refusing an upload early, read and discard what the client still sends (so it can
 * read our reply), but only up to `capBytes`: past that, cut the connection.
 */
export function drainRequest(req: Request, capBytes: number): void {
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > capBytes) req.socket.destroy();
  });
  req.resume();
}
