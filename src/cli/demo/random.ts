/** A seeded PRNG (mulberry32, core/random.ts) with helpers, and hashing, so the demo dataset is the same for the same seed. */
import { mulberry32 } from '../../core/random.ts';

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  /** Uniform in [min, max). */
  real(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight: `[[item, weight], ...]`. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number;
  /** Log-normal: `median * e^(sigma * N(0,1))`. */
  logNormal(median: number, sigma: number): number;
  /** Poisson-distributed count with the given mean (Knuth; fine for small means). */
  poisson(mean: number): number;
  /** Lower-case hex digits. */
  hex(length: number): string;
  /** A version-4-shaped UUID. */
  uuid(): string;
}

/** A 32-bit hash of integers (murmur3 finaliser over a running mix): seeds per person and per id. */
export function hash32(...parts: number[]): number {
  let h = 0x9e3779b9;
  for (const part of parts) {
    h = Math.imul(h ^ (part >>> 0), 0x85ebca6b);
    h = Math.imul(h ^ Math.floor(part / 4294967296), 0xc2b2ae35);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

const HEX = '0123456789abcdef';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** 32 bits as 8 hex digits. */
function hex8(n: number): string {
  return (
    BYTE_HEX[(n >>> 24) & 255] + BYTE_HEX[(n >>> 16) & 255] + BYTE_HEX[(n >>> 8) & 255] + BYTE_HEX[n & 255]
  );
}

export function createRng(seed: number): Rng {
  const next = mulberry32(seed);
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const hex = (length: number) => {
    let s = '';
    while (s.length < length) s += hex8((next() * 4294967296) >>> 0);
    return s.slice(0, length);
  };
  const normal = () => {
    const u = 1 - next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };
  return {
    next,
    int,
    real: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted: (items) => {
      let total = 0;
      for (const [, w] of items) total += w;
      let r = next() * total;
      for (const [item, w] of items) {
        r -= w;
        if (r < 0) return item;
      }
      return items[items.length - 1][0];
    },
    exponential: (mean) => -Math.log(1 - next()) * mean,
    logNormal: (median, sigma) => median * Math.exp(sigma * normal()),
    poisson: (mean) => {
      const limit = Math.exp(-Math.min(mean, 500));
      let k = 0;
      let p = next();
      while (p > limit) {
        k++;
        p *= next();
      }
      return k;
    },
    hex,
    uuid: () => {
      const h = hex(32);
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${HEX[8 + int(0, 3)]}${h.slice(17, 20)}-${h.slice(20)}`;
    },
  };
}

/** `length` characters of base64url alphabet (FCM tokens look like this). */
export function base64url(rng: Rng, length: number): string {
  let s = '';
  for (let i = 0; i < length; i++) s += B64URL[Math.floor(rng.next() * 64)];
  return s;
}

function fmix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

function mix3(salt: number, a: number, b: number, c: number): number {
  let h = fmix(salt ^ 0x9e3779b9);
  h = fmix(h ^ a);
  h = fmix((h + Math.imul(b, 0x27d4eb2d)) | 0);
  return fmix(h ^ Math.imul(c, 0x165667b1));
}

/** A UUID-shaped id that is a pure function of three 32-bit numbers (message ids): 64 bits of hash. */
export function hashUuid(a: number, b: number, c: number): string {
  const h1 = mix3(1, a, b, c);
  const h2 = mix3(2, a, b, c);
  const x = hex8(h1);
  const y = hex8(h2);
  const z = hex8(fmix(h1 ^ h2));
  const w = hex8(fmix((h1 + h2) | 0));
  return `${x}-${y.slice(0, 4)}-4${y.slice(5, 8)}-${HEX[8 + (h2 & 3)]}${z.slice(1, 4)}-${z.slice(4)}${w}`;
}
