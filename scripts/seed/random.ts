/**
 * Seeded randomness for the demo data. sfc32 is small, fast and passes PractRand well beyond the few million
 * draws a seed run makes; Math.random cannot be seeded, so it is never used.
 */
export class Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `stream` names an independent sequence, so one section's draws never shift another's (e.g. location ids stay put when the scale changes). */
  constructor(seed: number, stream: string) {
    // Hash every bit of the float64 seed (not just its integer part) together with the stream name.
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, seed);
    let h = mix32(view.getUint32(0) ^ 0x9e3779b9);
    h = mix32(h ^ view.getUint32(4));
    for (let i = 0; i < stream.length; i++) h = mix32(h ^ stream.charCodeAt(i));
    this.a = h = mix32(h + 0x6d2b79f5);
    this.b = h = mix32(h + 0x6d2b79f5);
    this.c = h = mix32(h + 0x6d2b79f5);
    this.d = 1;
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Next uint32. */
  next(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (((this.c << 21) | (this.c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /** Uniform integer in [min, max]. */
  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    return this.float() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** Index drawn in proportion to `weights` (linear scan: meant for short lists). */
  weighted(weights: ArrayLike<number>): number {
    let total = 0;
    for (let i = 0; i < weights.length; i++) total += weights[i];
    let r = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0 && weights[i] > 0) return i;
    }
    for (let i = weights.length - 1; i >= 0; i--) if (weights[i] > 0) return i;
    return -1;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.float());
  }

  /** Exponential with the given mean. */
  exponential(mean: number): number {
    return -Math.log(1 - this.float()) * mean;
  }

  /** `n` lower-case hex digits. */
  hex(n: number): string {
    let out = '';
    while (out.length < n) out += this.next().toString(16).padStart(8, '0');
    return out.slice(0, n);
  }

  /** `n` decimal digits (leading zeros kept). */
  digits(n: number): string {
    let out = '';
    while (out.length < n) out += String(this.next() % 1_000_000).padStart(6, '0');
    return out.slice(0, n);
  }

  /** A UUID v4 string (version and variant bits set), drawn from this stream. */
  uuid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h[16], 16) & 3) | 8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}

/** Index of the first entry of the running sum `cum[from..to)` that exceeds `r` (binary search). */
export function searchCumulative(cum: ArrayLike<number>, r: number, from: number, to: number): number {
  let lo = from;
  let hi = to - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cum[mid] > r) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Stateless 32-bit hash for decisions that must not depend on draw order (e.g. which styles a sale marks down). */
export function hash32(...values: number[]): number {
  let h = 0x811c9dc5;
  for (const v of values) h = mix32(h ^ (v | 0));
  return h;
}

function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return (x ^ (x >>> 16)) >>> 0;
}
