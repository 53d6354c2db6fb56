/**
 * sfc32 (Chris Doty-Humphrey's Small Fast Counting generator): 128 bits of state that serialise
 * to four integers, so a checkpoint can hold the generator mid-stream and a resumed run draws
 * exactly the numbers an uninterrupted one would have. Our own code, so a seed means the same
 * stream on every machine and release.
 */
export type PrngState = readonly [number, number, number, number];

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(state: PrngState) {
    [this.a, this.b, this.c, this.d] = state.map((x) => x >>> 0) as [
      number,
      number,
      number,
      number,
    ];
  }

  /** A generator seeded from one 32-bit integer (splitmix32 spreads it over the state). */
  static fromSeed(seed: number): Prng {
    let s = seed >>> 0;
    const next = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    const p = new Prng([next(), next(), next(), next()]);
    for (let i = 0; i < 12; i++) p.nextUint32(); // discard the warm-up outputs
    return p;
  }

  static fromState(state: PrngState): Prng {
    return new Prng(state);
  }

  state(): PrngState {
    return [this.a, this.b, this.c, this.d];
  }

  nextUint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  bool(): boolean {
    return (this.nextUint32() & 1) === 1;
  }

  /** Standard normal (Box–Muller; both draws are used so no spare value hides outside the state). */
  normal(): number {
    const u = 1 - this.next(); // (0, 1]: log(0) is never taken
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A fresh 32-bit seed for a derived stream (e.g. tf's seeded random ops). */
  seed(): number {
    return this.nextUint32();
  }

  /** In-place Fisher–Yates. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }
}
