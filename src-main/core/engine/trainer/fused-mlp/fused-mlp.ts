/**
 * An MLP regressor's training step (dense + ReLU hidden layers, a linear one-unit output, MSE)
 * computed by our own code on one WebAssembly memory: forward, loss, backward and the optimizer
 * update of optimizers.ts, in about a dozen kernel calls per step instead of tfjs' ~60 dispatches.
 *
 * Layout (floats): every layer's weights are padded with zeros, inputs to a multiple of 4 and
 * units to a multiple of 8, and batches to a multiple of 4 rows; the padding stays exactly zero
 * (zero weights give zero pre-activations, ReLU and the mask keep their gradients zero, Adam and
 * SGD leave a zero weight with zero gradient at zero), and padded rows get a zero loss gradient.
 * Weights and biases of all layers lie back to back, so gradients, Adam's m and v (or SGD's
 * buffer) have the same layout and one call updates everything.
 */
import type { Batch, Dataset, Normalization } from '../../data/batches.js';
import { makeBatch } from '../../data/batches.js';
import type { MlpKernels } from './mlp-kernels.js';
import { mlpKernels } from './mlp-kernels.js';

export interface MlpShape {
  /** Input features. */
  readonly features: number;
  /** Units of each dense layer; the last is the output (1 unit). */
  readonly units: readonly number[];
}

export type FusedOptimizer =
  { readonly name: 'adam' } | { readonly name: 'sgd'; readonly momentum: number };

interface Layer {
  readonly k: number;
  readonly n: number;
  /** Padded sizes: kp rows (inputs) × np columns (units). */
  readonly kp: number;
  readonly np: number;
  /** Float offsets of W[kp, np] and b[np] inside the parameter block. */
  readonly w: number;
  readonly b: number;
  /** Byte address of this layer's output activations [rows, np]. */
  readonly out: number;
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-8;

const up = (v: number, m: number): number => Math.ceil(v / m) * m;

export class FusedMlp {
  private readonly k: MlpKernels;
  private readonly f32: Float32Array;
  private readonly layers: readonly Layer[];
  /** Floats in the parameter block (and in each of grads, m, v). */
  private readonly count: number;
  private readonly params: number;
  private readonly grads: number;
  private readonly slot0: number;
  private readonly slot1: number;
  private readonly x: number;
  private readonly fp: number;
  private readonly dzOut: number;
  private readonly ping: number;
  private readonly pong: number;
  private readonly wt: number;
  /** Optimizer steps taken. */
  step = 0;

  private constructor(
    readonly shape: MlpShape,
    readonly optimizer: FusedOptimizer,
    readonly maxBatch: number,
    kernels: MlpKernels,
    heap: ArrayBuffer,
    plan: Plan,
  ) {
    this.k = kernels;
    this.f32 = new Float32Array(heap);
    ({
      layers: this.layers,
      count: this.count,
      params: this.params,
      grads: this.grads,
      slot0: this.slot0,
      slot1: this.slot1,
      x: this.x,
      fp: this.fp,
      dzOut: this.dzOut,
      ping: this.ping,
      pong: this.pong,
      wt: this.wt,
    } = plan);
  }

  /**
   * A zero-initialised network, or null where wasm SIMD is not available. The module's fused
   * multiply-add build runs where the runtime has relaxed SIMD, unless `relaxed` is false.
   */
  static create(
    shape: MlpShape,
    optimizer: FusedOptimizer,
    maxBatch: number,
    relaxed = true,
  ): FusedMlp | null {
    const plan = layout(shape, maxBatch);
    const inst = mlpKernels(plan.bytes, relaxed);
    if (!inst) return null;
    return new FusedMlp(shape, optimizer, maxBatch, inst.kernels, inst.heap, plan);
  }

  /** Layer l's kernel [k, n] (row-major, as tfjs' Dense kernel) or bias [n], unpadded. */
  read(l: number, part: 'kernel' | 'bias', block: 'params' | 'grads' | 0 | 1): Float32Array {
    const L = this.layer(l);
    const base = this.blockOffset(block);
    if (part === 'bias') return this.f32.slice(base + L.b, base + L.b + L.n);
    const out = new Float32Array(L.k * L.n);
    for (let i = 0; i < L.k; i++) {
      const row = base + L.w + i * L.np;
      out.set(this.f32.subarray(row, row + L.n), i * L.n);
    }
    return out;
  }

