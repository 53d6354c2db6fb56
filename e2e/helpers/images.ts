import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';

/** The three classes the tests import, with deliberately unequal sizes. */
export const CLASSES = { red: 10, green: 20, blue: 30 } as const;
export type ClassName = keyof typeof CLASSES;

const TINT: Readonly<Record<ClassName, readonly [number, number, number]>> = {
  red: [220, 60, 60],
  green: [60, 180, 90],
  blue: [60, 90, 220],
};

/** A small deterministic PRNG so every generated image is different (imports dedupe by hash). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function png(cls: ClassName, index: number, width = 96, height = 72): Promise<Buffer> {
  const rand = mulberry32(index * 7919 + cls.length * 104_729);
  const [r, g, b] = TINT[cls];
  const raw = Buffer.alloc(width * height * 3);
  // A tinted gradient with a bright disc whose position depends on the index, plus noise.
  const cx = rand() * width;
  const cy = rand() * height;
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const i = (y * width + x) * 3;
      const d = Math.hypot(x - cx, y - cy) < 14 ? 70 : 0;
      const shade = 0.55 + (0.45 * x) / width;
      raw[i] = Math.min(255, r * shade + d + rand() * 20);
      raw[i + 1] = Math.min(255, g * shade + d + rand() * 20);
      raw[i + 2] = Math.min(255, b * shade + d + rand() * 20);
    }
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .png()
    .toBuffer();
}

/**
 * Writes `<root>/<class>/img-NNN.png` for every class in CLASSES and returns the root. Sub-folder
 * names are the class labels, the usual image-classification layout.
 */
export async function writeImageFolder(root: string): Promise<string> {
  for (const [cls, count] of Object.entries(CLASSES) as [ClassName, number][]) {
    await mkdir(path.join(root, cls), { recursive: true });
    for (let i = 0; i < count; i += 1) {
      await writeFile(
        path.join(root, cls, `img-${String(i).padStart(3, '0')}.png`),
        await png(cls, i),
      );
    }
  }
  return root;
}

export const TOTAL_IMAGES = Object.values(CLASSES).reduce((a, b) => a + b, 0);

/** Expected per-class counts of a stratified split, by the rule n_subset = round(n × ratio). */
export function expectedSplit(ratios: {
  train: number;
  val: number;
  test: number;
}): Record<ClassName, { train: number; val: number; test: number }> {
  const out = {} as Record<ClassName, { train: number; val: number; test: number }>;
  for (const [cls, n] of Object.entries(CLASSES) as [ClassName, number][]) {
    out[cls] = {
      train: Math.round(n * ratios.train),
      val: Math.round(n * ratios.val),
      test: Math.round(n * ratios.test),
    };
  }
  return out;
}

/** The three-shapes set: the class is the shape alone. */
export const SHAPES = ['circle', 'square', 'triangle'] as const;
export type ShapeName = (typeof SHAPES)[number];

/** Inside test of a shape centred at the origin with "radius" r, rotated by `angle`. */
function insideShape(shape: ShapeName, x: number, y: number, r: number, angle: number): boolean {
  const c = Math.cos(-angle);
  const s = Math.sin(-angle);
  const u = x * c - y * s;
  const v = x * s + y * c;
  switch (shape) {
    case 'circle':
      return u * u + v * v <= r * r;
    case 'square':
      return Math.abs(u) <= r * 0.8 && Math.abs(v) <= r * 0.8;
    case 'triangle': {
      // Equilateral, circumradius r: inside all three edges' half-planes.
      for (let k = 0; k < 3; k++) {
        const a = angleOfEdge(k);
        if (u * Math.cos(a) + v * Math.sin(a) > r / 2) return false;
      }
      return true;
    }
  }
}

const angleOfEdge = (k: number): number => Math.PI / 2 + (k * 2 * Math.PI) / 3;

/** Relative luminance on 0–255, to keep a shape visible against its background. */
const luma = (c: readonly number[]): number =>
  0.299 * (c[0] as number) + 0.587 * (c[1] as number) + 0.114 * (c[2] as number);

/**
 * One shapes image: a filled circle, square or triangle at a random position, size and rotation,
 * in a random colour on a random background colour (at least 60 levels of luminance apart) with
 * pixel noise. Colours are drawn the same way for every class, so colour says nothing about it.
 */
export async function shapePng(shape: ShapeName, index: number, size = 96): Promise<Buffer> {
  const rand = mulberry32(index * 104_729 + SHAPES.indexOf(shape) * 7_919 + 17);
  const colour = (): number[] => [rand() * 255, rand() * 255, rand() * 255];
  const fg = colour();
  let bg = colour();
  while (Math.abs(luma(fg) - luma(bg)) < 60) bg = colour();
  const r = size * (0.26 + rand() * 0.14);
  const cx = r + rand() * (size - 2 * r);
  const cy = r + rand() * (size - 2 * r);
  const angle = (rand() - 0.5) * 0.5;
  const raw = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y += 1) {
    for (let x = 0; x < size; x += 1) {
      const col = insideShape(shape, x - cx, y - cy, r, angle) ? fg : bg;
      const i = (y * size + x) * 3;
      for (let ch = 0; ch < 3; ch += 1) {
        raw[i + ch] = Math.max(0, Math.min(255, (col[ch] as number) + (rand() - 0.5) * 16));
      }
    }
  }
  return sharp(raw, { raw: { width: size, height: size, channels: 3 } })
    .png()
    .toBuffer();
}

/** Writes `<root>/<shape>/shape-NNN.png`, `perClass` of each shape; returns the root. */
export async function writeShapesFolder(root: string, perClass = 60): Promise<string> {
  for (const shape of SHAPES) {
    await mkdir(path.join(root, shape), { recursive: true });
    for (let i = 0; i < perClass; i += 1) {
      await writeFile(
        path.join(root, shape, `shape-${String(i).padStart(3, '0')}.png`),
        await shapePng(shape, i),
      );
    }
  }
  return root;
}
