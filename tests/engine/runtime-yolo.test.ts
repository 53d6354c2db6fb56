import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxGraph } from '../../src-main/core/engine/export/onnx/onnx-graph.js';
import { attr, encodeModel } from '../../src-main/core/engine/export/onnx/onnx-proto.js';
import {
  FileModelRegistry,
  SessionCache,
  createPredictService,
  decodeYolo,
  nms,
  parseUltralyticsNames,
} from '../../src-main/core/engine/runtime/index.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'assay-yolo-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// Four anchors, YOLOv8 layout [1, 4 + 2, 4]: rows cx, cy, w, h, score(bolt), score(nut).
const FIELDS = [
  [32, 34, 20, 50],
  [32, 33, 20, 10],
  [20, 20, 8, 6],
  [10, 10, 8, 6],
  [0.9, 0.8, 0.1, 0.05],
  [0.1, 0.2, 0.7, 0.1],
];

/** A detector whose output is FIELDS whatever the image (the input still flows through). */
function fakeDetector(): Uint8Array {
  const g = new OnnxGraph();
  const pooled = g.node('GlobalAveragePool', 'pool', ['images']);
  const flat = g.node('Flatten', 'flat', [pooled], [attr.int('axis', 1)]);
  const zeros = g.constFloat('zeros', new Float32Array(3 * 24), [3, 24]);
  const mm = g.node('MatMul', 'mm', [flat, zeros]);
  const anchors = g.constFloat('anchors', Float32Array.from(FIELDS.flat()), [24]);
  const sum = g.node('Add', 'add', [mm, anchors]);
  const shape = g.constInt64('shape', [1, 6, 4]);
  g.nodes.push({
    name: 'reshape',
    opType: 'Reshape',
    input: [sum, shape],
    output: ['output0'],
    attribute: [],
  });
  const vi = (name: string, dims: number[]) => ({
    name,
    type: {
      tensorType: { elemType: 1 as const, shape: { dim: dims.map((d) => ({ dimValue: d })) } },
    },
  });
  return encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    producerName: 'pytorch',
    producerVersion: '2.0',
    graph: {
      name: 'g',
      node: g.nodes,
      initializer: g.initializers,
      input: [vi('images', [1, 3, 64, 64])],
      output: [vi('output0', [1, 6, 4])],
    },
    metadataProps: [
      { key: 'task', value: 'detect' },
      { key: 'names', value: "{0: 'bolt', 1: 'nut'}" },
      { key: 'imgsz', value: '[64, 64]' },
    ],
  });
}

describe('YOLO-format detectors', () => {
  it('reads Ultralytics class names', () => {
    expect(parseUltralyticsNames(`{0: 'bolt', 1: "nut's", 3: 'washer'}`)).toEqual([
      'bolt',
      "nut's",
      'class_2',
      'washer',
    ]);
  });

  it('decodes v8 ([1, 4+nc, n]) and v5 ([1, n, 5+nc]) outputs; NMS keeps the best of overlapping boxes per class', () => {
    const v8 = Float32Array.from(FIELDS.flat());
    const boxes = decodeYolo(v8, [1, 6, 4], 2, 0.25);
    expect(boxes.map((b) => [b.cls, b.score])).toEqual([
      [0, expect.closeTo(0.9, 6)],
      [0, expect.closeTo(0.8, 6)],
      [1, expect.closeTo(0.7, 6)],
    ]);
    expect(nms(boxes, 0.45, 100).map((b) => b.score)).toEqual([
      expect.closeTo(0.9, 6),
      expect.closeTo(0.7, 6),
    ]);
    // A different class at the same place survives.
    expect(nms([boxes[0]!, { ...boxes[1]!, cls: 1 }], 0.45, 100)).toHaveLength(2);
    // v5: objectness column multiplies the class scores.
    const v5 = Float32Array.of(10, 10, 4, 4, 0.5, 0.9, 0.1, 30, 30, 4, 4, 0.2, 0.9, 0.1);
    const five = decodeYolo(v5, [1, 2, 7], 2, 0.25);
    expect(five).toHaveLength(1);
    expect(five[0]).toMatchObject({ cls: 0, x1: 8, y1: 8, x2: 12, y2: 12 });
    expect(five[0]!.score).toBeCloseTo(0.45, 6);
    expect(() => decodeYolo(v5, [1, 2, 9], 2, 0.25)).toThrow(
      expect.objectContaining({ code: 'unprocessable' }),
    );
  });

  it('an imported Ultralytics-style ONNX detector: letterboxed input, boxes back in image pixels', async () => {
    const file = path.join(dir, 'det.onnx');
    await writeFile(file, fakeDetector());
    const registry = new FileModelRegistry(path.join(dir, 'models'));
    const sessions = new SessionCache();
    const version = await registry.importOnnx(file);
    expect(version).toMatchObject({
      kind: 'detector',
      classes: ['bolt', 'nut'],
      input: { name: 'images', layout: 'NCHW' },
    });
    const img = path.join(dir, 'wide.png');
    await sharp({
      create: { width: 128, height: 64, channels: 3, background: { r: 200, g: 10, b: 10 } },
    })
      .png()
      .toFile(img);
    const service = createPredictService({ registry, sessions });
    const [dets] = await service.detect(version.id, [img]);
    // 128×64 → scale 0.5, 64×32 placed 16 px down in the 64×64 input.
    expect(dets).toEqual([
      { box: [44, 22, 84, 42], class_index: 0, label: 'bolt', score: expect.closeTo(0.9, 6) },
      { box: [32, 0, 48, 16], class_index: 1, label: 'nut', score: expect.closeTo(0.7, 6) },
    ]);
    expect(await service.detect(version.id, [img], { confThreshold: 0.8 })).toEqual([
      [expect.objectContaining({ label: 'bolt' })],
    ]);
    await expect(
      service.predict(version.id, [{ file: path.join(dir, 'missing.png') }]),
    ).rejects.toMatchObject({ code: 'unprocessable' });
    await sessions.close();
  });
});