  /** Writes what `read` reads. */
  write(
    l: number,
    part: 'kernel' | 'bias',
    block: 'params' | 'grads' | 0 | 1,
    data: Float32Array,
  ): void {
    const L = this.layer(l);
    const base = this.blockOffset(block);
    const expected = part === 'bias' ? L.n : L.k * L.n;
    if (data.length !== expected) {
      throw new Error(`layer ${l} ${part}: ${data.length} values, ${expected} expected`);
    }
    if (part === 'bias') {
      this.f32.set(data, base + L.b);
      return;
    }
    for (let i = 0; i < L.k; i++) {
      this.f32.set(data.subarray(i * L.n, (i + 1) * L.n), base + L.w + i * L.np);
    }
  }

  /** Optimizer slots per variable: Adam [m, v], SGD with momentum [buffer], else none. */
  get slotsPerVar(): number {
    if (this.optimizer.name === 'adam') return 2;
    return this.optimizer.momentum > 0 ? 1 : 0;
  }

  /** One training step on `batch` (targets standardised); returns [Σ squared error, Σ |error|]. */
  trainStep(batch: Batch, lr: number): Float32Array {
    const n = batch.size;
    const rows = this.load(batch);
    this.forward(rows);
    const sums = this.lossGradient(batch.y, n, rows);
    this.backward(rows);
    this.update(lr);
    return sums;
  }

  /** Metric sums over a dataset in inference mode, batch by batch as step.ts `evaluate`. */
  evaluate(ds: Dataset, batchSize: number, normalization: Normalization | null): Float64Array {
    const total = new Float64Array(2);
    const size = Math.min(batchSize, this.maxBatch);
    for (let start = 0; start < ds.n; start += size) {
      const idx = Array.from({ length: Math.min(size, ds.n - start) }, (_, i) => start + i);
      const batch = makeBatch(ds, idx, { normalization });
      const rows = this.load(batch);
      this.forward(rows);
      const s = this.errorSums(batch.y, batch.size, null);
      total[0] = (total[0] as number) + (s[0] as number);
      total[1] = (total[1] as number) + (s[1] as number);
    }
    return total;
  }

  private layer(l: number): Layer {
    const L = this.layers[l];
    if (!L) throw new Error(`no layer ${l}`);
    return L;
  }

  private lastLayer(): Layer {
    return this.layer(this.layers.length - 1);
  }

  private blockOffset(block: 'params' | 'grads' | 0 | 1): number {
    const bytes =
      block === 'params'
        ? this.params
        : block === 'grads'
          ? this.grads
          : block === 0
            ? this.slot0
            : this.slot1;
    return bytes >> 2;
  }

  /** Copies the batch's inputs into x [rows, fp] (rows = size rounded up to 4, zero-filled). */
  private load(batch: Batch): number {
    const n = batch.size;
    if (n > this.maxBatch) throw new Error(`batch of ${n} > ${this.maxBatch}`);
    const rows = up(n, 4);
    const F = this.shape.features;
    const fp = this.fp;
    const f32 = this.f32;
    const src = batch.x;
    let d = this.x >> 2;
    for (let r = 0, s = 0; r < n; r++, d += fp) {
      for (let f = 0; f < F; f++, s++) f32[d + f] = src[s] as number;
    }
    f32.fill(0, d, (this.x >> 2) + rows * fp);
    return rows;
  }

  private forward(rows: number): void {
    let input = this.x;
    const last = this.layers.length - 1;
    this.layers.forEach((L, l) => {
      this.k.gemm(
        input,
        L.kp * 4,
        4,
        this.params + L.w * 4,
        L.out,
        rows,
        L.np,
        L.kp,
        this.params + L.b * 4,
        l < last ? 1 : 0,
        0,
      );
      input = L.out;
    });
  }

