import { randomBytes } from 'node:crypto';

const B36 = '0123456789abcdefghijklmnopqrstuvwxyz';
const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

// Random bytes are drawn 4 KB at a time: ids are made per event on the ingestion path.
let pool = randomBytes(4096);
let poolAt = 0;

function randomByte(): number {
  if (poolAt === pool.length) {
    pool = randomBytes(4096);
    poolAt = 0;
  }
  return pool[poolAt++];
}

function randomString(alphabet: string, length: number): string {
  // Rejection sampling keeps every character uniformly distributed.
  const limit = 256 - (256 % alphabet.length);
  let out = '';
  while (out.length < length) {
    const b = randomByte();
    if (b < limit) out += alphabet[b % alphabet.length];
  }
  return out;
}

/**
 * A sortable id: prefix, 9 base-36 characters of milliseconds, 12 random base-36 characters.
 * Ids of one kind sort by creation time, so "the oldest" is the smallest.
 */
export function newId(prefix: string, now = Date.now()): string {
  return `${prefix}_${now.toString(36).padStart(9, '0')}${randomString(B36, 12)}`;
}

/** Write key per tracking-api.md: `c` + 24 lowercase base-36 characters, no colon. */
export function newWriteKey(): string {
  return `c${randomString(B36, 24)}`;
}

export const WRITE_KEY_PATTERN = /^c[0-9a-z]{24}$/;

/** API token: `dp_` + 40 base-62 characters (~238 bits). Stored only as a SHA-256 hash. */
export function newApiToken(): string {
  return `dp_${randomString(B62, 40)}`;
}
