/**
 * Why one file of an import was refused. These codes travel in the job result
 * (`errors: [{file, code, message}]`); they are per-file outcomes, not HTTP errors, so they
 * are kept apart from `AppError`'s status-mapped codes.
 */
export type FileErrorCode =
  | 'unsupported_type'
  | 'file_too_large'
  | 'image_too_large'
  | 'corrupt_image'
  | 'corrupt_audio'
  | 'audio_too_long'
  | 'corrupt_table'
  | 'bad_target_column'
  | 'bad_path'
  | 'duplicate_name'
  | 'zip_too_large'
  | 'corrupt_zip'
  | 'read_error';

export class FileError extends Error {
  constructor(
    readonly code: FileErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'FileError';
  }
}

export const isFileError = (err: unknown): err is FileError => err instanceof FileError;

/** A short, user-facing reason from whatever a decoder threw (no stack, one line). */
export function reason(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0]?.trim().slice(0, 300) || 'unknown error';
}
