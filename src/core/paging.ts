import { invalid } from './errors.ts';

/** Opaque cursors: base64url of a JSON array of sort-key values. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === arity &&
      v.every((x) => typeof x === 'string' || typeof x === 'number')
    ) {
      return v;
    }
  } catch {
    /* fall through */
  }
  throw invalid('/cursor', 'not a cursor returned by this list');
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}
