import sharp from 'sharp';
import { AppError } from '../../errors.js';

/** A detection in the original image's pixels: [x1, y1, x2, y2] corners. */
export interface Detection {
  readonly box: readonly [number, number, number, number];
  readonly class_index: number;
  readonly label: string | null;
  readonly score: number;
}

export interface DetectOptions {
  /** Minimum class score (YOLOv5: objectness × class). Default 0.25, Ultralytics' own. */
  readonly confThreshold?: number;
  /** Boxes of one class overlapping more than this are suppressed. Default 0.45. */
  readonly iouThreshold?: number;
  readonly maxDetections?: number;
}

/**
 * Ultralytics stores class names in the ONNX metadata as a Python dict literal:
 * `{0: 'person', 1: 'bicycle', …}`. Index order, gaps left as `class_<i>`.
 */
export function parseUltralyticsNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/(\d+)\s*:\s*(['"])((?:\\.|(?!\2).)*)\2/g)) {
    names[Number(m[1])] = (m[3] as string).replace(/\\(.)/g, '$1');
  }
  return Array.from(names, (n, i) => n ?? `class_${i}`);
}

export interface Letterboxed {
  /** CHW float32 RGB in [0, 1]. */
  readonly data: Float32Array;
  readonly scale: number;
  readonly padX: number;
  readonly padY: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Ultralytics' letterbox: scale to fit (aspect kept), centre on grey 114, RGB /255, CHW. The
 * rounding of the padding follows ultralytics' LetterBox (round(d/2 ∓ 0.1)).
 */
export async function letterbox(file: string, inW: number, inH: number): Promise<Letterboxed> {
  let meta;
  try {
    meta = await sharp(file).rotate().metadata();
  } catch (err) {
    throw new AppError(
      'unprocessable',
      `cannot read ${file.split(/[\\/]/).pop()}: ${(err as Error).message}`,
    );
  }
  const rotated = (meta.orientation ?? 1) >= 5;
  const width = (rotated ? meta.height : meta.width) ?? 0;
  const height = (rotated ? meta.width : meta.height) ?? 0;
  const scale = Math.min(inW / width, inH / height);
  const newW = Math.round(width * scale);
  const newH = Math.round(height * scale);
  const dw = (inW - newW) / 2;
  const dh = (inH - newH) / 2;
  const left = Math.round(dw - 0.1);
  const top = Math.round(dh - 0.1);
  const { data } = await sharp(file)
    .rotate()
    .removeAlpha()
    .toColourspace('srgb')
    .resize(newW, newH, { fit: 'fill', kernel: 'linear' })
    .extend({
      top,
      left,
      bottom: inH - newH - top,
      right: inW - newW - left,
      background: { r: 114, g: 114, b: 114 },
    })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const plane = inW * inH;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = (data[i * 3 + c] as number) / 255;
  }
  return { data: out, scale, padX: left, padY: top, width, height };
}

interface RawBox {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
  readonly cls: number;
  readonly score: number;
}

/**
 * Candidate boxes from a YOLO output: YOLOv8/v11 `[1, 4 + nc, anchors]` (class scores, no
 * objectness) or its transpose, and YOLOv5 `[1, anchors, 5 + nc]` (objectness × class).
 */
export function decodeYolo(
  data: Float32Array,
  dims: readonly number[],
  numClasses: number,
  confThreshold: number,
): RawBox[] {
  const [b, d1, d2] = dims as [number, number, number];
  if (dims.length !== 3 || b !== 1) {
    throw new AppError(
      'unprocessable',
      `a YOLO output is [1, …, …]; this model gives [${dims.join(', ')}]`,
    );
  }
  let anchors: number;
  let at: (anchor: number, field: number) => number;
  let objectness = false;
  if (d1 === 4 + numClasses && d2 !== 4 + numClasses) {
    anchors = d2;
    at = (a, f) => data[f * d2 + a] as number;
  } else if (d2 === 4 + numClasses || d2 === 5 + numClasses) {
    anchors = d1;
    objectness = d2 === 5 + numClasses;
    at = (a, f) => data[a * d2 + f] as number;
  } else {
    throw new AppError(
      'unprocessable',
      `output [${dims.join(', ')}] does not fit a YOLO detector with ${numClasses} classes`,
    );
  }
  const first = objectness ? 5 : 4;
  const out: RawBox[] = [];
  for (let a = 0; a < anchors; a++) {
    const obj = objectness ? at(a, 4) : 1;
    let best = -1;
    let score = -Infinity;
    for (let c = 0; c < numClasses; c++) {
      const s = at(a, first + c) * obj;
      if (s > score) {
        score = s;
        best = c;
      }
    }
    if (score < confThreshold) continue;
    const cx = at(a, 0);
    const cy = at(a, 1);
    const w = at(a, 2);
    const h = at(a, 3);
    out.push({ x1: cx - w / 2, y1: cy - h / 2, x2: cx + w / 2, y2: cy + h / 2, cls: best, score });
  }
  return out;
}

const iou = (a: RawBox, b: RawBox): number => {
  const w = Math.max(0, Math.min(a.x2, b.x2) - Math.max(a.x1, b.x1));
  const h = Math.max(0, Math.min(a.y2, b.y2) - Math.max(a.y1, b.y1));
  const inter = w * h;
  const union = (a.x2 - a.x1) * (a.y2 - a.y1) + (b.x2 - b.x1) * (b.y2 - b.y1) - inter;
  return union > 0 ? inter / union : 0;
};

/** Greedy non-maximum suppression per class, best score first. */
export function nms(boxes: readonly RawBox[], iouThreshold: number, max: number): RawBox[] {
  const sorted = [...boxes].sort((a, b) => b.score - a.score);
  const kept: RawBox[] = [];
  for (const box of sorted) {
    if (kept.length >= max) break;
    if (kept.every((k) => k.cls !== box.cls || iou(k, box) <= iouThreshold)) kept.push(box);
  }
  return kept;
}

/** Decodes, suppresses and maps boxes back from the letterboxed input to the original image. */
export function detections(
  output: Float32Array,
  dims: readonly number[],
  classes: readonly string[],
  lb: Pick<Letterboxed, 'scale' | 'padX' | 'padY' | 'width' | 'height'>,
  opts: DetectOptions = {},
): Detection[] {
  const raw = decodeYolo(output, dims, classes.length, opts.confThreshold ?? 0.25);
  const kept = nms(raw, opts.iouThreshold ?? 0.45, opts.maxDetections ?? 300);
  const clip = (v: number, hi: number): number => Math.min(Math.max(v, 0), hi);
  return kept.map((k) => ({
    box: [
      clip((k.x1 - lb.padX) / lb.scale, lb.width),
      clip((k.y1 - lb.padY) / lb.scale, lb.height),
      clip((k.x2 - lb.padX) / lb.scale, lb.width),
      clip((k.y2 - lb.padY) / lb.scale, lb.height),
    ],
    class_index: k.cls,
    label: classes[k.cls] ?? null,
    score: k.score,
  }));
}
