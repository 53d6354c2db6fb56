import { z } from 'zod';
import type { FamilyDef } from './family.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A file part of an operation's input: multipart over HTTP, a path or bytes over IPC. */
export interface FileFieldDef {
  readonly description: string;
  readonly required: boolean;
}

/**
 * One operation, declared once. The HTTP router validates requests with these schemas (and tests
 * validate responses), the OpenAPI document is generated from them, the preload bridge exposes
 * one IPC channel per entry, and the renderer's client is typed by them.
 */
export interface OperationDef {
  readonly family: FamilyDef;
  readonly method: HttpMethod;
  /** Express-style path; `:name` segments are taken from the input. */
  readonly path: string;
  readonly summary: string;
  readonly description?: string;
  /** A finer OpenAPI tag than the family's (Projects, Datasets, …). */
  readonly tag?: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  /** JSON body; with `files`, the multipart form's text fields instead. */
  readonly body?: z.ZodType;
  readonly files?: Readonly<Record<string, FileFieldDef>>;
  /** Largest JSON body (express's notation, `'16mb'`) where the API's default is too small. */
  readonly jsonLimit?: string;
  /** The data of a success (inside the family's envelope); for `output: 'file'`, a FileReply. */
  readonly response: z.ZodType;
  /** `file`: the reply is a file (the handler names it), not JSON. */
  readonly output?: {
    readonly kind: 'file';
    readonly contentTypes: readonly string[];
    /** Sent as a download (`Content-Disposition: attachment`) rather than shown. */
    readonly attachment?: boolean;
  };
  /**
   * Families whose reference words every failure of an endpoint with a prefix ("Training
   * failed: …") get it on the adapter's own errors too (bad JSON, a missing field, a stall).
   */
  readonly failurePrefix?: string;
}

/** What a handler gets for a file part: a staged file it owns (and deletes when done). */
export interface ReceivedFile {
  readonly path: string;
  readonly filename: string;
}

/** A file part over IPC: a file on disk (copied before use) or its bytes. */
export const IpcFileInput = z.union([
  z.strictObject({ path: z.string().min(1), filename: z.string().min(1).max(4096).optional() }),
  z.strictObject({ bytes: z.instanceof(Uint8Array), filename: z.string().min(1).max(4096) }),
]);
export type IpcFileInput = z.infer<typeof IpcFileInput>;

/** What a file-output handler answers: where the file is and how to name it. */
export const FileReply = z.object({
  path: z.string(),
  filename: z.string(),
  content_type: z.string(),
});
export type FileReply = z.infer<typeof FileReply>;

/** What a client gets from a file-output operation. */
export interface BinaryBody {
  readonly filename: string;
  readonly content_type: string;
  readonly bytes: Uint8Array;
}

type SchemaIn<S> = S extends z.ZodType ? z.input<S> : unknown;
type SchemaOut<S> = S extends z.ZodType ? z.output<S> : unknown;
type In<D, K extends string> = D extends { readonly [P in K]: infer S } ? SchemaIn<S> : unknown;
type Out<D, K extends string> = D extends { readonly [P in K]: infer S } ? SchemaOut<S> : unknown;
type RequiredKeys<F> = { [K in keyof F]: F[K] extends { required: true } ? K : never }[keyof F];
type Files<D, T> = D extends { readonly files: infer F }
  ? { readonly [K in RequiredKeys<F>]: T } & {
      readonly [K in Exclude<keyof F, RequiredKeys<F>>]?: T;
    }
  : unknown;
type IsFile<D> = D extends { readonly output: { readonly kind: 'file' } } ? true : false;

/** One operation's input as a caller gives it: params, query, body fields (and files) merged. */
export type InputOf<D> = In<D, 'params'> & In<D, 'query'> & In<D, 'body'> & Files<D, Blob>;
/** The same over IPC, where a file is a path or bytes. */
export type IpcInputOf<D> = In<D, 'params'> &
  In<D, 'query'> &
  In<D, 'body'> &
  Files<D, IpcFileInput>;
/** After validation (defaults applied, strings coerced, files staged). */
export type ParsedInputOf<D> = Out<D, 'params'> &
  Out<D, 'query'> &
  Out<D, 'body'> &
  Files<D, ReceivedFile>;
export type OutputOf<D> =
  IsFile<D> extends true
    ? BinaryBody
    : D extends { readonly response: infer R }
      ? SchemaOut<R>
      : never;
export type HandlerOutputOf<D> =
  IsFile<D> extends true
    ? FileReply
    : D extends { readonly response: infer R }
      ? SchemaOut<R>
      : never;

/** What core implements for a table of operations; the HTTP router and the IPC handlers call it. */
export type HandlersOf<Ops> = {
  readonly [N in keyof Ops]: (input: ParsedInputOf<Ops[N]>) => Promise<HandlerOutputOf<Ops[N]>>;
};
/** A client's typed surface over a table of operations: `client.listProjects({})`, … */
export type MethodsOf<Ops> = {
  readonly [N in keyof Ops]: (input: InputOf<Ops[N]>) => Promise<OutputOf<Ops[N]>>;
};

/** The IPC channel of an operation: one per contract entry, never a generic invoke. */
export const ipcChannel = (name: string): string => `assay:${name}`;

/** The field names a schema declares (an object schema); none otherwise. */
export function schemaKeys(schema: z.ZodType | undefined): readonly string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}