  /**
   * Sums of the squared and absolute errors, in float32 per element as tfjs; with `dz`, also
   * the gradient of the mean squared error at the output, 2·err · (1/n) rounded as tfjs' Mean
   * and Square gradients round it, zero on padded rows.
   */
  private errorSums(y: Float32Array, n: number, dz: { at: number; rows: number } | null) {
    const out = this.lastLayer();
    const f32 = this.f32;
    const p = out.out >> 2;
    const inv = Math.fround(1 / n);
    let sq = 0;
    let abs = 0;
    for (let r = 0; r < n; r++) {
      const err = Math.fround((f32[p + r * out.np] as number) - (y[r] as number));
      sq += Math.fround(err * err);
      abs += Math.abs(err);
      if (dz) f32[dz.at + r * out.np] = inv * (2 * err);
    }
    if (dz) for (let r = n; r < dz.rows; r++) f32[dz.at + r * out.np] = 0;
    return Float32Array.of(sq, abs);
  }

  private lossGradient(y: Float32Array, n: number, rows: number): Float32Array {
    return this.errorSums(y, n, { at: this.dzOut >> 2, rows });
  }

  private backward(rows: number): void {
    const k = this.k;
    let dz = this.dzOut;
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const L = this.layer(l);
      const input = l > 0 ? this.layer(l - 1).out : this.x;
      k.col_sum(dz, rows, L.np, this.grads + L.b * 4);
      // dW[kp, np] = inputᵀ · dz: A(i, p) = input[p, i].
      k.gemm(input, 4, L.kp * 4, dz, this.grads + L.w * 4, L.kp, L.np, rows, 0, 0, 0);
      if (l === 0) break;
      // dz of the layer below = (dz · Wᵀ) where its ReLU output was positive.
      k.transpose(this.params + L.w * 4, L.kp, L.np, this.wt);
      const next = dz === this.ping ? this.pong : this.ping;
      k.gemm(dz, L.np * 4, 4, this.wt, next, rows, L.kp, L.np, 0, 0, input);
      dz = next;
    }
  }

  /** optimizers.ts `apply`, with the same float32 operations. */
  private update(lr: number): void {
    this.step++;
    const o = this.optimizer;
    if (o.name === 'adam') {
      const bc1 = 1 - BETA1 ** this.step;
      const bc2Sqrt = Math.sqrt(1 - BETA2 ** this.step);
      this.k.adam(
        this.params,
        this.grads,
        this.slot0,
        this.slot1,
        this.count,
        BETA1,
        1 - BETA1,
        BETA2,
        1 - BETA2,
        bc2Sqrt,
        lr / bc1,
        EPSILON,
      );
      return;
    }
    const buf = o.momentum > 0 ? this.slot0 : 0;
    this.k.sgd(this.params, this.grads, buf, this.count, lr, o.momentum, this.step === 1 ? 1 : 0);
  }
}

interface Plan {
  readonly layers: Layer[];
  readonly count: number;
  readonly params: number;
  readonly grads: number;
  readonly slot0: number;
  readonly slot1: number;
  readonly x: number;
  readonly fp: number;
  readonly dzOut: number;
  readonly ping: number;
  readonly pong: number;
  readonly wt: number;
  readonly bytes: number;
}

/** Byte addresses of every buffer, 16-byte aligned (all sizes are multiples of 4 floats). */
function layout(shape: MlpShape, maxBatch: number): Plan {
  const rows = up(maxBatch, 4);
  const fp = up(shape.features, 4);
  let count = 0;
  let kp = fp;
  const sizes = shape.units.map((units, i) => {
    const np = up(units, 8);
    const k = i === 0 ? shape.features : (shape.units[i - 1] as number);
    const s = { k, n: units, kp, np, w: count, b: count + kp * np };
    count += kp * np + np;
    kp = np;
    return s;
  });
  let at = 0;
  const take = (floats: number): number => {
    const p = at;
    at += up(floats, 4) * 4;
    return p;
  };
  const params = take(count);
  const grads = take(count);
  const slot0 = take(count);
  const slot1 = take(count);
  const x = take(rows * fp);
  const layers = sizes.map((s) => ({ ...s, out: take(rows * s.np) }));
  const widest = Math.max(...layers.map((L) => L.np));
  const last = layers[layers.length - 1] as Layer;
  const dzOut = take(rows * last.np);
  const ping = take(rows * widest);
  const pong = take(rows * widest);
  const wt = take(Math.max(...layers.map((L) => L.kp * L.np)));
  return { layers, count, params, grads, slot0, slot1, x, fp, dzOut, ping, pong, wt, bytes: at };
}
