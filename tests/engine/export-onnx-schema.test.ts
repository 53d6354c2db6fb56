import { readFile } from 'node:fs/promises';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ONNX_SCHEMA } from '../../src-main/core/engine/export/onnx/onnx-schema.js';
import { decodeModel, encodeModel } from '../../src-main/core/engine/export/onnx/onnx-proto.js';

describe('embedded onnx.proto', () => {
  it('equals the parsed onnx.proto committed beside it', async () => {
    const text = await readFile(
      new URL('../../src-main/core/engine/export/onnx/onnx.proto', import.meta.url),
      'utf8',
    );
    expect(ONNX_SCHEMA).toEqual(protobuf.parse(text).root.toJSON());
  });

  it('round-trips a ModelProto', () => {
    const bytes = encodeModel({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      producerName: 'assay',
      producerVersion: '0.1.0',
      graph: {
        name: 'g',
        node: [{ name: 'n', opType: 'Relu', input: ['input'], output: ['output'], attribute: [] }],
        initializer: [],
        input: [
          {
            name: 'input',
            type: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'n' }] } } },
          },
        ],
        output: [
          {
            name: 'output',
            type: { tensorType: { elemType: 1, shape: { dim: [{ dimValue: 3 }] } } },
          },
        ],
      },
      metadataProps: [{ key: 'k', value: 'v' }],
    });
    const m = decodeModel(bytes);
    expect(m.irVersion).toBe(8);
    expect(m.opsetImport).toEqual([{ domain: '', version: 17 }]);
    expect(m.graph?.node.map((n) => n.opType)).toEqual(['Relu']);
    expect(m.metadataProps).toEqual([{ key: 'k', value: 'v' }]);
  });
});
