/**
 * A scalable Bloom filter of strings: a chain of filters, each twice the capacity of the last, so
 * the false-positive rate stays near 1% however many keys arrive. No false negatives: a key that
 * was added is always reported as possibly present.
 */
// 20 bits per key keeps false positives near 1 in 15,000, so most flushes need no exact lookup
// at all. Each next filter gets 2 more bits per key (and more hashes), so the chain's total
// false-positive rate converges instead of adding up.
const BITS_PER_KEY = 20;
const MAX_HASHES = 24;

function fnv1a(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  // Final avalanche (murmur3 fmix32) so nearby strings spread over the whole range.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

interface Filter {
  bits: Uint8Array;
  nbits: number;
  hashes: number;
  capacity: number;
  count: number;
}

function newFilter(capacity: number, level: number): Filter {
  const bitsPerKey = BITS_PER_KEY + 2 * level;
  const nbits = Math.max(64, capacity * bitsPerKey);
  const hashes = Math.min(MAX_HASHES, Math.round(bitsPerKey * Math.LN2));
  return { bits: new Uint8Array(Math.ceil(nbits / 8)), nbits, hashes, capacity, count: 0 };
}

export class ScalableBloom {
  private filters: Filter[];

  constructor(initialCapacity = 1_000_000) {
    this.filters = [newFilter(initialCapacity, 0)];
  }

  get size(): number {
    return this.filters.reduce((n, f) => n + f.count, 0);
  }

  get bytes(): number {
    return this.filters.reduce((n, f) => n + f.bits.length, 0);
  }

  private static positions(key: string, f: Filter, out: Uint32Array): void {
    const h1 = fnv1a(key, 0x811c9dc5);
    const h2 = fnv1a(key, 0x9747b28c) | 1;
    for (let i = 0; i < f.hashes; i++) out[i] = ((h1 + Math.imul(i, h2)) >>> 0) % f.nbits;
  }

  private readonly scratch = new Uint32Array(MAX_HASHES);

  has(key: string): boolean {
    for (const f of this.filters) {
      ScalableBloom.positions(key, f, this.scratch);
      let all = true;
      for (let i = 0; i < f.hashes; i++) {
        const p = this.scratch[i];
        if ((f.bits[p >>> 3] & (1 << (p & 7))) === 0) {
          all = false;
          break;
        }
      }
      if (all) return true;
    }
    return false;
  }

  add(key: string): void {
    let f = this.filters[this.filters.length - 1];
    if (f.count >= f.capacity) {
      f = newFilter(f.capacity * 2, this.filters.length);
      this.filters.push(f);
    }
    ScalableBloom.positions(key, f, this.scratch);
    for (let i = 0; i < f.hashes; i++) {
      const p = this.scratch[i];
      f.bits[p >>> 3] |= 1 << (p & 7);
    }
    f.count++;
  }

  /** Binary snapshot: header JSON line, then each filter's bits. */
  serialize(meta: Record<string, unknown>): Buffer {
    const header = JSON.stringify({
      v: 1,
      meta,
      filters: this.filters.map((f) => ({
        nbits: f.nbits,
        hashes: f.hashes,
        capacity: f.capacity,
        count: f.count,
        bytes: f.bits.length,
      })),
    });
    return Buffer.concat([
      Buffer.from(`${header}\n`),
      ...this.filters.map((f) => Buffer.from(f.bits.buffer, f.bits.byteOffset, f.bits.length)),
    ]);
  }

  static deserialize(buf: Buffer): { bloom: ScalableBloom; meta: Record<string, unknown> } | null {
    const nl = buf.indexOf(10);
    if (nl < 0) return null;
    try {
      const header = JSON.parse(buf.subarray(0, nl).toString('utf8'));
      if (header.v !== 1 || !Array.isArray(header.filters) || header.filters.length === 0) return null;
      const bloom = new ScalableBloom(1);
      let off = nl + 1;
      type Header = { nbits: number; hashes: number; capacity: number; count: number; bytes: number };
      bloom.filters = header.filters.map((h: Header) => {
        if (!(h.hashes >= 1 && h.hashes <= MAX_HASHES && h.nbits <= h.bytes * 8))
          throw new Error('bad header');
        if (off + h.bytes > buf.length) throw new Error('truncated');
        const bits = new Uint8Array(buf.subarray(off, off + h.bytes));
        off += h.bytes;
        return { bits, nbits: h.nbits, hashes: h.hashes, capacity: h.capacity, count: h.count };
      });
      if (off !== buf.length) return null;
      return { bloom, meta: header.meta ?? {} };
    } catch {
      return null;
    }
  }
}
