import protobuf from 'protobufjs';
import { ONNX_SCHEMA } from './onnx-schema.js';

/** The subset of onnx.proto's messages the exporter writes, as plain objects for `fromObject`. */
export interface TensorProto {
  readonly name: string;
  readonly dims: readonly number[];
  /** TensorProto.DataType: 1 FLOAT, 7 INT64. */
  readonly dataType: 1 | 7;
  readonly rawData: Uint8Array;
}

export interface AttributeProto {
  readonly name: string;
  /** AttributeProto.AttributeType: 1 FLOAT, 2 INT, 3 STRING, 6 FLOATS, 7 INTS. */
  readonly type: 1 | 2 | 3 | 6 | 7;
  readonly f?: number;
  readonly i?: number;
  readonly s?: Uint8Array;
  readonly floats?: readonly number[];
  readonly ints?: readonly number[];
}

export interface NodeProto {
  readonly name: string;
  readonly opType: string;
  readonly input: readonly string[];
  readonly output: readonly string[];
  readonly attribute: readonly AttributeProto[];
}

export type Dim = { readonly dimValue: number } | { readonly dimParam: string };

export interface ValueInfoProto {
  readonly name: string;
  readonly type: {
    readonly tensorType: { readonly elemType: 1; readonly shape: { readonly dim: readonly Dim[] } };
  };
}

export interface ModelProto {
  readonly irVersion: number;
  readonly opsetImport: readonly { readonly domain: string; readonly version: number }[];
  readonly producerName: string;
  readonly producerVersion: string;
  readonly docString?: string;
  readonly graph: {
    readonly name: string;
    readonly node: readonly NodeProto[];
    readonly initializer: readonly TensorProto[];
    readonly input: readonly ValueInfoProto[];
    readonly output: readonly ValueInfoProto[];
  };
  readonly metadataProps: readonly { readonly key: string; readonly value: string }[];
}

let modelType: protobuf.Type | undefined;

/** onnx.ModelProto from the embedded schema (built once). */
export function onnxModelType(): protobuf.Type {
  modelType ??= protobuf.Root.fromJSON(ONNX_SCHEMA as protobuf.INamespace).lookupType(
    'onnx.ModelProto',
  );
  return modelType;
}

export function encodeModel(model: ModelProto): Uint8Array {
  const type = onnxModelType();
  return type.encode(type.fromObject(model as unknown as Record<string, unknown>)).finish();
}

/** What a decoded file looks like, loosely: enough to tell an ONNX model from other bytes. */
export interface DecodedModel {
  readonly irVersion: number;
  readonly opsetImport: readonly { readonly domain: string; readonly version: number }[];
  readonly graph: {
    readonly node: readonly { readonly opType: string }[];
    readonly input: readonly { readonly name: string }[];
    readonly output: readonly { readonly name: string }[];
  } | null;
  readonly producerName: string;
  readonly metadataProps: readonly { readonly key: string; readonly value: string }[];
}

/** Decodes a ModelProto; throws on bytes that are not one (protobuf wire errors). */
export function decodeModel(bytes: Uint8Array): DecodedModel {
  const type = onnxModelType();
  return type.toObject(type.decode(bytes), {
    longs: Number,
    defaults: true,
    arrays: true,
    bytes: Array,
  }) as DecodedModel;
}

const utf8 = new TextEncoder();

export const attr = {
  int: (name: string, i: number): AttributeProto => ({ name, type: 2, i }),
  float: (name: string, f: number): AttributeProto => ({ name, type: 1, f }),
  ints: (name: string, ints: readonly number[]): AttributeProto => ({ name, type: 7, ints }),
  string: (name: string, s: string): AttributeProto => ({ name, type: 3, s: utf8.encode(s) }),
};

/** Little-endian bytes of a typed array (ONNX raw_data is little-endian; so is every host we ship to). */
export function rawBytes(a: Float32Array | BigInt64Array): Uint8Array {
  return new Uint8Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}
